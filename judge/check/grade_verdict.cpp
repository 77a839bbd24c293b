#include "judge/check/grade_verdict.h"

#include <array>
#include <utility>

namespace pyjudge::judge {

namespace {

constexpr std::array<std::pair<GradeVerdict, std::string_view>, 8> kNames = {{
    {GradeVerdict::NotRun, ""},
    {GradeVerdict::AC, "AC"},
    {GradeVerdict::WA, "WA"},
    {GradeVerdict::TLE, "TLE"},
    {GradeVerdict::MLE, "MLE"},
    {GradeVerdict::RE, "RE"},
    {GradeVerdict::OLE, "OLE"},
    {GradeVerdict::IE, "IE"},
}};

}  // namespace

std::string_view to_string(GradeVerdict v) {
  for (const auto& [verdict, name] : kNames)
    if (verdict == v) return name;
  return "?";
}

std::optional<GradeVerdict> grade_verdict_from_string(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (const auto& [verdict, name] : kNames)
    if (name == s) return verdict;
  return std::nullopt;
}

std::optional<GradeVerdict> grade_verdict_of(runner::Verdict v) {
  switch (v) {
    case runner::Verdict::OK:
      return std::nullopt;
    case runner::Verdict::TLE:
      return GradeVerdict::TLE;
    case runner::Verdict::MLE:
      return GradeVerdict::MLE;
    case runner::Verdict::OLE:
      return GradeVerdict::OLE;
    case runner::Verdict::RE:
      return GradeVerdict::RE;
    case runner::Verdict::IE:
      return GradeVerdict::IE;
  }
  return GradeVerdict::IE;
}

}  // namespace pyjudge::judge
