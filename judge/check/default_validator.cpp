#include "judge/check/default_validator.h"

#include <cmath>
#include <cstdlib>

#include <spdlog/fmt/fmt.h>

namespace pyjudge::judge {

namespace {

// The format's whitespace: space, form feed, line feed, carriage return,
// tab and vertical tab.
bool is_ws(char c) { return c == ' ' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v'; }

// Walks a text as whitespace, token, whitespace, ..., token, whitespace
// without copying or indexing it, so that comparing outputs costs no more
// memory than the outputs themselves.
struct Cursor {
  std::string_view s;
  std::size_t pos = 0;

  // The whitespace before the next token, and the token; false when there
  // is none (`space` is then the trailing whitespace).
  bool next(std::string_view& space, std::string_view& token) {
    const std::size_t ws = pos;
    while (pos < s.size() && is_ws(s[pos])) ++pos;
    space = s.substr(ws, pos - ws);
    if (pos == s.size()) return false;
    const std::size_t start = pos;
    while (pos < s.size() && !is_ws(s[pos])) ++pos;
    token = s.substr(start, pos - start);
    return true;
  }

  std::size_t remaining_tokens() {
    std::size_t n = 0;
    std::string_view sp;
    std::string_view tok;
    while (next(sp, tok)) ++n;
    return n;
  }
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A float written in decimal: [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?.
// Not nan, inf or hex: those are not a formatting of a number an answer
// file can hold, and a team printing "nan" must not slip past a tolerance.
std::optional<double> decimal_float(std::string_view t) {
  if (t.empty() || t.size() > 400) return std::nullopt;
  std::size_t i = 0;
  if (t[i] == '+' || t[i] == '-') ++i;
  std::size_t digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    const std::size_t exp_start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == exp_start) return std::nullopt;
  }
  if (i != t.size()) return std::nullopt;
  const std::string s(t);
  return std::strtod(s.c_str(), nullptr);  // overflow gives ±inf, which then matches only itself
}

char fold(char c, bool case_sensitive) { return !case_sensitive && c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool same_text(std::string_view a, std::string_view b, bool case_sensitive) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i], case_sensitive) != fold(b[i], case_sensitive)) return false;
  return true;
}

// Why token `i` of the output fails against the answer's, or nothing.
std::optional<std::string> token_mismatch(const DefaultValidatorFlags& f, std::string_view want, std::string_view got,
                                          std::size_t i) {
  if (f.floats()) {
    if (const auto a = decimal_float(want)) {
      const auto s = decimal_float(got);
      if (!s) return fmt::format("token {}: expected the number '{}', got '{}'", i + 1, shown(want), shown(got));
      // Past double's range a token is ±inf, which only the same infinity matches.
      if (std::isinf(*a) || std::isinf(*s)) {
        if (*a == *s) return std::nullopt;
        return fmt::format("token {}: expected '{}', got '{}'", i + 1, shown(want), shown(got));
      }
      const double diff = std::fabs(*s - *a);
      const bool abs_ok = f.abs_tolerance && diff <= *f.abs_tolerance;
      const bool rel_ok = f.rel_tolerance && diff <= *f.rel_tolerance * std::fabs(*a);
      if (abs_ok || rel_ok) return std::nullopt;
      return fmt::format("token {}: expected '{}', got '{}' (difference {:g})", i + 1, shown(want), shown(got), diff);
    }
  }
  if (same_text(want, got, f.case_sensitive)) return std::nullopt;
  return fmt::format("token {}: expected '{}', got '{}'", i + 1, shown(want), shown(got));
}

std::string shown_space(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 12)) out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : std::string(1, c);
  return s.size() > 12 ? out + "..." : out;
}

Expected<double> tolerance_value(const std::vector<std::string>& args, std::size_t i) {
  if (i + 1 >= args.size()) return fail("validator flag '" + args[i] + "' needs a number after it");
  const std::string& v = args[i + 1];
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(d) || d < 0)
    return fail("validator flag '" + args[i] + "' needs a number >= 0, not '" + v + "'");
  return d;
}

}  // namespace

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  Cursor c{s};
  std::string_view space;
  std::string_view token;
  while (c.next(space, token)) out.emplace_back(token);
  return out;
}

Expected<DefaultValidatorFlags> parse_default_validator_flags(const std::vector<std::string>& args, bool strict) {
  DefaultValidatorFlags f;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "case_sensitive") {
      f.case_sensitive = true;
      continue;
    }
    if (a == "space_change_sensitive") {
      f.space_change_sensitive = true;
      continue;
    }
    if (a != "float_tolerance" && a != "float_absolute_tolerance" && a != "float_relative_tolerance")
      return fail("unknown default validator flag '" + a +
                  "' (case_sensitive, space_change_sensitive, float_tolerance, float_absolute_tolerance or "
                  "float_relative_tolerance)");
    auto v = tolerance_value(args, i);
    if (!v) return v.error();
    ++i;
    const bool abs = a != "float_relative_tolerance";
    const bool rel = a != "float_absolute_tolerance";
    // float_tolerance sets both, so nothing may set either again.
    if (strict && ((abs && f.abs_tolerance) || (rel && f.rel_tolerance)))
      return fail("validator flag '" + a + "' sets a tolerance that is already set");
    if (abs) f.abs_tolerance = *v;
    if (rel) f.rel_tolerance = *v;
  }
  return f;
}

CheckResult default_validate(const DefaultValidatorFlags& f, std::string_view answer, std::string_view output) {
  Cursor want{answer};
  Cursor got{output};
  for (std::size_t i = 0;; ++i) {
    std::string_view want_space;
    std::string_view want_token;
    std::string_view got_space;
    std::string_view got_token;
    const bool more_wanted = want.next(want_space, want_token);
    const bool more_given = got.next(got_space, got_token);
    if (more_wanted != more_given) {
      const std::size_t n_want = i + (more_wanted ? 1 + want.remaining_tokens() : 0);
      const std::size_t n_got = i + (more_given ? 1 + got.remaining_tokens() : 0);
      return {false, fmt::format("expected {} tokens, got {}", n_want, n_got)};
    }
    if (f.space_change_sensitive && want_space != got_space) {
      if (!more_wanted)
        return {false, fmt::format("trailing whitespace differs: expected '{}', got '{}'", shown_space(want_space),
                                   shown_space(got_space))};
      return {false, fmt::format("whitespace before token {} differs: expected '{}', got '{}'", i + 1,
                                 shown_space(want_space), shown_space(got_space))};
    }
    if (!more_wanted) return {true, ""};
    if (auto why = token_mismatch(f, want_token, got_token, i)) return {false, *why};
  }
}

}  // namespace pyjudge::judge
