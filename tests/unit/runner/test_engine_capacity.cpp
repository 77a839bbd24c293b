// Limits against what the engine's machine can honour (runner/engine/engine_capacity.h).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "runner/engine/engine_capacity.h"

using namespace pyjudge;
using namespace pyjudge::runner;

TEST_SUITE("runner/engine/engine_capacity") {
  TEST_CASE("capacity comes from /info's NCPU and MemTotal") {
    const auto c = capacity_from_info({{"NCPU", 2}, {"MemTotal", 25276514304LL}, {"OSType", "linux"}});
    REQUIRE(c);
    CHECK(c->ncpu == 2);
    CHECK(c->mem_total == 25276514304LL);
    CHECK_FALSE(capacity_from_info({{"NCPU", 2}}));
    CHECK_FALSE(capacity_from_info({{"NCPU", "2"}, {"MemTotal", 1}}));
    CHECK_FALSE(capacity_from_info({{"NCPU", 0}, {"MemTotal", 1}}));
  }

  TEST_CASE("limits within the machine pass; beyond it, each is named") {
    const EngineCapacity cap{2, 4LL << 30, {}};
    Limits l;
    CHECK_FALSE(limits_beyond(l, cap));
    l.cpus = 2;
    l.memory_bytes = 4LL << 30;
    CHECK_FALSE(limits_beyond(l, cap));  // exactly the machine is allowed
    l.cpus = 3;
    auto why = limits_beyond(l, cap);
    REQUIRE(why);
    CHECK(*why == "cpus 3 is more than the engine's 2 CPUs");
    l.memory_bytes = 8LL << 30;
    why = limits_beyond(l, cap);
    REQUIRE(why);
    CHECK(why->find("cpus 3") != std::string::npos);
    CHECK(why->find("memory 8g is more than the engine's machine has (4.0 GiB)") != std::string::npos);
    l.cpus = 0.5;
    CHECK(*limits_beyond(l, cap) == "memory 8g is more than the engine's machine has (4.0 GiB)");
  }
}
