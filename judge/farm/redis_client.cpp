#include "judge/farm/redis_client.h"

#include <sys/time.h>

#include <iterator>

#include <hiredis/hiredis.h>

namespace pyjudge::judge {

void RedisReplyDeleter::operator()(redisReply* r) const { freeReplyObject(r); }
void Redis::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

bool reply_is_nil(const redisReply& r) { return r.type == REDIS_REPLY_NIL; }
bool reply_is_array(const redisReply& r) { return r.type == REDIS_REPLY_ARRAY; }
std::string_view reply_text(const redisReply& r) {
  if (r.type != REDIS_REPLY_STRING && r.type != REDIS_REPLY_STATUS) return {};
  return {r.str, r.len};
}
long long reply_integer(const redisReply& r) { return r.type == REDIS_REPLY_INTEGER ? r.integer : 0; }
std::size_t reply_size(const redisReply& r) { return r.type == REDIS_REPLY_ARRAY ? r.elements : 0; }
const redisReply& reply_at(const redisReply& r, std::size_t i) { return *r.element[i]; }  // NOLINT: hiredis's array

std::vector<StreamEntry> stream_entries(const redisReply& list) {
  std::vector<StreamEntry> out;
  for (std::size_t i = 0; i < reply_size(list); ++i) {
    const redisReply& e = reply_at(list, i);
    if (reply_size(e) != 2 || reply_text(reply_at(e, 0)).empty()) continue;
    StreamEntry entry{std::string(reply_text(reply_at(e, 0))), {}};
    const redisReply& kv = reply_at(e, 1);
    for (std::size_t k = 0; k + 1 < reply_size(kv); k += 2)
      entry.fields.emplace_back(reply_text(reply_at(kv, k)), reply_text(reply_at(kv, k + 1)));
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<StreamEntry> read_entries(const redisReply& reply) {
  std::vector<StreamEntry> out;
  for (std::size_t s = 0; s < reply_size(reply); ++s) {
    const redisReply& stream = reply_at(reply, s);
    if (reply_size(stream) != 2) continue;
    auto entries = stream_entries(reply_at(stream, 1));
    std::move(entries.begin(), entries.end(), std::back_inserter(out));
  }
  return out;
}

std::vector<std::string_view> command_args(std::initializer_list<std::string_view> head, const Fields& tail) {
  std::vector<std::string_view> args(head);
  for (const auto& [k, v] : tail) {
    args.emplace_back(k);
    args.emplace_back(v);
  }
  return args;
}

Redis::Redis(redisContext* c) : ctx_(c) {}
Redis::Redis(Redis&&) noexcept = default;
Redis& Redis::operator=(Redis&&) noexcept = default;
Redis::~Redis() = default;

namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

Expected<Redis> Redis::connect(const RedisUrl& url, std::chrono::milliseconds timeout) {
  redisContext* raw = redisConnectWithTimeout(url.host.c_str(), url.port, to_timeval(timeout));
  if (raw == nullptr) return fail("cannot reach Redis at " + url.shown() + ": out of memory");
  Redis r(raw);
  if (raw->err != 0) return fail("cannot reach Redis at " + url.shown() + ": " + raw->errstr);
  // Commands wait at most this long; blocking reads ask for less.
  redisSetTimeout(raw, to_timeval(std::chrono::milliseconds(15000)));
  redisEnableKeepAlive(raw);
  if (!url.password.empty()) {
    std::vector<std::string_view> auth = {"AUTH"};
    if (!url.user.empty()) auth.emplace_back(url.user);
    auth.emplace_back(url.password);
    if (auto a = r.command(auth); !a)
      return fail("Redis at " + url.shown() + " refused the credentials: " + a.error().message);
  }
  if (url.db != 0) {
    const std::string db = std::to_string(url.db);
    if (auto s = r.command({"SELECT", db}); !s)
      return fail("Redis at " + url.shown() + " has no database " + db + ": " + s.error().message);
  }
  if (auto p = r.command({"PING"}); !p) {
    return fail(
        "Redis at " + url.shown() + " does not answer: " + p.error().message +
        (url.password.empty() ? " (give the password as redis://:PASSWORD@HOST or in PYJUDGE_QUEUE_PASSWORD)" : ""));
  }
  return r;
}

Expected<RedisReply> Redis::command(const std::vector<std::string_view>& args) {
  if (broken_) return fail("the connection to Redis was lost");
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* raw =
      static_cast<redisReply*>(redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (raw == nullptr) {
    broken_ = true;
    return fail(std::string("the connection to Redis was lost: ") + ctx_->errstr);
  }
  RedisReply reply(raw);
  if (reply->type == REDIS_REPLY_ERROR) return fail(std::string(reply->str, reply->len));
  return reply;
}

}  // namespace pyjudge::judge
