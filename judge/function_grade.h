// Grading a function problem (docs/functions.md): a collection run lists the
// staff's test functions (no student code runs in it), then each submission
// is one run in a container of its own, whose staff process reports every
// test on the supervisor's channel; those reports become the same
// SubmissionGrade as a stdin problem's tests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "judge/executor.h"
#include "judge/formats/problem.h"
#include "judge/grade.h"

namespace pyjudge::judge {

// The staff's tests, in run order, each named, weighted and labelled as the
// staff's decorators say. Fails with a message naming why; `staff_fault`
// says whether the staff's tests were at fault (else the judge was).
Expected<std::vector<TestCase>> collect_function_tests(const Problem& problem, const GradeOptions& opt,
                                                       Executor& executor, bool& staff_fault);

// The problem's tests collected, then every submission graded.
GradeReport grade_functions(const Problem& problem, const std::vector<Submission>& subs, const GradeOptions& opt,
                            Executor& executor);

// One submission's report (the staff's process's stdout, JSON lines) read
// against the collected tests; `run` is the submission's run.
std::vector<TestGrade> function_test_grades(const std::vector<TestCase>& tests, const std::string& report,
                                            const runner::JobResult& run);

}  // namespace pyjudge::judge
