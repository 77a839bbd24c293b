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
// "submission,score,max_score,verdict", one row per submission.
std::string report_csv(const GradeReport& r);

std::string xml_escape(std::string_view s);
std::string csv_field(std::string_view s);

}  // namespace pyjudge::judge
