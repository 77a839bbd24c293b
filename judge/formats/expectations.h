// What each of a problem's own sample submissions must get: for problem.json
// problems, submissions/*.py against expected.json (for function problems,
// the folders submissions/NAME/ holding the module, by NAME), where each
// entry is a verdict or {"verdict": V, "score": N}; for packages, the
// format's submission folders (accepted, wrong_answer, time_limit_exceeded,
// run_time_error, rejected, brute_force, and partially_accepted for scoring
// problems), each with the verdicts its tests may get and the ones some
// test must get, and submissions/submissions.yaml's `score` for the
// submissions its patterns match.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "judge/formats/problem.h"
#include "judge/formats/submission.h"
#include "runner/shared/expected.h"

namespace pyjudge::judge {

struct Expectation {
  std::string want;  // as shown: "WA", or a package's folder name "wrong_answer"
  // problem.json: the submission's verdict must be `verdict`.
  std::string verdict;
  // Packages, in the format's verdicts (AC, WA, TLE, RTE): every test's
  // verdict permitted, and some test's required.
  std::set<std::string> permitted;
  std::set<std::string> required;
  // expected.json's {"verdict": V, "score": N}: the score it must get too.
  std::optional<double> score;
  // Scoring packages: accepted/ must get the full score; partially_accepted/
  // an AC verdict and a score strictly between none and the full one;
  // submissions.yaml's `score` (N, or [LOW, HIGH]) the score in that range.
  bool full_score = false;
  bool partial = false;
  std::optional<std::pair<double, double>> score_range;
};

struct SampleSubmission {
  Submission submission;
  Expectation expect;
};

// Errors name the file: an expected.json entry without a file, a file
// without an entry, a verdict that is not one.
Expected<std::vector<SampleSubmission>> sample_submissions(const Problem& problem);

// A package's sample submission that verify does not grade: one in another
// language (C++, Java...), or a folder. Submissions stay Python.
struct SkippedSubmission {
  std::string shown;  // "submissions/accepted/sol.cpp"
  std::string why;    // "C++"
};
// In the format's folders, in order; none for problem.json problems.
std::vector<SkippedSubmission> skipped_submissions(const Problem& problem);

// pyjudge's verdict in the format's terms: MLE and OLE are run-time errors
// there.
std::string package_verdict(const std::string& verdict);

}  // namespace pyjudge::judge
