#include "judge/formats/package_data.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <spdlog/fmt/fmt.h>

#include "judge/formats/yaml_file.h"
#include "runner/job/job.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

using Args = std::vector<std::string>;

// The arguments in force at a folder or a test: the output validator's and
// the input validators'.
struct Settings {
  Args output;
  InputValidatorArgs input;
};

// Longest test id part: the submission's name (at most 32) and a dot come
// first in a job id of at most 64.
constexpr std::size_t kMaxTestId = 31;

// A folder still to walk, with the arguments in force above it.
struct Pending {
  fs::path folder;
  Settings above;
  int depth = 0;
};

struct Walk {
  const fs::path data;
  const PackageDataRules& rules;
  std::vector<TestCase> tests;

  // The output validator's arguments a settings mapping sets, if it sets them.
  Expected<std::optional<Args>> output_args_in(const YAML::Node& y, const std::string& f) const {
    if (rules.kattis2023 && y["output_validator_args"]) {
      auto w = yaml_words(y["output_validator_args"], f + ": output_validator_args");
      if (!w) return w.error();
      return std::optional<Args>(*w);
    }
    const YAML::Node flags = y["output_validator_flags"];
    if (!flags) return std::optional<Args>();
    // Legacy also allows {name: VALIDATOR, flags: "..."}.
    const YAML::Node words = flags.IsMap() ? flags["flags"] : flags;
    auto w = yaml_words(words, f + ": output_validator_flags");
    if (!w) return w.error();
    return std::optional<Args>(*w);
  }

  // The input validators' arguments (legacy input_validator_flags, 2023-07
  // input_validator_args): words for all of them, or a map from a
  // validator's name to its own.
  Expected<std::optional<InputValidatorArgs>> input_args_in(const YAML::Node& y, const std::string& f) const {
    const char* key = rules.kattis2023 ? "input_validator_args" : "input_validator_flags";
    const YAML::Node n = y[key];
    if (!n) return std::optional<InputValidatorArgs>();
    const std::string where = f + ": " + key;
    InputValidatorArgs a;
    if (!n.IsMap()) {
      auto w = yaml_words(n, where);
      if (!w) return w.error();
      a.all = *w;
      return std::optional<InputValidatorArgs>(std::move(a));
    }
    for (const auto& kv : n) {
      const auto name = kv.first.as<std::string>();
      auto w = yaml_words(kv.second, fmt::format("{}.{}", where, name));
      if (!w) return w.error();
      a.by_name[name] = *w;
    }
    return std::optional<InputValidatorArgs>(std::move(a));
  }

  // The settings a mapping sets, over `above`: each kind it does not set
  // keeps the one above (as problemtools does for legacy packages, and
  // 2023-07 says).
  Expected<Settings> settings_in(const fs::path& file, const Settings& above) const {
    auto y = read_yaml_map(file);
    if (!y) return y.error();
    auto out = output_args_in(*y, file.string());
    if (!out) return out.error();
    auto in = input_args_in(*y, file.string());
    if (!in) return in.error();
    return Settings{out->value_or(above.output), in->value_or(above.input)};
  }

  // The settings in force below `folder`, given those above it.
  Expected<Settings> folder_args(const fs::path& folder, const Settings& above) const {
    const auto file = settings_file(folder);
    if (!file) return above;
    return settings_in(*file, above);
  }

  // A 2023-07 test's own NAME.yaml may set its arguments.
  Expected<Settings> case_args(const fs::path& in, const Settings& folder) const {
    std::error_code ec;
    const fs::path own = fs::path(in).replace_extension(".yaml");
    if (!rules.kattis2023 || !fs::is_regular_file(own, ec)) return folder;
    return settings_in(own, folder);
  }

