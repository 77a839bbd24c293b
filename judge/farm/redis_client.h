// Redis: one connection to the farm's Redis through hiredis, owned, with the
// AUTH and SELECT of its URL done on connect; commands take binary-safe
// arguments and return owned replies.
#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "judge/farm/redis_url.h"
#include "runner/shared/expected.h"

struct redisContext;
struct redisReply;

namespace pyjudge::judge {

using Fields = std::vector<std::pair<std::string, std::string>>;
using FieldViews = std::vector<std::pair<std::string_view, std::string_view>>;

struct RedisReplyDeleter {
  void operator()(redisReply* r) const;
};
// A reply, freed with freeReplyObject.
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

// What a reply holds; shallow views into it.
bool reply_is_nil(const redisReply& r);
bool reply_is_array(const redisReply& r);
std::string_view reply_text(const redisReply& r);  // a string or status reply; "" otherwise
long long reply_integer(const redisReply& r);      // an integer reply; 0 otherwise
std::size_t reply_size(const redisReply& r);       // elements of an array reply
const redisReply& reply_at(const redisReply& r, std::size_t i);

// One entry of a stream reply (XRANGE, XREAD, XREADGROUP, XAUTOCLAIM).
struct StreamEntry {
  std::string id;
  FieldViews fields;  // views into the reply
};
// The entries of an [[id, [field, value, ...]], ...] reply; malformed
// elements are skipped.
std::vector<StreamEntry> stream_entries(const redisReply& list);
// XREAD's and XREADGROUP's [[stream, entries]] reply (nil: none).
std::vector<StreamEntry> read_entries(const redisReply& reply);

// An argument list over owned strings: {"XADD", key, "*"} and then fields.
std::vector<std::string_view> command_args(std::initializer_list<std::string_view> head, const Fields& tail = {});

class Redis {
 public:
  // Connects, authenticates and selects the database. A refused connection,
  // a wrong password or user are errors that say which and name the URL
  // (password masked).
  static Expected<Redis> connect(const RedisUrl& url, std::chrono::milliseconds timeout);

  Redis(Redis&& other) noexcept;
  Redis& operator=(Redis&& other) noexcept;
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;
  ~Redis();

  // One command. An error reply ("NOGROUP ...") is an error whose message is
  // Redis's; a lost connection is an error too, and broken() then says so.
  Expected<RedisReply> command(const std::vector<std::string_view>& args);
  // True once the connection failed: reconnect.
  bool broken() const { return broken_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  explicit Redis(redisContext* c);
  std::unique_ptr<redisContext, ContextDeleter> ctx_;
  bool broken_ = false;
};

}  // namespace pyjudge::judge
