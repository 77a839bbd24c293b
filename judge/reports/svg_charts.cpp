#include "judge/reports/svg_charts.h"

#include <algorithm>
#include <cmath>

#include <spdlog/fmt/fmt.h>

#include "judge/reports/report.h"

namespace pyjudge::judge {

namespace {

// The verdicts in the order the bars stack them.
const std::vector<std::string>& verdict_order() {
  static const std::vector<std::string> kOrder = {"AC", "WA", "TLE", "MLE", "RE", "OLE", "IE", "-"};
  return kOrder;
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

}  // namespace

const char* verdict_colour(const std::string& v) {
  if (v == "AC") return "#2e7d32";
  if (v == "WA") return "#c62828";
  if (v == "TLE") return "#ef6c00";
  if (v == "MLE") return "#6a1b9a";
  if (v == "RE") return "#ad1457";
  if (v == "OLE") return "#4e342e";
  if (v == "IE") return "#455a64";
  return "#9e9e9e";  // not run
}

std::vector<HistogramBar> histogram_bars(const std::vector<double>& values, double max_value, int bins, double width,
                                         double height) {
  std::vector<HistogramBar> bars(static_cast<std::size_t>(std::max(bins, 1)));
  const double span = max_value > 0 ? max_value : 1;
  const double step = span / static_cast<double>(bars.size());
  for (double v : values) {
    auto i = static_cast<std::size_t>(std::floor(std::clamp(v, 0.0, span) / step));
    ++bars[std::min(i, bars.size() - 1)].count;
  }
  int tallest = 0;
  for (const auto& b : bars) tallest = std::max(tallest, b.count);
  const double bar_width = width / static_cast<double>(bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    auto& b = bars[i];
    b.from = step * static_cast<double>(i);
    b.to = step * static_cast<double>(i + 1);
    b.x = bar_width * static_cast<double>(i);
    b.width = bar_width;
    b.height = tallest > 0 ? height * b.count / tallest : 0;
    b.y = height - b.height;
  }
  return bars;
}

std::string histogram_svg(const std::vector<double>& scores, double max_score) {
  // Whole-number scores up to 20 get a bin each; otherwise ten bins.
  const bool whole = max_score <= 20 &&
                     std::all_of(scores.begin(), scores.end(), [](double s) { return s == std::floor(s); }) &&
                     max_score == std::floor(max_score);
  const int bins = whole ? static_cast<int>(max_score) + 1 : 10;
  const double top = whole ? max_score + 1 : max_score;
  constexpr double kW = 600;
  constexpr double kH = 160;
  const auto bars = histogram_bars(scores, whole ? top - 1e-9 : top, bins, kW, kH);
  std::string out = fmt::format(
      R"svg(<svg class="chart" id="histogram" viewBox="-40 -10 {} {}" role="img" aria-label="histogram of scores">)svg",
      kW + 50, kH + 40);
  out += fmt::format(R"svg(<line x1="0" y1="{0}" x2="{1}" y2="{0}" class="axis"/>)svg", kH, kW);
  for (const auto& b : bars) {
    const std::string range =
        whole ? num(b.from).substr(0, num(b.from).find('.')) : fmt::format("{:g}-{:g}", b.from, b.to);
    out += fmt::format(R"svg(<g class="hist-bar"><title>score {}: {} submission{}</title>)svg", xml_escape(range),
                       b.count, b.count == 1 ? "" : "s");
    out += fmt::format(R"svg(<rect x="{}" y="{}" width="{}" height="{}" fill="#1565c0"/>)svg", num(b.x + 1), num(b.y),
                       num(std::max(b.width - 2, 1.0)), num(b.height));
    if (b.count > 0)
      out += fmt::format(R"svg(<text x="{}" y="{}" class="count">{}</text>)svg", num(b.x + b.width / 2), num(b.y - 3),
                         b.count);
    out += fmt::format(R"svg(<text x="{}" y="{}" class="tick">{}</text></g>)svg", num(b.x + b.width / 2), num(kH + 14),
                       xml_escape(range));
  }
  return out + fmt::format(R"svg(<text x="{}" y="{}" class="label">score</text></svg>)svg", kW / 2, kH + 30);
}

std::string test_bars_svg(const std::vector<TestVerdicts>& tests) {
  constexpr double kW = 600;
  constexpr double kRow = 22;
  constexpr double kLabel = 170;
  const double h = kRow * static_cast<double>(tests.size()) + 10;
  std::string out = fmt::format(
      R"svg(<svg class="chart" id="test-bars" viewBox="0 0 {} {}" role="img" aria-label="verdicts per test">)svg",
      kW + kLabel + 60, h);
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const auto& t = tests[i];
    int total = 0;
    for (const auto& [v, n] : t.counts) total += n;
    const double y = kRow * static_cast<double>(i);
    const int passed = t.counts.contains("AC") ? t.counts.at("AC") : 0;
    out += fmt::format(R"svg(<g class="test-bar" data-test="{}"><text x="{}" y="{}" class="test-name">{}</text>)svg",
                       xml_escape(t.test), kLabel - 6, num(y + 15), xml_escape(t.test));
    double x = kLabel;
    for (const auto& v : verdict_order()) {
      const auto it = t.counts.find(v);
      if (it == t.counts.end() || it->second == 0 || total == 0) continue;
      const double w = kW * it->second / total;
      out +=
          fmt::format(R"svg(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>)svg",
                      num(x), num(y + 3), num(w), kRow - 6, verdict_colour(v), xml_escape(t.test), it->second, v);
      x += w;
    }
    out += fmt::format(R"svg(<text x="{}" y="{}" class="rate">{:.0f}%</text></g>)svg", kW + kLabel + 6, num(y + 15),
                       total > 0 ? 100.0 * passed / total : 0.0);
  }
  return out + "</svg>";
}

std::string scatter_svg(const std::vector<RunPoint>& runs, double time_limit_s, double memory_limit_mib) {
  constexpr double kW = 600;
  constexpr double kH = 300;
  double max_t = time_limit_s * 1.1;
  double max_m = memory_limit_mib * 1.1;
  for (const auto& r : runs) {
    max_t = std::max(max_t, r.seconds * 1.05);
    max_m = std::max(max_m, r.mib * 1.05);
  }
  max_t = std::max(max_t, 1e-3);
  max_m = std::max(max_m, 1e-3);
  const auto x_of = [&](double s) { return kW * s / max_t; };
  const auto y_of = [&](double m) { return kH - kH * m / max_m; };
  std::string out = fmt::format(
      R"svg(<svg class="chart" id="scatter" viewBox="-50 -10 {} {}" role="img" aria-label="time against memory">)svg",
      kW + 70, kH + 45);
  out += fmt::format(R"svg(<rect x="0" y="0" width="{}" height="{}" class="plot"/>)svg", kW, kH);
  out += fmt::format(
      R"svg(<line class="limit" x1="{0}" y1="0" x2="{0}" y2="{1}"><title>time limit {2:g} s</title></line>)svg",
      num(x_of(time_limit_s)), kH, time_limit_s);
  out += fmt::format(
      R"svg(<line class="limit" x1="0" y1="{0}" x2="{1}" y2="{0}"><title>memory limit {2:g} MiB</title></line>)svg",
      num(y_of(memory_limit_mib)), kW, memory_limit_mib);
  for (const auto& r : runs)
    out += fmt::format(
        R"svg(<circle class="run" cx="{}" cy="{}" r="4" fill="{}"><title>{}: {} in {:.3f} s, {:.1f} MiB</title></circle>)svg",
        num(x_of(r.seconds)), num(y_of(r.mib)), verdict_colour(r.verdict), xml_escape(r.label), xml_escape(r.verdict),
        r.seconds, r.mib);
  out += fmt::format(R"svg(<text x="{}" y="{}" class="label">wall time (s), up to {:.2f}</text>)svg", kW / 2, kH + 30,
                     max_t);
  out +=
      fmt::format(R"svg(<text x="-38" y="{}" class="label" transform="rotate(-90 -38 {})">peak memory (MiB)</text>)svg",
                  kH / 2, kH / 2);
  return out + "</svg>";
}

}  // namespace pyjudge::judge
