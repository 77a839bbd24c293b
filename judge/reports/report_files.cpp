#include "judge/reports/report_files.h"

#include <nlohmann/json.hpp>

#include "judge/reports/report.h"

namespace pyjudge::judge {

std::vector<std::pair<std::string, std::string>> grade_report_files(const GradeReport& r,
                                                                    const std::filesystem::path& out,
                                                                    const HtmlReportInfo& info) {
  return {{"report.json", report_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
          {"junit.xml", report_junit(r)},
          {"grades.csv", report_csv(r)},
          {"report.html", report_html(r, out, info)}};
}

}  // namespace pyjudge::judge
