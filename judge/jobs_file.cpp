#include "jobs_file.h"

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

namespace pyjudge::cli {

namespace {

enum class Format { Jsonl, Csv };

struct Loader {
  std::string shown;           // file name in messages
  std::filesystem::path base;  // relative paths resolve here
  Limits defaults;
  JobsFile out;
  std::map<std::string, std::size_t> first_line_of_id;

  void error(std::size_t line, const std::string& what) {
    out.errors.push_back(fmt::format("{}:{}: {}", shown, line, what));
  }

  std::filesystem::path resolve(const std::string& p) const {
    const std::filesystem::path path(p);
    return path.is_absolute() ? path : base / path;
  }

  // Shared by both formats: fields by name, values as text.
  void add(std::size_t line, const std::map<std::string, std::string>& fields) {
    Job job;
    job.limits = defaults;
    bool bad = false;
    for (const auto& [key, value] : fields) {
      if (key == "id")
        job.id = value;
      else if (key == "group") {
        if (!value.empty() && !is_valid_id(value)) {
          error(line, "bad group '" + value + "' (letters, digits, '.', '_', '-'; at most 64)");
          bad = true;
        }
        job.group = value;
      } else if (key == "script")
        job.script = value.empty() ? std::filesystem::path() : resolve(value);
      else if (key == "stdin") {
        if (!value.empty()) job.stdin_file = resolve(value);
      } else if (auto s = set_limit(job.limits, key, value); !s) {
        error(line, s.error().message);
        bad = true;
      }
    }
    if (!fields.count("id") || job.id.empty()) return error(line, "missing \"id\"");
    if (!fields.count("script") || job.script.empty()) return error(line, "job '" + job.id + "': missing \"script\"");
    if (auto [it, fresh] = first_line_of_id.emplace(job.id, line); !fresh)
      return error(line, fmt::format("duplicate id '{}' (first on line {})", job.id, it->second));
    if (bad) return;
    if (auto s = validate(job); !s) return error(line, "job '" + job.id + "': " + s.error().message);
    out.jobs.push_back(std::move(job));
    out.lines.push_back(line);
  }

  void jsonl_line(std::size_t line, const std::string& text) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      return error(line, std::string("bad JSON: ") + e.what());
    }
    if (!j.is_object()) return error(line, "a job must be a JSON object");
    std::map<std::string, std::string> fields;
    static const std::set<std::string> kText = {"id", "script", "stdin", "group"};
    for (const auto& [key, value] : j.items()) {
      const bool is_limit = std::find(limit_keys().begin(), limit_keys().end(), key) != limit_keys().end();
      if (!kText.count(key) && !is_limit) return error(line, "unknown key \"" + key + "\"");
      const auto as_text = is_limit ? limit_json_text(value) : std::optional<std::string>();
      if (value.is_string())
        fields[key] = value.get<std::string>();
      else if (key == "stdin" && value.is_null())
        fields[key] = "";
      else if (as_text)
        fields[key] = *as_text;
      else
        return error(line, "\"" + key + "\" must be a " + (is_limit ? "number or string" : "string"));
    }
    add(line, fields);
  }

  void csv(std::istream& in) {
    std::string text;
    std::vector<std::string> header;
    std::size_t line = 0;
    while (std::getline(in, text)) {
      ++line;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
      std::vector<std::string> cells;
      if (!split_csv_line(text, cells)) {
        error(line, "unterminated quote");
        continue;
      }
      if (header.empty()) {
        header = cells;
        std::set<std::string> seen;
        for (const auto& h : header) {
          const bool known = h == "id" || h == "script" || h == "stdin" || h == "group" ||
                             std::find(limit_keys().begin(), limit_keys().end(), h) != limit_keys().end();
          if (!known) error(line, "unknown column \"" + h + "\"");
          if (!seen.insert(h).second) error(line, "column \"" + h + "\" appears twice");
        }
        if (!seen.count("id") || !seen.count("script")) error(line, "the header needs the columns id and script");
        if (!out.errors.empty()) return;
        continue;
      }
      if (cells.size() != header.size()) {
        error(line, fmt::format("{} fields, the header has {}", cells.size(), header.size()));
        continue;
      }
      std::map<std::string, std::string> fields;
      for (std::size_t i = 0; i < header.size(); ++i)
        if (!cells[i].empty() || header[i] == "id" || header[i] == "script") fields[header[i]] = cells[i];
      add(line, fields);
    }
    if (header.empty()) error(1, "empty CSV: a header line (id,script,stdin,time_limit) is needed");
  }

  void jsonl(std::istream& in) {
    std::string text;
    std::size_t line = 0;
    while (std::getline(in, text)) {
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      jsonl_line(line, text);
    }
  }
};

Format sniff(const std::string& content) {
  const auto first = content.find_first_not_of(" \t\r\n");
  return first != std::string::npos && content[first] == '{' ? Format::Jsonl : Format::Csv;
}

}  // namespace

bool split_csv_line(const std::string& line, std::vector<std::string>& fields) {
  fields.clear();
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  fields.push_back(std::move(cell));
  return !quoted;
}

JobsFile load_jobs(const std::string& path, const Limits& defaults) {
  Loader l;
  l.defaults = defaults;
  std::string content;
  if (path == "-") {
    l.shown = "<stdin>";
    l.base = std::filesystem::current_path();
    std::ostringstream s;
    s << std::cin.rdbuf();
    content = s.str();
  } else {
    l.shown = path;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      l.out.errors.push_back(path + ": is a folder, not a jobs file");
      return l.out;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      l.out.errors.push_back(path + ": cannot read the jobs file");
      return l.out;
    }
    std::ostringstream s;
    s << in.rdbuf();
    content = s.str();
    l.base = std::filesystem::absolute(std::filesystem::path(path)).parent_path();
  }
  const std::string ext = path == "-" ? "" : std::filesystem::path(path).extension().string();
  Format f = sniff(content);
  if (ext == ".csv") f = Format::Csv;
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") f = Format::Jsonl;
  std::istringstream in(content);
  if (f == Format::Csv)
    l.csv(in);
  else
    l.jsonl(in);
  if (l.out.errors.empty() && l.out.jobs.empty()) l.out.errors.push_back(l.shown + ": no jobs");
  l.out.shown = l.shown;
  return l.out;
}

}  // namespace pyjudge::cli
