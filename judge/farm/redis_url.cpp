#include "judge/farm/redis_url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace pyjudge::judge {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

Expected<std::string> percent_decode(std::string_view s, std::string_view what) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
    if (i + 2 >= s.size() || hi < 0 || lo < 0) return fail("bad %-escape in the queue URL's " + std::string(what));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Expected<int> parse_int(std::string_view s, int lo, int hi, const std::string& what) {
  int v = 0;
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || ptr != end || v < lo || v > hi)
    return fail("the queue URL's " + what + " must be a number from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ", not '" + std::string(s) + "'");
  return v;
}

// HOST[:PORT] or [IPV6][:PORT].
Status parse_host_port(std::string_view hp, RedisUrl& url) {
  std::string_view port;
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string_view::npos) return fail("the queue URL has an unclosed '[' in its host");
    url.host = std::string(hp.substr(1, close - 1));
    const auto rest = hp.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return fail("the queue URL has text after ']' in its host");
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const auto colon = hp.rfind(':');
    url.host = std::string(hp.substr(0, colon));
    if (colon != std::string_view::npos) port = hp.substr(colon + 1);
  }
  if (url.host.empty()) return fail("the queue URL names no host (redis://HOST[:PORT][/DB])");
  const bool host_ok = std::all_of(url.host.begin(), url.host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == ':' || c == '_';
  });
  if (!host_ok) return fail("the queue URL's host '" + url.host + "' is not a host name or address");
  if (!port.empty() || hp.back() == ':') {
    auto p = parse_int(port, 1, 65535, "port");
    if (!p) return p.error();
    url.port = *p;
  }
  return ok();
}

}  // namespace

std::string RedisUrl::shown() const {
  std::string s = "redis://";
  if (!user.empty() || !password.empty()) s += user + (password.empty() ? "" : ":***") + "@";
  s += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return s + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Expected<RedisUrl> parse_redis_url(std::string_view text, std::string_view env_password) {
  constexpr std::string_view kScheme = "redis://";
  if (text.starts_with("rediss://"))
    return fail(
        "rediss:// (TLS) is not supported: Debian's hiredis 0.14 has no TLS; reach Redis over a private "
        "network or a TLS tunnel (stunnel, spiped) and use redis://");
  if (!text.starts_with(kScheme))
    return fail("the queue URL must be redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], not '" + std::string(text) + "'");
  std::string_view rest = text.substr(kScheme.size());
  RedisUrl url;
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) {
      auto n = parse_int(db, 0, 65535, "database number");
      if (!n) return n.error();
      url.db = *n;
    }
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon), "user");
    if (!user) return user.error();
    auto password = percent_decode(colon == std::string_view::npos ? "" : userinfo.substr(colon + 1), "password");
    if (!password) return password.error();
    url.user = *user;
    url.password = password->empty() ? std::string(env_password) : *password;
    if (url.password.empty())
      return fail(
          "the queue URL names a user but no password (give USER:PASSWORD, or the password in "
          "PYJUDGE_QUEUE_PASSWORD)");
  }
  if (auto s = parse_host_port(authority, url); !s) return s.error();
  if (url.password.empty()) url.password = std::string(env_password);
  return url;
}

Status validate_queue_name(std::string_view name) {
  const bool good = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
  if (!good) return fail("the queue name must be 1-64 of A-Z a-z 0-9 . _ -, not '" + std::string(name) + "'");
  return ok();
}

}  // namespace pyjudge::judge
