// RedisLink: a Redis connection that survives Redis restarts. A command on a
// lost connection reconnects (every second, with one warning per outage) and
// runs again, until it succeeds, the caller gives up or the wait runs out.
// Commands sent again must be idempotent; the farm's are (HSETNX guards the
// one that records a result).
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "judge/farm/redis_client.h"

namespace pyjudge::judge {

class RedisLink {
 public:
  // `max_outage`: how long to keep reconnecting; zero means until give_up.
  RedisLink(RedisUrl url, std::chrono::seconds max_outage);

  // Connects now; the error says why not (exit 3 for the commands).
  Status connect();
  // Runs one command (thread-safe). A server's error reply is returned as
  // it is; a lost connection is retried as above. `give_up` is asked between
  // attempts.
  Expected<RedisReply> run(const std::vector<std::string_view>& args, const std::function<bool()>& give_up = {});
  // Connections made after a loss (the caller may need to re-check state
  // that a Redis restart can have lost).
  int reconnects() const;

 private:
  // One try on the current connection: the reply, or nothing when the
  // connection is lost or Redis is still loading (then reconnect and retry).
  std::optional<Expected<RedisReply>> try_once(const std::vector<std::string_view>& args);

  RedisUrl url_;
  std::chrono::seconds max_outage_;
  mutable std::mutex mutex_;
  std::optional<Redis> conn_;
  int reconnects_ = 0;
};

}  // namespace pyjudge::judge
