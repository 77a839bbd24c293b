// Where pyjudge's helper scripts are, as a user should be told: the
// installed copy (PREFIX/share/pyjudge/scripts/NAME, next to an installed
// PREFIX/bin/pyjudge) or, in a source tree, scripts/NAME.
#pragma once

#include <string>

namespace pyjudge::runner {

// The command to tell a user for the helper script `name` ("build-image.sh").
std::string helper_script(const std::string& name);
// True when this pyjudge runs from an installed package.
bool is_installed();

}  // namespace pyjudge::runner
