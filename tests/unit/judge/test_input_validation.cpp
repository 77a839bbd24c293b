#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "judge/input_validation.h"

using namespace pyjudge;
using namespace pyjudge::judge;
using Outcome = InputCheck::Outcome;

TEST_SUITE("input_validation") {
  TEST_CASE("the driver's record: 42 valid, 43 invalid with the validator's last line, else its failure") {
    runner::JobResult ok;
    ok.verdict = runner::Verdict::OK;
    std::string message;
    CHECK(read_input_check(ok, R"({"exit": 42, "stderr_tail": "fine\n"})", message) == Outcome::Valid);
    CHECK(message.empty());
    CHECK(read_input_check(ok, R"({"exit": 43, "stderr_tail": "line 1\nn too big\n\n"})", message) == Outcome::Invalid);
    CHECK(message == "n too big");
    CHECK(read_input_check(ok, R"({"exit": 43, "stderr_tail": ""})", message) == Outcome::Invalid);
    CHECK(message == "rejected (exit 43)");
    CHECK(read_input_check(ok, R"({"exit": 1, "stderr_tail": "Traceback\nValueError: x\n"})", message) ==
          Outcome::Failed);
    CHECK(message == "the input validator exited with 1 (42 accepts, 43 rejects): ValueError: x");
    CHECK(read_input_check(ok, R"({"exit": -11})", message) == Outcome::Failed);
    CHECK(message == "the input validator was killed by signal 11");
    CHECK(read_input_check(ok, "garbage", message) == Outcome::Failed);
    CHECK(message == "the input validator's driver printed no record");
    runner::JobResult tle = ok;
    tle.verdict = runner::Verdict::TLE;
    CHECK(read_input_check(tle, R"({"exit": 42})", message) == Outcome::Failed);
    CHECK(message.find("ended TLE") != std::string::npos);
  }

  TEST_CASE("counts, completeness and verify.json's inputs") {
    InputValidation v;
    v.validators = {"input_validators/a.py"};
    v.checks = {{"sample/1", "input_validators/a.py", Outcome::Valid, ""},
                {"secret/1", "input_validators/a.py", Outcome::Invalid, "too big"}};
    CHECK(v.count(Outcome::Valid) == 1);
    CHECK(v.complete());
    auto j = input_validation_json(v);
    CHECK(j["checks"] == 2);
    CHECK(j["valid"] == 1);
    CHECK(j["invalid"][0] ==
          nlohmann::json({{"test", "secret/1"}, {"validator", "input_validators/a.py"}, {"message", "too big"}}));
    CHECK(j["failed"].empty());
    v.checks.push_back({"secret/2", "input_validators/a.py", Outcome::NotRun, ""});
    CHECK_FALSE(v.complete());
    CHECK(input_validation_json(v)["failed"].size() == 1);
  }
}
