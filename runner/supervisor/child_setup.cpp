#include "runner/supervisor/child_setup.h"

#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>

#include "runner/shared/errno_text.h"

namespace pyjudge::supervisor {

bool child_fds(int fd1, int fd2, int fd3) {
  sigset_t none;
  sigemptyset(&none);
  if (::pthread_sigmask(SIG_SETMASK, &none, nullptr) != 0 || std::signal(SIGPIPE, SIG_DFL) == SIG_ERR) return false;
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const int src[4] = {null, fd1 >= 0 ? fd1 : null, fd2 >= 0 ? fd2 : null, fd3 >= 0 ? fd3 : null};
  int parked[4];
  for (int i = 0; i < 4; ++i) parked[i] = ::fcntl(src[i], F_DUPFD_CLOEXEC, 10);
  for (int i = 0; i < 4; ++i)
    if (parked[i] < 0 || ::dup2(parked[i], i) < 0) return false;
  ::close_range(4, ~0U, 0);
  return true;
}

bool become(unsigned uid) {
  if (::getuid() == uid && ::geteuid() == uid && ::getgid() == uid) return true;
  const gid_t group = uid;
  return ::setgroups(1, &group) == 0 && ::setresgid(uid, uid, uid) == 0 && ::setresuid(uid, uid, uid) == 0 &&
         ::getuid() == uid && ::geteuid() == uid;
}

void exec_python(const char* script, const char* const* extra, const char* home) {
  const std::string home_env = std::string("HOME=") + home;
  const char* env[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       home_env.c_str(),
                       "LANG=C.UTF-8",
                       "PYTHONDONTWRITEBYTECODE=1",
                       "PYTEST_DISABLE_PLUGIN_AUTOLOAD=1",
                       nullptr};
  const char* argv[8] = {"python3", "-I", "-B", script};
  int n = 4;
  for (; extra[n - 4] && n < 7; ++n) argv[n] = extra[n - 4];
  argv[n] = nullptr;
  ::execvpe("python3",
            const_cast<char* const*>(argv),  // NOLINT(cppcoreguidelines-pro-type-const-cast): execvpe does not write
            const_cast<char* const*>(env));  // NOLINT(cppcoreguidelines-pro-type-const-cast): same
  const std::string why = pyjudge::errno_text(errno);
  (void)std::fprintf(stderr, "pyjudge supervisor: cannot execute python3: %s\n", why.c_str());
  ::_exit(127);
}

}  // namespace pyjudge::supervisor
