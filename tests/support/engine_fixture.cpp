#include "tests/support/engine_fixture.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "runner/engine/image.h"

namespace pyjudge::testing {

namespace {

std::unique_ptr<EngineEnv> connect() {
  auto ep = runner::endpoint_from_env();
  if (!ep) throw std::runtime_error(ep.error().message);
  runner::Engine engine(*ep);
  if (auto s = engine.ping(); !s)
    throw std::runtime_error("ENGINE TESTS CANNOT RUN: " + runner::engine_unavailable_message(*ep, s.error().message));
  const char* img = std::getenv("PYJUDGE_IMAGE");
  const std::string image = img && *img ? img : runner::kDefaultImage;
  if (auto s = runner::check_image(engine, image); !s)
    throw std::runtime_error("ENGINE TESTS CANNOT RUN: " + s.error().message);
  auto scratch = std::filesystem::temp_directory_path() / ("pyjudge-engine-tests-" + std::to_string(::getpid()));
  std::filesystem::create_directories(scratch);
  return std::make_unique<EngineEnv>(EngineEnv{std::move(engine), image, runner::Session::current(), scratch});
}

struct ScratchRemover {
  ~ScratchRemover();
} g_remover;

std::unique_ptr<EngineEnv>& slot() {
  static std::unique_ptr<EngineEnv> env;
  return env;
}

ScratchRemover::~ScratchRemover() {
  if (slot() && !std::getenv("PYJUDGE_KEEP_SCRATCH")) {
    std::error_code ec;
    std::filesystem::remove_all(slot()->scratch, ec);
  }
}

}  // namespace

EngineEnv& engine_env() {
  static std::string failure;
  if (!slot() && failure.empty()) {
    try {
      slot() = connect();
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  if (!slot()) FAIL(failure);
  return *slot();
}

std::filesystem::path write_file(const std::string& name, const std::string& content) {
  const auto p = engine_env().scratch / "inputs" / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

bool zygote_mode() {
  const char* v = std::getenv("PYJUDGE_TEST_NO_ZYGOTE");
  return v == nullptr || std::string(v) != "1";
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json read_json(const std::filesystem::path& p) { return nlohmann::json::parse(slurp(p)); }

ScriptRun run_script(const std::string& id, const std::string& code, const std::optional<std::string>& stdin_data,
                     runner::Limits limits) {
  auto& env = engine_env();
  runner::Job job;
  job.id = id;
  job.script = write_file(id + ".py", code);
  if (stdin_data) job.stdin_file = write_file(id + ".in", *stdin_data);
  job.limits = limits;
  runner::RunContext ctx{env.image, env.scratch / "out", env.session, 1, {}};
  const auto t0 = std::chrono::steady_clock::now();
  ScriptRun run;
  run.result = runner::run_job(env.engine, job, ctx);
  run.host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run.out = slurp(ctx.out_dir / id / "stdout");
  run.err = slurp(ctx.out_dir / id / "stderr");
  return run;
}

int count_containers(const std::map<std::string, std::string>& labels) {
  auto all = labels;
  all[runner::kLabelOwned] = "1";
  auto list = engine_env().engine.list_containers(all);
  REQUIRE_MESSAGE(bool(list), (list ? "" : list.error().message));
  return static_cast<int>(list->size());
}

void put_file(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << content;
}

}  // namespace pyjudge::testing
