// Messages on the function run's AF_UNIX SOCK_SEQPACKET sockets (the staff's
// control socket, the zygote's), each optionally carrying one fd
// (SCM_RIGHTS): how a test's fresh socket reaches both of its ends.
#pragma once

#include <sys/types.h>

#include <string_view>

namespace pyjudge::supervisor {

// One message, with `fd` attached unless it is -1. False when it could not
// be sent whole (the peer is gone, or the message is too large).
bool send_message(int sock, std::string_view msg, int fd = -1);

// One message into buf (at most size bytes; a longer one is cut). Any fd the
// peer attached is closed: the supervisor takes none. Returns the length,
// 0 at EOF, -1 on error or when nothing is waiting (non-blocking socket).
ssize_t recv_message(int sock, char* buf, std::size_t size);

}  // namespace pyjudge::supervisor
