#include "runner/engine/curl_transport.h"

namespace pyjudge::runner {

void set_transport(CURL* h, const Endpoint& ep) {
  if (!ep.unix_socket.empty()) curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, ep.unix_socket.c_str());
  if (!ep.tls) return;
  curl_easy_setopt(h, CURLOPT_CAINFO, ep.tls->ca.c_str());
  curl_easy_setopt(h, CURLOPT_SSLCERT, ep.tls->cert.c_str());
  curl_easy_setopt(h, CURLOPT_SSLKEY, ep.tls->key.c_str());
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
}

std::string transport_error(const Endpoint& ep, CURLcode rc) {
  std::string why = curl_easy_strerror(rc);
  if (ep.tls) {
    switch (rc) {
      case CURLE_PEER_FAILED_VERIFICATION:
        why = "TLS: the engine's certificate was refused (not signed by " + ep.tls->ca +
              ", or not issued for this host name)";
        break;
      case CURLE_SSL_CONNECT_ERROR:
        why = "TLS handshake failed (the engine may refuse this client's certificate " + ep.tls->cert + ")";
        break;
      case CURLE_RECV_ERROR:
        // TLS 1.3 engines refuse a client certificate after the handshake.
        why = "TLS: the engine dropped the connection (" + why +
              "); an engine that does not trust this client's certificate " + ep.tls->cert + " does that";
        break;
      case CURLE_SSL_CERTPROBLEM:
        why = "TLS: this client's certificate " + ep.tls->cert + " or key " + ep.tls->key + " is unusable";
        break;
      case CURLE_SSL_CACERT_BADFILE:
        why = "TLS: the CA file " + ep.tls->ca + " is unusable";
        break;
      default:
        break;
    }
  }
  return "engine at " + ep.shown + ": " + why;
}

}  // namespace pyjudge::runner
