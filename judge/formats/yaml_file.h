// YAML files of problem packages, read with yaml-cpp; errors name the file
// and, for a syntax error, the line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "runner/shared/expected.h"

namespace pyjudge::judge {

// The file's top-level mapping; an empty file is an empty mapping.
Expected<YAML::Node> read_yaml_map(const std::filesystem::path& file);

// A scalar's text, or an error naming `where` (file: key).
Expected<std::string> yaml_text(const YAML::Node& n, const std::string& where);
// A finite number.
Expected<double> yaml_number(const YAML::Node& n, const std::string& where);
// A number > 0.
Expected<double> yaml_positive(const YAML::Node& n, const std::string& where);
// A list of strings, or one string split at whitespace (the older
// *_flags form).
Expected<std::vector<std::string>> yaml_words(const YAML::Node& n, const std::string& where);

}  // namespace pyjudge::judge
