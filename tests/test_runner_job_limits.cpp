#include <doctest/doctest.h>

#include "job_limits.h"

using namespace pyjudge;

TEST_SUITE("runner/limits") {
  TEST_CASE("sizes") {
    CHECK(*parse_size("256m") == 256LL << 20);
  }
}
