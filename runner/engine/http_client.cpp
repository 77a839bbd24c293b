#include "runner/engine/http_client.h"

#include <mutex>
#include <new>

#include "runner/engine/curl_transport.h"

namespace pyjudge::runner {

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlEasy make_curl_easy() {
  ensure_curl_global_init();
  CurlEasy h(curl_easy_init());
  if (!h) throw std::bad_alloc();
  return h;
}

namespace {

size_t append_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

HttpClient::HttpClient(Endpoint endpoint) : endpoint_(std::move(endpoint)), curl_(make_curl_easy()) {
  json_headers_.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
  curl_slist* l = curl_slist_append(json_headers_.get(), "Expect:");
  if (!json_headers_ || !l) throw std::bad_alloc();
}

Expected<HttpResponse> HttpClient::request(std::string_view method, const std::string& path, const std::string& body,
                                           long timeout_ms) {
  CURL* h = curl_.get();
  curl_easy_reset(h);  // keeps the live connection, forgets the last call's options
  HttpResponse resp;
  const std::string url = endpoint_.base_url + path;
  const std::string verb(method);
  set_transport(h, endpoint_);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, verb.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
  if (verb == "POST" || verb == "PUT" || !body.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, json_headers_.get());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) return fail(transport_error(endpoint_, rc) + " (" + verb + " " + path + ")");
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

}  // namespace pyjudge::runner
