// Shared set-up for the engine integration tests: one engine connection and
// session, a scratch folder, and helpers that run a script as a job.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/engine/engine.h"
#include "runner/sandbox/job_runner.h"

namespace pyjudge::testing {

struct EngineEnv {
  runner::Engine engine;
  std::string image;
  runner::Session session;
  std::filesystem::path scratch;  // removed at exit
};

// Connects on first use. When no engine answers or the image is missing it
// fails the calling test with the command that fixes it: never a skip.
EngineEnv& engine_env();

std::filesystem::path write_file(const std::string& name, const std::string& content);
// `content` into `file`, its folders made first.
void put_file(const std::filesystem::path& file, const std::string& content);

struct ScriptRun {
  runner::JobResult result;
  std::string out;  // OUT/ID/stdout
  std::string err;  // OUT/ID/stderr
  double host_seconds = 0;
};

// Runs `code` as job `id` through run_job with `limits` and returns the
// result and the files it wrote.
ScriptRun run_script(const std::string& id, const std::string& code, const std::optional<std::string>& stdin_data = {},
                     runner::Limits limits = {});

std::string slurp(const std::filesystem::path& p);
// A JSON file the run wrote (result.json, report.json...), parsed.
nlohmann::json read_json(const std::filesystem::path& p);
// Whether warm containers opened by the tests fork their runs from a zygote:
// yes, as pyjudge's own, unless PYJUDGE_TEST_NO_ZYGOTE=1 (ctest engine-exec).
bool zygote_mode();
// Containers of ours carrying these extra labels (running or not).
int count_containers(const std::map<std::string, std::string>& labels);

}  // namespace pyjudge::testing
