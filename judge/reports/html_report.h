// report.html: one self-contained page (no network, no external files) for
// people grading many submissions: the header, a histogram of scores, the
// verdicts per test, a sortable table of submissions with a detail view
// each, time against memory for every run, and the IE runs with their
// reasons. Everything from a submission is escaped.
#pragma once

#include <filesystem>
#include <string>

#include "judge/grade.h"

namespace pyjudge::judge {

struct HtmlReportInfo {
  std::string version;       // pyjudge's
  std::string generated_at;  // ISO 8601 UTC
};

// `out` is where the runs' stderr files are (OUT/SUBMISSION/TEST/stderr);
// the first KiB of each goes into the detail view.
std::string report_html(const GradeReport& r, const std::filesystem::path& out, const HtmlReportInfo& info);

}  // namespace pyjudge::judge
