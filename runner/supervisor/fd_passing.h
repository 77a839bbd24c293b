// Messages on the supervisor's AF_UNIX SOCK_SEQPACKET sockets (a function
// run's control and zygote sockets, a script container's zygote and zygote
// clients), each optionally carrying fds (SCM_RIGHTS): how a test's fresh
// socket reaches both of its ends, and a run's stdio reaches the zygote.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace pyjudge::supervisor {

inline constexpr std::size_t kMaxPassedFds = 4;

// One message, with `fd` attached unless it is -1. False when it could not
// be sent whole (the peer is gone, or the message is too large).
bool send_message(int sock, std::string_view msg, int fd = -1);
// The same with up to kMaxPassedFds fds in one message.
bool send_message_fds(int sock, std::string_view msg, std::initializer_list<int> fds);

// One message into buf (at most size bytes; a longer one is cut). Any fd the
// peer attached is closed: the supervisor takes none. Returns the length,
// 0 at EOF, -1 on error or when nothing is waiting (non-blocking socket).
ssize_t recv_message(int sock, char* buf, std::size_t size);

}  // namespace pyjudge::supervisor
