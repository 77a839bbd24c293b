// Runner images with extra Debian packages (scripts/build-image.sh --with):
// jobs, grading and doctor pick them with --image. scripts/test.sh builds
// the numpy image these tests use.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "runner/engine/image.h"
#include "tests/support/cli_process.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kNumpyImage = "pyjudge-python-numpy";

// Fails loudly, with the command that builds it, when the image is missing.
void require_numpy_image() {
  Engine engine(*endpoint_from_env());
  auto info = check_image(engine, kNumpyImage);
  REQUIRE_MESSAGE(bool(info),
                  "the numpy runner image is missing: build it with 'scripts/build-image.sh --with "
                  "python3-numpy --tag pyjudge-python-numpy' (",
                  (info ? "" : info.error().message), ")");
  CHECK(info->packages == std::vector<std::string>{"python3-numpy"});
}

}  // namespace

TEST_SUITE("engine/images") {
  TEST_CASE("a numpy job runs in an image built with --with python3-numpy, and not in the plain one") {
    require_numpy_image();
    const auto script = write_file("numpy_job.py",
                                   "import numpy as np\n"
                                   "a = np.arange(12, dtype=np.int64).reshape(3, 4)\n"
                                   "print(int(a.sum()), a.shape)\n"
                                   "print(np.linalg.matrix_rank(np.eye(5)))\n");
    const auto out = engine_env().scratch / "images";
    auto r = run_pyjudge({"run", script.string(), "--image", kNumpyImage, "--out", out.string()});
    CHECK(r.exit_code == 0);
    CHECK(slurp(out / "numpy_job" / "stdout") == "66 (3, 4)\n5\n");
    auto plain = run_pyjudge({"run", script.string(), "--out", (out / "plain").string()});
    CHECK(plain.exit_code == 255);
    CHECK(slurp(out / "plain" / "numpy_job" / "stderr").find("No module named 'numpy'") != std::string::npos);
  }

  TEST_CASE("doctor --image reports the image and its packages; an unknown image is exit 3 with the fix") {
    require_numpy_image();
    auto r = run_pyjudge({"doctor", "--json", "--image", kNumpyImage});
    CHECK(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["image"]["name"] == kNumpyImage);
    CHECK(j["image"]["ok"] == true);
    CHECK(j["image"]["packages"] == nlohmann::json::array({"python3-numpy"}));
    auto missing = run_pyjudge({"run", write_file("x.py", "print(1)\n").string(), "--image", "pyjudge-no-such-image",
                                "--out", (engine_env().scratch / "images-missing").string()});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("image 'pyjudge-no-such-image' not found; build it with") != std::string::npos);
  }
}
