// The pyjudge command line: dispatches to a command and turns the errors
// thrown anywhere below into one line on stderr and the documented exit code.
#pragma once

namespace pyjudge::cli {

int main(int argc, char** argv);

}  // namespace pyjudge::cli
