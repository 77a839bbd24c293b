// The pyjudge commands: one entry point each, taking the arguments after the
// command name and returning the process exit code.
#pragma once

#include <string>
#include <vector>

namespace pyjudge::cli {

using Args = std::vector<std::string>;

int cmd_run(const Args& args);
int cmd_batch(const Args& args);
int cmd_grade(const Args& args);
int cmd_watch(const Args& args);
int cmd_worker(const Args& args);
int cmd_verify(const Args& args);
int cmd_doctor(const Args& args);
int cmd_cleanup(const Args& args);

}  // namespace pyjudge::cli
