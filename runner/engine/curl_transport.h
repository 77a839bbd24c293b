// How a libcurl handle reaches the engine: its unix socket, plain TCP, or
// TLS with Docker's client certificate; and what a failed call means.
#pragma once

#include <string>

#include <curl/curl.h>

#include "runner/engine/endpoint.h"

namespace pyjudge::runner {

// Sets the URL's transport options (not the URL): the socket path, or the
// CA, certificate and key, with the peer and its name verified.
void set_transport(CURL* h, const Endpoint& ep);

// "engine at ...: <why>", with what to check when TLS refused the peer or
// this client.
std::string transport_error(const Endpoint& ep, CURLcode rc);

}  // namespace pyjudge::runner
