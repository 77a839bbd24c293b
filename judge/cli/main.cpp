#include "judge/cli/cli.h"

int main(int argc, char** argv) { return pyjudge::cli::main(argc, argv); }