  Status add_test(const fs::path& in, const Settings& args, TestKind kind) {
    const fs::path ans = fs::path(in).replace_extension(".ans");
    std::error_code ec;
    if (!fs::is_regular_file(ans, ec)) return fail(ans.string() + ": missing (the answer of " + in.string() + ")");
    for (const auto& f : {in, ans})
      if (!std::ifstream(f)) return fail(f.string() + ": unreadable");
    auto own = case_args(in, args);
    if (!own) return own.error();
    TestCase t;
    t.name = fs::path(in).replace_extension().lexically_relative(data).generic_string();
    t.input = in;
    t.output = ans;
    t.kind = kind;
    t.validator_args = rules.base_args;
    t.validator_args.insert(t.validator_args.end(), own->output.begin(), own->output.end());
    t.input_args = own->input;
    tests.push_back(std::move(t));
    return ok();
  }

  // The group's folders, depth first with a stack (a package is input: no
  // recursion for its nesting to exhaust); the order is fixed later.
  Status walk(const fs::path& group, const Settings& above, TestKind kind) {
    std::vector<Pending> stack{{group, above, 0}};
    while (!stack.empty()) {
      Pending next = std::move(stack.back());
      stack.pop_back();
      if (next.depth > 16) return fail(next.folder.string() + ": test groups nested too deep");
      auto args = folder_args(next.folder, next.above);
      if (!args) return args.error();
      std::error_code ec;
      fs::directory_iterator it(next.folder, ec);
      if (ec) return fail(next.folder.string() + ": " + ec.message());
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) return fail(next.folder.string() + ": " + ec.message());
        std::error_code kind_ec;  // a dangling link is neither: skipped
        if (it->is_directory(kind_ec)) {
          stack.push_back({it->path(), *args, next.depth + 1});
        } else if (it->path().extension() == ".in" && it->is_regular_file(kind_ec)) {
          if (auto s = add_test(it->path(), *args, kind); !s) return s;
        }
      }
      if (ec) return fail(next.folder.string() + ": " + ec.message());
    }
    return ok();
  }

  // Each test's id: its path with dots for slashes when that is a valid,
  // unique and short enough id, else its place in the order.
  void name_ids() {
    std::set<std::string> used;
    for (std::size_t i = 0; i < tests.size(); ++i) {
      std::string id = tests[i].name;
      std::replace(id.begin(), id.end(), '/', '.');
      if (id.size() > kMaxTestId || runner::id_from_stem(id, kMaxTestId) != id || used.contains(id))
        id = "t" + std::to_string(i + 1);
      used.insert(id);
      tests[i].id = id;
    }
  }
};

}  // namespace

Expected<std::vector<std::pair<std::string, std::string>>> sample_interactions(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  const fs::path data = dir / "data";
  std::error_code ec;
  if (!fs::is_directory(data / "sample", ec)) return out;
  for (fs::recursive_directory_iterator it(data / "sample", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".interaction" || !it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string text(64 << 10, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return fail(it->path().string() + ": unreadable");
    text.resize(static_cast<std::size_t>(in.gcount()));
    out.emplace_back(fs::path(it->path()).replace_extension().lexically_relative(data).generic_string(),
                     std::move(text));
  }
  if (ec) return fail((data / "sample").string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<fs::path> settings_file(const fs::path& folder) {
  std::error_code ec;
  for (const char* name : {"testdata.yaml", "test_group.yaml"})
    if (fs::is_regular_file(folder / name, ec)) return folder / name;
  return std::nullopt;
}

Expected<std::vector<TestCase>> package_tests(const fs::path& dir, const PackageDataRules& rules) {
  Walk w{dir / "data", rules, {}};
  std::error_code ec;
  if (!fs::is_directory(w.data, ec)) return fail(w.data.string() + ": missing (a package keeps its tests there)");
  auto top = w.folder_args(w.data, Settings{});
  if (!top) return top.error();
  for (const auto& [group, kind] : {std::pair{"sample", TestKind::Sample}, {"secret", TestKind::Secret}})
    if (fs::is_directory(w.data / group, ec))
      if (auto s = w.walk(w.data / group, *top, kind); !s) return s.error();
  if (w.tests.empty()) return fail(w.data.string() + ": no tests (no .in files under sample/ or secret/)");
  std::sort(w.tests.begin(), w.tests.end(), [](const TestCase& a, const TestCase& b) { return a.name < b.name; });
  w.name_ids();
  return std::move(w.tests);
}

}  // namespace pyjudge::judge
