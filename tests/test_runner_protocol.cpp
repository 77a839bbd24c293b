// The supervisor protocol: frames, the run header and the record, as both
// sides see them (runner/protocol.h, runner/supervisor_protocol.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol.h"
#include "supervisor_protocol.h"

using namespace pyjudge;
namespace proto = pyjudge::protocol;

TEST_SUITE("runner/protocol") {
  TEST_CASE("placeholder") { CHECK(proto::kVersion == 3); }
}
