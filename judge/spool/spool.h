// Spool: the folder `pyjudge watch` serves — inbox/, work/, results/, done/,
// rejected/ — and the file moves that make it crash-safe: a claim is an
// atomic rename into work/ID/, results appear by renaming a finished temp
// folder to results/ID, and only then do the inputs move to done/.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runner/shared/expected.h"

namespace pyjudge::judge {

class Spool {
 public:
  // Creates the layout under `root` if missing.
  static Expected<Spool> open(const std::filesystem::path& root);

  std::filesystem::path root() const { return root_; }
  std::filesystem::path inbox() const { return root_ / "inbox"; }
  std::filesystem::path work() const { return root_ / "work"; }
  std::filesystem::path results() const { return root_ / "results"; }
  std::filesystem::path done() const { return root_ / "done"; }
  std::filesystem::path rejected() const { return root_ / "rejected"; }
  // The operator's shared scripts and inputs, which job specs may name.
  std::filesystem::path files() const { return root_ / "files"; }

  // What an inbox file name is. Names still being written (dotfiles,
  // *.tmp, *.part) are Ignored; ID.py, ID.in, ID.json with a valid ID are
  // parts of job ID; anything else is Invalid (to be rejected).
  enum class NameKind { Ignored, Script, Stdin, Json, Invalid };
  static NameKind kind_of(const std::string& name, std::string& id);

  // Moves inbox/ID.py (or, without one, inbox/ID.json) into a new work/ID/,
  // then its companions. False when there is nothing to claim or work/ID
  // already exists.
  Expected<bool> claim(const std::string& id) const;
  // After a crash between a claim and its companions: pulls them in.
  void adopt_companions(const std::string& id) const;
  // IDs claimed and not finished, e.g. by a process that crashed.
  std::vector<std::string> claimed() const;

  bool has_result(const std::string& id) const;
  // A fresh results/.ID.tmp-XXXX folder to write the results into.
  Expected<std::filesystem::path> temp_result_dir(const std::string& id) const;
  // Renames the temp folder to results/ID: the moment the job is judged.
  Status commit_result(const std::filesystem::path& temp, const std::string& id) const;
  // Moves work/ID's files to done/ and removes work/ID.
  Status finish(const std::string& id) const;
  // Moves work/ID's files to rejected/ with ID.reason.txt.
  Status reject_claimed(const std::string& id, const std::string& reason) const;
  // Moves one inbox file to rejected/ with NAME.reason.txt.
  Status reject_inbox_file(const std::string& name, const std::string& reason) const;
  // Removes temp result folders a crash left behind.
  int remove_stale_temps() const;

 private:
  explicit Spool(std::filesystem::path root) : root_(std::move(root)) {}
  // Renames `from` into `dir`, picking NAME, NAME.1, NAME.2, ... if taken.
  static Status move_unique(const std::filesystem::path& from, const std::filesystem::path& dir);
  // Moves every file of work/ID into `to` and removes work/ID.
  Status move_claim(const std::string& id, const std::filesystem::path& to) const;
  std::filesystem::path root_;
};

}  // namespace pyjudge::judge
