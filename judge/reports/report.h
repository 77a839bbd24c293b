// Grading reports: the terminal table, report.json, JUnit XML and grades.csv.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "judge/grade.h"

namespace pyjudge::judge {

// One row per submission (verdict, score, time, memory, per-test verdicts);
// ANSI colour when `colour`.
std::string report_table(const GradeReport& r, bool colour);
nlohmann::json report_json(const GradeReport& r);
// One <testsuite> per submission, one <testcase> per test.
std::string report_junit(const GradeReport& r);
// "submission,score,max_score,verdict", one row per submission; a scoring
// problem's test groups add a score column each.
std::string report_csv(const GradeReport& r);

// A scoring problem's group result as reports show it:
// "secret/group1 50/50 AC" (an unbounded group's maximum as "-").
std::string group_summary(const GroupResult& g);
// A test's verdict as the per-test lists show it: "-" when it never ran,
// "(WA)" when it does not count (scoring problems: after a rejection in an
// on_reject: break group, or an ignored sample).
std::string shown_test_verdict(const TestGrade& t);

std::string xml_escape(std::string_view s);
std::string csv_field(std::string_view s);

}  // namespace pyjudge::judge
