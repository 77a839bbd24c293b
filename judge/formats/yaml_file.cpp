#include "judge/formats/yaml_file.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "judge/check/default_validator.h"

namespace pyjudge::judge {

Expected<YAML::Node> read_yaml_map(const std::filesystem::path& file) {
  if (!std::ifstream(file)) return fail(file.string() + ": missing or unreadable");
  try {
    YAML::Node n = YAML::LoadFile(file.string());
    if (n.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!n.IsMap()) return fail(file.string() + ": must be a YAML mapping (key: value lines)");
    return n;
  } catch (const YAML::Exception& e) {
    const std::string at = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1);
    return fail(file.string() + at + ": not valid YAML: " + e.msg);
  }
}

Expected<std::string> yaml_text(const YAML::Node& n, const std::string& where) {
  if (!n.IsDefined() || !n.IsScalar()) return fail(where + " must be a string");
  return n.Scalar();
}

Expected<double> yaml_number(const YAML::Node& n, const std::string& where) {
  if (!n.IsDefined() || !n.IsScalar()) return fail(where + " must be a number");
  const std::string& s = n.Scalar();
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
    return fail(where + " must be a number, not '" + s + "'");
  return v;
}

Expected<double> yaml_positive(const YAML::Node& n, const std::string& where) {
  if (!n.IsDefined() || !n.IsScalar()) return fail(where + " must be a number > 0");
  const std::string& s = n.Scalar();
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v) || v <= 0)
    return fail(where + " must be a number > 0, not '" + s + "'");
  return v;
}

Expected<std::vector<std::string>> yaml_words(const YAML::Node& n, const std::string& where) {
  if (!n.IsDefined() || n.IsNull()) return std::vector<std::string>{};
  if (n.IsScalar()) return split_words(n.Scalar());
  if (!n.IsSequence()) return fail(where + " must be a list of strings");
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar()) return fail(where + " must be a list of strings");
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace pyjudge::judge
