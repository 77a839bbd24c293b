// Every report of a grading, as the files grade and watch write: report.json,
// junit.xml, grades.csv and report.html.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "judge/grade.h"
#include "judge/reports/html_report.h"

namespace pyjudge::judge {

// (file name, contents), in that order. `out` is where the runs' files are
// (report.html quotes their stderr).
std::vector<std::pair<std::string, std::string>> grade_report_files(const GradeReport& r,
                                                                    const std::filesystem::path& out,
                                                                    const HtmlReportInfo& info);

}  // namespace pyjudge::judge
