// pyjudge verify's judging: every sample submission of a problem graded,
// and each one's verdict held against what it must get (expectations.h).
// The problem setter's check, like problemtools' verifyproblem.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/formats/expectations.h"
#include "judge/grade.h"
#include "judge/input_validation.h"
#include "judge/interaction_replay.h"

namespace pyjudge::judge {

struct VerifyRow {
  SampleSubmission sample;
  SubmissionGrade grade;
  std::optional<std::string> unmet;  // why it misses its expectation
};

struct VerifyReport {
  GradeReport grade;
  std::vector<VerifyRow> rows;
  // The package's submissions in other languages, not graded: a note each.
  std::vector<SkippedSubmission> skipped;
  // The package's input validators over its tests' inputs (none: empty).
  InputValidation inputs;
  // An interactive package's sample transcripts, replayed.
  std::vector<Replay> replays;

  bool all_met() const;
  bool all_graded() const;
};

// Why the grade misses the expectation, or nothing when it meets it.
std::optional<std::string> unmet(const Expectation& e, const SubmissionGrade& g);

// The tests' inputs checked by the package's input validators, the sample
// transcripts replayed (interactive packages), then the samples graded and held against their expectations; `skipped`
// only reported. A validator that does not build stops it (the grade's problem_error), as an interrupt does.
VerifyReport verify(const Problem& problem, const std::vector<SampleSubmission>& samples,
                    std::vector<SkippedSubmission> skipped, const GradeOptions& opt, Executor& executor);

// Got against want, a row per submission, a note per skipped one, and a
// last line that says whether the problem verifies.
std::string verify_table(const VerifyReport& r, bool color);
nlohmann::json verify_json(const VerifyReport& r);

}  // namespace pyjudge::judge
