// RedisUrl: where the farm's queue lives, from
// redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], checked before any connection.
#pragma once

#include <string>
#include <string_view>

#include "runner/shared/expected.h"

namespace pyjudge::judge {

struct RedisUrl {
  std::string host;
  int port = 6379;
  std::string user;      // empty: Redis's default user
  std::string password;  // empty: no AUTH
  int db = 0;

  // The URL with the password masked, for logs and files.
  std::string shown() const;
};

// Parses the URL; percent-escapes in the user and password are decoded.
// `env_password` fills an empty password (PYJUDGE_QUEUE_PASSWORD), so that
// it need not appear on a command line. rediss:// is refused with the reason.
Expected<RedisUrl> parse_redis_url(std::string_view text, std::string_view env_password = {});

// A queue name: 1-64 of [A-Za-z0-9._-]. The keys are NAME:jobs and so on.
Status validate_queue_name(std::string_view name);

}  // namespace pyjudge::judge
