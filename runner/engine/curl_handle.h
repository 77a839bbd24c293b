// Owners for libcurl handles (CURL*, curl_slist*) and the one-time global init.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace pyjudge::runner {

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// curl_global_init once per process, before any thread makes a handle.
void ensure_curl_global_init();
// A new easy handle; throws std::bad_alloc when libcurl cannot make one.
CurlEasy make_curl_easy();

}  // namespace pyjudge::runner
