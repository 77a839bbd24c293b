// pyjudge cleanup: remove what dead pyjudge processes left behind.
#include <iostream>

#include "judge/cli/commands.h"
#include "judge/cli/engine_setup.h"
#include "judge/cli/errors.h"
#include "judge/cli/logging.h"
#include "judge/cli/options.h"
#include "runner/sandbox/cleanup.h"

namespace pyjudge::cli {

using namespace pyjudge::judge;

void cleanup_options(po::options_description& d, po::positional_options_description& /*pos*/) {
  // clang-format off
  d.add_options()
    ("all", "also remove the containers of pyjudge processes that are still running")
    ("out", po::value<std::vector<std::string>>()->composing(), "results folder to clear of temp files (repeatable)");
  // clang-format on
  add_log_options(d);
}

int cmd_cleanup(const po::variables_map& vm) {
  runner::Engine engine = connect_engine();
  const runner::Session self = runner::Session::current();
  auto n = runner::remove_orphan_containers(engine, self, vm.count("all") > 0);
  if (!n) throw UnavailableError(n.error().message);
  int temps = 0;
  if (vm.count("out"))
    for (const auto& dir : vm["out"].as<std::vector<std::string>>()) temps += runner::remove_temp_files(dir);
  std::cout << "removed " << n->removed << " container(s), " << temps << " temp file(s); " << n->kept
            << " container(s) of running pyjudge processes kept\n";
  return kExitOk;
}

}  // namespace pyjudge::cli
