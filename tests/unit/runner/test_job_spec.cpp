#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "runner/job/job_spec.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using nlohmann::json;

namespace {

struct Scratch {
  std::filesystem::path path = std::filesystem::path("/var/tmp") / ("pyjudge-spec-test-" + std::to_string(::getpid()));
  Scratch() {
    std::filesystem::create_directories(path);
    std::ofstream(path / "a.py") << "print(1)\n";
    std::ofstream(path / "in.txt") << "1 2\n";
  }
  ~Scratch() { std::filesystem::remove_all(path); }
};

runner::JobSpecRules batch_rules(const std::filesystem::path& base) {
  runner::JobSpecRules r;
  r.names_files = r.names_group = r.needs_id = true;
  r.resolve = [base](const std::string& p) -> Expected<std::filesystem::path> { return base / p; };
  return r;
}

std::string error_of(const Status& s) { return s ? std::string() : s.error().message; }

}  // namespace

TEST_SUITE("runner/job/job_spec") {
  TEST_CASE("a limit means the same as a number or as text (a CSV cell)") {
    Scratch d;
    Job a;
    Job b;
    REQUIRE(runner::apply_job_spec(a, json{{"id", "a"}, {"script", "a.py"}, {"time_limit", 1.5}, {"memory", 67108864}},
                                   batch_rules(d.path)));
    REQUIRE(runner::apply_job_spec(b, json{{"id", "b"}, {"script", "a.py"}, {"time_limit", "1.5"}, {"memory", "64m"}},
                                   batch_rules(d.path)));
    CHECK(a.limits.wall_limit_s == 1.5);
    CHECK(b.limits.wall_limit_s == 1.5);
    CHECK(a.limits.memory_bytes == 64LL << 20);
    CHECK(b.limits.memory_bytes == 64LL << 20);
    CHECK(a.script == d.path / "a.py");
  }

  TEST_CASE("files go through the resolver; stdin may be null or empty; script and id are required") {
    Scratch d;
    Job j;
    REQUIRE(runner::apply_job_spec(j, json{{"id", "x"}, {"script", "a.py"}, {"stdin", "in.txt"}}, batch_rules(d.path)));
    REQUIRE(j.stdin_file.has_value());
    CHECK(*j.stdin_file == d.path / "in.txt");
    Job n;
    REQUIRE(runner::apply_job_spec(n, json{{"id", "x"}, {"script", "a.py"}, {"stdin", nullptr}}, batch_rules(d.path)));
    CHECK_FALSE(n.stdin_file.has_value());
    Job e;
    REQUIRE(runner::apply_job_spec(e, json{{"id", "x"}, {"script", "a.py"}, {"stdin", ""}}, batch_rules(d.path)));
    CHECK_FALSE(e.stdin_file.has_value());
    Job m;
    CHECK(error_of(runner::apply_job_spec(m, json{{"id", "x"}}, batch_rules(d.path))) == "\"script\" is required");
    Job i;
    CHECK(error_of(runner::apply_job_spec(i, json{{"script", "a.py"}}, batch_rules(d.path))) == "missing \"id\"");
    Job r;
    auto rules = batch_rules(d.path);
    rules.resolve = [](const std::string& p) -> Expected<std::filesystem::path> { return fail("'" + p + "' refused"); };
    CHECK(error_of(runner::apply_job_spec(r, json{{"id", "x"}, {"script", "a.py"}}, rules)) ==
          "\"script\": 'a.py' refused");
  }

  TEST_CASE("a key is allowed only where the rules allow it, with one message for every unknown key") {
    Scratch d;
    Job j;
    j.id = "w";
    j.script = d.path / "a.py";
    // An ID.json beside ID.py, or a problem: limits only.
    CHECK(error_of(runner::apply_job_spec(j, json{{"script", "a.py"}}, runner::JobSpecRules{})) ==
          "unknown key \"script\"");
    CHECK(error_of(runner::apply_job_spec(j, json{{"group", "g"}}, runner::JobSpecRules{})) == "unknown key \"group\"");
    CHECK(error_of(runner::apply_job_spec(j, json{{"colour", "red"}}, batch_rules(d.path))) ==
          "unknown key \"colour\"");
    // A watch ID.json naming its files: the id must be the file's name.
    runner::JobSpecRules watch;
    watch.names_files = true;
    watch.fixed_id = "w";
    watch.resolve = batch_rules(d.path).resolve;
    CHECK(error_of(runner::apply_job_spec(j, json{{"id", "v"}, {"script", "a.py"}}, watch)) ==
          "\"id\" must be \"w\" (the file's name)");
    CHECK(runner::apply_job_spec(j, json{{"id", "w"}, {"script", "a.py"}}, watch));
    CHECK(error_of(runner::apply_job_spec(j, json{{"script", 5}}, watch)) == "\"script\" must be a string");
    // runtime: in a jobs file (the operator's) yes, in a watch ID.json no.
    Job rt;
    auto with_runtime = batch_rules(d.path);
    with_runtime.names_runtime = true;
    REQUIRE(runner::apply_job_spec(rt, json{{"id", "x"}, {"script", "a.py"}, {"runtime", "runsc"}}, with_runtime));
    CHECK(rt.limits.runtime == "runsc");
    CHECK(
        error_of(runner::apply_job_spec(j, json{{"runtime", "runc"}}, watch)).find(R"("runtime" is the operator's)") ==
        0);
    Job g;
    CHECK(error_of(
              runner::apply_job_spec(g, json{{"id", "x"}, {"script", "a.py"}, {"group", "a b"}}, batch_rules(d.path)))
              .find("bad group 'a b'") == 0);
  }

  TEST_CASE("problem limits: the limit keys apply, the problem's own keys are left to it") {
    Limits l;
    REQUIRE(runner::apply_limit_fields(l, json{{"title", "Sum"}, {"time_limit", 2}, {"memory", "128m"}}));
    CHECK(l.wall_limit_s == 2);
    CHECK(l.memory_bytes == 128LL << 20);
    CHECK(error_of(runner::apply_limit_fields(l, json{{"memory", "lots"}})).find("field 'memory': ") == 0);
    CHECK(error_of(runner::apply_limit_fields(l, json{{"memory", "1m"}})).find("below the minimum") !=
          std::string::npos);
  }

  TEST_CASE("runner::read_json_object: missing, bad JSON and a non-object are errors naming the file") {
    Scratch d;
    const auto missing = runner::read_json_object(d.path / "none.json", "none.json");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "none.json: missing or unreadable");
    std::ofstream(d.path / "bad.json") << "{";
    REQUIRE_FALSE(runner::read_json_object(d.path / "bad.json", "bad.json"));
    CHECK(runner::read_json_object(d.path / "bad.json", "bad.json").error().message.find("bad.json: bad JSON") == 0);
    std::ofstream(d.path / "list.json") << "[1]";
    REQUIRE_FALSE(runner::read_json_object(d.path / "list.json", "list.json"));
    CHECK(runner::read_json_object(d.path / "list.json", "list.json").error().message ==
          "list.json: must be a JSON object");
    std::ofstream(d.path / "ok.json") << R"({"a": 1})";
    auto j = runner::read_json_object(d.path / "ok.json", "ok.json");
    REQUIRE(j);
    CHECK((*j)["a"] == 1);
  }
}
