#include "judge/jobs_file.h"

#include "runner/job/job_keys.h"
#include "runner/job/job_spec.h"

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

namespace pyjudge::judge {

namespace {

enum class Format { Jsonl, Csv };

struct Loader {
  std::string shown;           // file name in messages
  std::filesystem::path base;  // relative paths resolve here
  runner::Limits defaults;
  JobsFile out;
  std::map<std::string, std::size_t> first_line_of_id;

  void error(std::size_t line, const std::string& what) {
    out.errors.push_back(fmt::format("{}:{}: {}", shown, line, what));
  }

  runner::JobSpecRules rules() const {
    runner::JobSpecRules r;
    r.names_files = true;
    r.names_group = true;
    r.names_runtime = true;
    r.needs_id = true;
    r.resolve = [base = base](const std::string& p) -> Expected<std::filesystem::path> {
      const std::filesystem::path path(p);
      return path.is_absolute() ? path : base / path;
    };
    return r;
  }

  // Both formats end here: the spec as a JSON object (a CSV row's cells as
  // strings), parsed by the one job-spec parser.
  void add(std::size_t line, const nlohmann::json& spec) {
    runner::Job job;
    job.limits = defaults;
    const auto s = runner::apply_job_spec(job, spec, rules());
    if (!job.id.empty()) {
      if (auto [it, fresh] = first_line_of_id.emplace(job.id, line); !fresh)
        return error(line, fmt::format("duplicate id '{}' (first on line {})", job.id, it->second));
    }
    if (!s) return error(line, job.id.empty() ? s.error().message : "job '" + job.id + "': " + s.error().message);
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
    add(line, j);
  }

  // The header row: known, distinct columns including id and script.
  void csv_header(std::size_t line, const std::vector<std::string>& header) {
    std::set<std::string> seen;
    for (const auto& h : header) {
      const bool known = runner::find_job_key(h).has_value();
      if (!known) error(line, "unknown column \"" + h + "\"");
      if (!seen.insert(h).second) error(line, "column \"" + h + "\" appears twice");
    }
    if (!seen.contains("id") || !seen.contains("script")) error(line, "the header needs the columns id and script");
  }

  // A data row: empty cells leave the default (id and script are required).
  void csv_row(std::size_t line, const std::vector<std::string>& header, const std::vector<std::string>& cells) {
    if (cells.size() != header.size())
      return error(line, fmt::format("{} fields, the header has {}", cells.size(), header.size()));
    nlohmann::json spec = nlohmann::json::object();
    for (std::size_t i = 0; i < header.size(); ++i)
      if (!cells[i].empty() || header[i] == "id" || header[i] == "script") spec[header[i]] = cells[i];
    add(line, spec);
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
      } else if (header.empty()) {
        header = cells;
        csv_header(line, header);
        if (!out.errors.empty()) return;
      } else {
        csv_row(line, header, cells);
      }
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

JobsFile load_jobs(const std::string& path, const runner::Limits& defaults) {
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

}  // namespace pyjudge::judge
