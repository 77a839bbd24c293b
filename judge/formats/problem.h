// Problems: problems/NAME/problem.json, statement.md and tests/NN.in + NN.out,
// loaded and validated strictly, every error naming the file and field.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "checker.h"
#include "expected.h"
#include "job_limits.h"

namespace pyjudge::judge {

struct TestCase {
  std::string name;  // "01"; also a folder name under each submission's results
  std::filesystem::path input;
  std::filesystem::path output;
  double points = 1;
};

struct Problem {
  std::string name;  // the folder's name
  std::filesystem::path dir;
  std::string title;
  Limits limits;  // time_limit and memory (and any other limit) from problem.json
  CheckerSpec checker;
  std::vector<TestCase> tests;

  double max_score() const;
};

// `defaults` supplies the limits problem.json does not set.
Expected<Problem> load_problem(const std::filesystem::path& dir, const Limits& defaults);

}  // namespace pyjudge::judge
