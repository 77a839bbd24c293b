#include "judge/farm/redis_link.h"

#include <thread>

#include <spdlog/spdlog.h>

namespace pyjudge::judge {

namespace {
constexpr std::chrono::milliseconds kConnectTimeout{3000};
}

RedisLink::RedisLink(RedisUrl url, std::chrono::seconds max_outage) : url_(std::move(url)), max_outage_(max_outage) {}

Status RedisLink::connect() {
  const std::lock_guard lock(mutex_);
  auto c = Redis::connect(url_, kConnectTimeout);
  if (!c) return c.error();
  conn_.emplace(std::move(*c));
  return ok();
}

int RedisLink::reconnects() const {
  const std::lock_guard lock(mutex_);
  return reconnects_;
}

std::optional<Expected<RedisReply>> RedisLink::try_once(const std::vector<std::string_view>& args) {
  if (!conn_ || conn_->broken()) return std::nullopt;
  auto reply = conn_->command(args);
  // A restarted Redis answers LOADING until its data is back.
  if (!reply && reply.error().message.starts_with("LOADING")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return std::nullopt;
  }
  if (!reply && conn_->broken()) return std::nullopt;
  return reply;
}

Expected<RedisReply> RedisLink::run(const std::vector<std::string_view>& args, const std::function<bool()>& give_up) {
  const std::lock_guard lock(mutex_);
  const auto start = std::chrono::steady_clock::now();
  bool warned = false;
  for (;;) {
    if (auto reply = try_once(args)) {
      if (warned) spdlog::warn("queue: Redis at {} answers again", url_.shown());
      return std::move(*reply);
    }
    if (!warned) {
      spdlog::warn("queue: lost Redis at {}; reconnecting", url_.shown());
      warned = true;
    }
    if (give_up && give_up()) return fail("the connection to Redis at " + url_.shown() + " was lost");
    if (max_outage_.count() > 0 && std::chrono::steady_clock::now() - start > max_outage_)
      return fail("Redis at " + url_.shown() + " did not answer for " + std::to_string(max_outage_.count()) + " s");
    if (conn_ && !conn_->broken()) continue;  // loading: the same connection
    if (auto c = Redis::connect(url_, kConnectTimeout)) {
      conn_.emplace(std::move(*c));
      ++reconnects_;
      continue;
    }
    conn_.reset();
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace pyjudge::judge
