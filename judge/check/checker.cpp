#include "judge/check/checker.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

#include <spdlog/fmt/fmt.h>

namespace pyjudge::judge {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// Lines with trailing whitespace (including '\r') removed and trailing blank
// lines dropped.
std::vector<std::string_view> lines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(start, end - start);
    while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// A whole token as a number: decimal or scientific, or nan/inf.
std::optional<double> as_number(std::string_view t) {
  if (t.empty() || t.size() > 400) return std::nullopt;
  const std::string s(t);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  // Hex floats are not numbers in an answer.
  if (s.find_first_of("xX") != std::string::npos) return std::nullopt;
  return v;
}

bool close_enough(double expected, double actual, const CheckerSpec& spec) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return expected == actual;
  const double diff = std::fabs(expected - actual);
  return diff <= spec.abs_tolerance || diff <= spec.rel_tolerance * std::fabs(expected);
}

CheckResult compare_sequences(const std::vector<std::string_view>& want, const std::vector<std::string_view>& got,
                              const char* unit, const CheckerSpec* numeric) {
  const std::size_t n = std::min(want.size(), got.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (want[i] == got[i]) continue;
    if (numeric) {
      auto a = as_number(want[i]);
      auto b = as_number(got[i]);
      if (a && b && close_enough(*a, *b, *numeric)) continue;
    }
    return {false, fmt::format("{} {} differs: expected '{}', got '{}'", unit, i + 1, shown(want[i]), shown(got[i]))};
  }
  if (want.size() != got.size()) return {false, fmt::format("expected {} {}s, got {}", want.size(), unit, got.size())};
  return {true, ""};
}

}  // namespace

std::string shown(std::string_view t) {
  std::string s(t.substr(0, 40));
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
  return t.size() > 40 ? s + "..." : s;
}

std::optional<CheckerKind> checker_from_string(std::string_view s) {
  if (s == "exact") return CheckerKind::Exact;
  if (s == "lines") return CheckerKind::Lines;
  if (s == "tokens") return CheckerKind::Tokens;
  if (s == "float") return CheckerKind::Float;
  if (s == "custom") return CheckerKind::Custom;
  return std::nullopt;
}

std::string_view to_string(CheckerKind k) {
  switch (k) {
    case CheckerKind::Exact:
      return "exact";
    case CheckerKind::Lines:
      return "lines";
    case CheckerKind::Tokens:
      return "tokens";
    case CheckerKind::Float:
      return "float";
    case CheckerKind::Custom:
      return "custom";
    case CheckerKind::Package:
      return "package default validator";
    case CheckerKind::Validator:
      return "output validator";
  }
  return "?";
}

CheckResult check_output(const CheckerSpec& spec, std::string_view expected, std::string_view actual) {
  switch (spec.kind) {
    case CheckerKind::Exact:
      if (expected == actual) return {true, ""};
      return {false, fmt::format("output differs from the expected bytes ({} bytes expected, {} given)",
                                 expected.size(), actual.size())};
    case CheckerKind::Lines:
      return compare_sequences(lines(expected), lines(actual), "line", nullptr);
    case CheckerKind::Tokens:
      return compare_sequences(tokens(expected), tokens(actual), "token", nullptr);
    case CheckerKind::Float:
      return compare_sequences(tokens(expected), tokens(actual), "token", &spec);
    case CheckerKind::Custom:
    case CheckerKind::Package:
    case CheckerKind::Validator:
      break;
  }
  return {false, "this checker does not run here"};
}

Expected<CheckResult> parse_custom_verdict(std::string_view stdout_text) {
  const std::string_view out = stdout_text;
  std::string_view line = out.substr(0, out.find('\n'));
  while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
  const std::string_view word = line.substr(0, line.find(' '));
  const std::string_view rest = word.size() < line.size() ? line.substr(word.size() + 1) : std::string_view();
  if (word == "AC") return CheckResult{true, std::string(rest)};
  if (word == "WA") return CheckResult{false, rest.empty() ? "wrong answer (custom checker)" : std::string(rest)};
  return fail("the custom checker printed '" + shown(line) + "' instead of AC or WA");
}

}  // namespace pyjudge::judge
