// The charts of report.html as inline SVG: a histogram of scores, a
// stacked bar of verdicts per test, and a scatter of time against memory.
// The geometry is computed apart from the markup, so that it can be tested.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pyjudge::judge {

struct HistogramBar {
  double from = 0;  // the bin's range of values [from, to); the last bin is closed
  double to = 0;
  int count = 0;
  double x = 0;  // the rectangle, in the SVG's user units
  double y = 0;
  double width = 0;
  double height = 0;
};

// `bins` equal bins over [0, max_value] in a plot area of width x height
// (y grows downwards, bars stand on y = height). The tallest bar is height.
std::vector<HistogramBar> histogram_bars(const std::vector<double>& values, double max_value, int bins, double width,
                                         double height);
std::string histogram_svg(const std::vector<double>& scores, double max_score);

// One stacked bar per test: how many runs got each verdict.
struct TestVerdicts {
  std::string test;
  std::map<std::string, int> counts;  // verdict -> runs
};
std::string test_bars_svg(const std::vector<TestVerdicts>& tests);

struct RunPoint {
  double seconds = 0;
  double mib = 0;
  std::string verdict;
  std::string label;  // "submission test", shown on hover
};
// Time (x) against peak memory (y), with the limits drawn as dashed lines.
std::string scatter_svg(const std::vector<RunPoint>& runs, double time_limit_s, double memory_limit_mib);

// The fill of a verdict, the same family of colours as the terminal table.
const char* verdict_colour(const std::string& verdict);

}  // namespace pyjudge::judge
