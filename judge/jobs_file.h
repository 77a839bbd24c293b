// Jobs files for `pyjudge batch`: JSON Lines or CSV, read and validated as a
// whole so that a batch with any bad line runs nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runner/job/job.h"

namespace pyjudge::judge {

struct JobsFile {
  std::vector<runner::Job> jobs;
  std::vector<std::size_t> lines;   // the line of each job
  std::string shown;                // the file as named in messages
  std::vector<std::string> errors;  // "FILE:LINE: what is wrong", one per problem
};

// `path` is a file or "-" for stdin. Format: ".csv" is CSV, ".jsonl",
// ".ndjson" and ".json" are JSON Lines; "-" and other names are sniffed (a
// first line starting with '{' is JSON Lines). Relative script and stdin
// paths resolve against the file's folder (the working folder for "-").
// Missing limits take `defaults`.
JobsFile load_jobs(const std::string& path, const runner::Limits& defaults);

// Splits one CSV record (RFC 4180 quoting, no line breaks inside quotes).
bool split_csv_line(const std::string& line, std::vector<std::string>& fields);

}  // namespace pyjudge::judge
