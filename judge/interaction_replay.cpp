#include "judge/interaction_replay.h"

#include <algorithm>
#include <sstream>

#include <spdlog/fmt/fmt.h>
#include <nlohmann/json.hpp>

#include "judge/validator/validator_run.h"
#include "runner/job/files.h"
#include "runner/job/job.h"

namespace pyjudge::judge {

namespace fs = std::filesystem;

namespace {

// The replaying script: the steps travel as JSON inside a Python string
// literal (a JSON string is one), so no transcript text is ever code.
constexpr const char* kReplayer = R"(# pyjudge verify: replays a sample transcript against the output validator.
import json
import sys

steps = json.loads(@STEPS@)
for number, kind, text in steps:
    if kind == ">":
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        continue
    got = sys.stdin.readline()
    if not got:
        sys.stderr.write("transcript line %d: the validator sent nothing more, the transcript says %r\n"
                         % (number, text[:60]))
        sys.exit(1)
    if got.rstrip() != text.rstrip():
        sys.stderr.write("transcript line %d: the validator sent %r, the transcript says %r\n"
                         % (number, got.rstrip()[:60], text[:60]))
        sys.exit(1)
)";

// What the replay's grade says of the transcript.
Replay read_replay(const std::string& sample, const TestGrade& t, const fs::path& stderr_file) {
  Replay r{sample, Replay::Outcome::Follows, ""};
  switch (t.verdict) {
    case GradeVerdict::AC:
      return r;
    case GradeVerdict::IE:
    case GradeVerdict::NotRun:
      r.outcome = Replay::Outcome::NotGraded;
      r.message = t.message.empty() ? "not replayed (interrupted)" : t.message;
      return r;
    case GradeVerdict::WA:
      r.outcome = Replay::Outcome::Departs;
      r.message = "the validator rejects it" + (t.message.empty() ? std::string() : ": " + t.message);
      return r;
    default: {
      r.outcome = Replay::Outcome::Departs;
      const auto err = runner::read_file(stderr_file);
      const std::string why = err ? last_record_line(*err) : "";
      r.message = why.empty() ? fmt::format("the replay ended {}", to_string(t.verdict)) : why;
      return r;
    }
  }
}

}  // namespace

Expected<std::string> replay_script(std::string_view transcript) {
  nlohmann::json steps = nlohmann::json::array();
  std::istringstream in{std::string(transcript)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line.starts_with("---"))
      return fail(
          fmt::format("line {}: a multi-pass separator ('---'); pyjudge replays single-pass transcripts", number));
    if (line.front() != '<' && line.front() != '>')
      return fail(fmt::format("line {}: starts with neither '<' nor '>'", number));
    steps.push_back({number, std::string(1, line.front()), line.substr(1)});
  }
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;  // bytes that are not UTF-8
  std::string script = kReplayer;
  script.replace(script.find("@STEPS@"), 7,
                 nlohmann::json(steps.dump(-1, ' ', false, kReplace)).dump(-1, ' ', false, kReplace));
  return script;
}

std::vector<Replay> replay_interactions(const Problem& problem, const GradeOptions& opt, Executor& executor,
                                        int& signal) {
  std::vector<Replay> out;
  if (!problem.interactive) return out;
  for (const auto& [sample, transcript] : problem.interactions) {
    if (signal != 0) break;
    const auto test = std::find_if(problem.tests.begin(), problem.tests.end(),
                                   [&s = sample](const TestCase& t) { return t.name == s; });
    if (test == problem.tests.end()) {
      out.push_back({sample, Replay::Outcome::NotReplayed, "no data/" + sample + ".in to replay it on"});
      continue;
    }
    auto script = replay_script(transcript);
    if (!script) {
      out.push_back({sample, Replay::Outcome::Departs, script.error().message});
      continue;
    }
    const std::string id = "replay-" + test->id;
    const fs::path root = fs::path(".pyjudge") / "replays" / test->id;
    const fs::path file = opt.out / ".pyjudge" / "replays" / (test->id + ".py");
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (auto s = runner::write_file_atomic(file, *script); !s) {
      out.push_back({sample, Replay::Outcome::NotGraded, s.error().message});
      continue;
    }
    // The problem with this one test, graded as pass-fail.
    Problem one = problem;
    one.tests = {*test};
    one.scoring.reset();
    const GradeReport g =
        grade(one, {Submission{runner::id_from_stem(id, 40), file, "data/" + sample + ".interaction", root, {}}}, opt,
              executor);
    signal = g.signal;
    if (g.signal != 0 || g.submissions.empty() || g.submissions.front().tests.empty()) {
      out.push_back({sample, Replay::Outcome::NotGraded, g.error.empty() ? "not replayed" : g.error});
      continue;
    }
    out.push_back(read_replay(sample, g.submissions.front().tests.front(), opt.out / root / test->name / "stderr"));
  }
  return out;
}

nlohmann::json replays_json(const std::vector<Replay>& replays) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : replays) {
    static constexpr const char* kNames[] = {"follows", "departs", "not_replayed", "not_graded"};
    out.push_back({{"sample", r.sample}, {"outcome", kNames[static_cast<int>(r.outcome)]}, {"message", r.message}});
  }
  return out;
}

}  // namespace pyjudge::judge
