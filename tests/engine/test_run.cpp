// Integration tests of run_job against the real engine and runner image.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "runner/shared/protocol.h"
#include "tests/support/engine_fixture.h"

using namespace pyjudge;
using namespace pyjudge::runner;
using namespace pyjudge::testing;

namespace {

Limits quick(double seconds = 1.0) {
  Limits l;
  l.wall_limit_s = seconds;
  return l;
}

void check_no_container_left(const std::string& id) {
  CHECK_MESSAGE(count_containers({{kLabelJob, id}, {kLabelSession, engine_env().session.id}}) == 0,
                "a container of job " << id << " was left behind");
}

}  // namespace

TEST_SUITE("engine/run") {
  TEST_CASE("hello world is OK with status 0 and its output in the files") {
    auto r = run_script("hello", "print('hello, world')\n");
    CHECK(r.result.verdict == Verdict::OK);
    CHECK(r.result.status() == 0);
    CHECK(r.result.exit_code == 0);
    CHECK_FALSE(r.result.signal.has_value());
    CHECK(r.out == "hello, world\n");
    CHECK(r.err.empty());
    REQUIRE(r.result.cpu_time.has_value());
    CHECK(*r.result.cpu_time > 0);
    REQUIRE(r.result.memory_peak.has_value());
    CHECK(*r.result.memory_peak > (1 << 20));
    CHECK(r.result.wall_time > 0);
    CHECK(r.result.wall_time < r.result.limits.wall_limit_s);

    const auto written = nlohmann::json::parse(slurp(engine_env().scratch / "out" / "hello" / "result.json"));
    for (const char* key : {"id", "status", "verdict", "exit_code", "signal", "wall_time", "cpu_time", "memory_peak",
                            "stdout_truncated", "stderr_truncated", "limits", "image", "started_at", "finished_at"})
      CHECK_MESSAGE(written.contains(key), "result.json lacks " << key);
    CHECK(written["verdict"] == "OK");
    CHECK(written["status"] == 0);
    check_no_container_left("hello");
  }

  TEST_CASE("stdin reaches the script byte for byte") {
    const std::string echo = "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n";
    SUBCASE("binary bytes") {
      std::string data;
      for (int i = 0; i < 256; ++i) data += static_cast<char>(i);
      data += std::string("\0\r\n\xff", 4);
      auto r = run_script("stdin-binary", echo, data);
      CHECK(r.result.verdict == Verdict::OK);
      CHECK(r.out == data);
    }
    SUBCASE("UTF-8 text") {
      const std::string text = "żółw, 猫, emoji 🐍\nsecond line\n";
      auto r = run_script("stdin-utf8", "import sys\nprint(sys.stdin.read().upper(), end='')\n", text);
      CHECK(r.result.verdict == Verdict::OK);
      CHECK(r.out == "ŻÓŁW, 猫, EMOJI 🐍\nSECOND LINE\n");
    }
    SUBCASE("30 MB") {
      std::string big(30u << 20, '\0');
      for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
      Limits l = quick(20);
      l.stdout_limit_bytes = 64LL << 20;
      auto r = run_script("stdin-30mb", echo, big, l);
      CHECK(r.result.verdict == Verdict::OK);
      CHECK(r.out.size() == big.size());
      CHECK(r.out == big);
    }
  }

  TEST_CASE("no stdin file means EOF at once, not a hang") {
    auto r = run_script("no-stdin", "import sys\ndata = sys.stdin.read()\nprint(len(data))\n", std::nullopt, quick(5));
    CHECK(r.result.verdict == Verdict::OK);
    CHECK(r.out == "0\n");
    CHECK(r.result.wall_time < 4);
  }

  TEST_CASE("non-zero exit is RE with the exit code") {
    auto r = run_script("exit3", "import sys\nsys.exit(3)\n");
    CHECK(r.result.verdict == Verdict::RE);
    CHECK(r.result.status() == -1);
    CHECK(r.result.exit_code == 3);
  }

  TEST_CASE("an exception is RE with the traceback in stderr") {
    auto r = run_script("exception", "print('before')\nraise ValueError('boom')\n");
    CHECK(r.result.verdict == Verdict::RE);
    CHECK(r.result.exit_code == 1);
    CHECK(r.out == "before\n");
    CHECK(r.err.find("Traceback (most recent call last)") != std::string::npos);
    CHECK(r.err.find("ValueError: boom") != std::string::npos);
  }

  TEST_CASE("time limits end in 124 within the limit plus 2 s") {
    struct Case {
      const char* id;
      const char* code;
    };
    const Case cases[] = {
        {"busy-loop", "while True:\n    pass\n"},
        {"sleeper", "import time\ntime.sleep(1000)\n"},
        {"ignores-sigterm", "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.id);
      auto r = run_script(c.id, c.code, std::nullopt, quick(1));
      CHECK(r.result.verdict == Verdict::TLE);
      CHECK(r.result.status() == 124);
      CHECK(r.result.wall_time >= 1.0);
      // SIGTERM, then SIGKILL after the 1 s grace when it is ignored.
      CHECK(r.result.wall_time < 1.0 + 1.0 + 2.0);
      CHECK(r.host_seconds < 1.0 + 1.0 + 3.0);
    }
  }

  TEST_CASE("a background child holding stdout open does not hold the job") {
    const std::string code =
        "import os, time, sys\n"
        "if os.fork() == 0:\n"
        "    time.sleep(1000)\n"
        "print('parent leaves')\n";
    auto r = run_script("bg-child", code, std::nullopt, quick(2));
    CHECK(r.result.verdict == Verdict::OK);
    CHECK(r.out == "parent leaves\n");
    CHECK(r.host_seconds < 2.0 + 3.0);
  }

  TEST_CASE("a memory bomb is MLE") {
    Limits l = quick(10);
    l.memory_bytes = 128LL << 20;
    auto r = run_script("memory-bomb", "a = []\nwhile True:\n    a.append(bytearray(10**7))\n", std::nullopt, l);
    CHECK(r.result.verdict == Verdict::MLE);
    CHECK(r.result.status() == -1);
  }

  TEST_CASE("killing itself with SIGKILL is RE, not MLE") {
    auto r = run_script("self-kill", "import os\nos.kill(os.getpid(), 9)\n");
    CHECK(r.result.verdict == Verdict::RE);
    CHECK(r.result.signal == 9);
    CHECK_FALSE(r.result.exit_code.has_value());
  }

  TEST_CASE("an output flood is OLE and the file stops at the cap") {
    Limits l = quick(10);
    l.stdout_limit_bytes = 1 << 20;
    auto r =
        run_script("stdout-flood", "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", std::nullopt, l);
    CHECK(r.result.verdict == Verdict::OLE);
    CHECK(r.result.stdout_truncated);
    CHECK(r.out.size() == (1u << 20));
    CHECK(r.out == std::string(1u << 20, 'x'));
    CHECK(r.host_seconds < 8);

    l.stderr_limit_bytes = 1 << 16;
    auto e = run_script("stderr-flood", "import sys\nwhile True:\n    sys.stderr.write('e' * 4096)\n", std::nullopt, l);
    CHECK(e.result.verdict == Verdict::OLE);
    CHECK(e.result.stderr_truncated);
    CHECK(e.err.size() == (1u << 16));
  }

  TEST_CASE("the sandbox: no network, read-only root, non-root, no capabilities") {
    SUBCASE("a network connection attempt fails") {
      const std::string code =
          "import socket\n"
          "for host in ['172.17.0.1', '1.1.1.1', '127.0.0.1']:\n"
          "    try:\n"
          "        socket.create_connection((host, 80), timeout=2)\n"
          "        print('CONNECTED', host)\n"
          "    except OSError as e:\n"
          "        print('refused', host, type(e).__name__)\n"
          "try:\n"
          "    socket.getaddrinfo('deb.debian.org', 80)\n"
          "    print('RESOLVED')\n"
          "except OSError:\n"
          "    print('no dns')\n";
      auto r = run_script("no-network", code, std::nullopt, quick(10));
      CHECK(r.result.verdict == Verdict::OK);
      CHECK(r.out.find("CONNECTED") == std::string::npos);
      CHECK(r.out.find("RESOLVED") == std::string::npos);
      CHECK(r.out.find("refused 172.17.0.1") != std::string::npos);
      CHECK(r.out.find("no dns") != std::string::npos);
    }
    SUBCASE("writing to / fails, /tmp works") {
      const std::string code =
          "import os\n"
          "for path in ['/evil', '/etc/evil', '/usr/evil', '/opt/pyjudge/evil']:\n"
          "    try:\n"
          "        open(path, 'w').write('x')\n"
          "        print('WROTE', path)\n"
          "    except OSError as e:\n"
          "        print('denied', path)\n"
          "open('/tmp/ok', 'w').write('fine')\n"
          "print(open('/tmp/ok').read())\n";
      auto r = run_script("readonly-root", code);
      CHECK(r.result.verdict == Verdict::OK);
      CHECK(r.out.find("WROTE") == std::string::npos);
      CHECK(r.out.find("denied /evil") != std::string::npos);
      CHECK(r.out.find("fine") != std::string::npos);
    }
    SUBCASE("runs as a non-root user with no capabilities") {
      const std::string code =
          "import os\n"
          "print('uid', os.getuid(), os.geteuid(), os.getgid())\n"
          "caps = {}\n"
          "for line in open('/proc/self/status'):\n"
          "    k, _, v = line.partition(':')\n"
          "    if k in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs'):\n"
          "        print(k, v.strip())\n";
      auto r = run_script("whoami", code);
      CHECK(r.result.verdict == Verdict::OK);
      CHECK(r.out.find("uid 10001 10001 10001") != std::string::npos);
      for (const char* k : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"})
        CHECK_MESSAGE(r.out.find(std::string(k) + " 0000000000000000") != std::string::npos,
                      k << " not empty: " << r.out);
      CHECK(r.out.find("NoNewPrivs 1") != std::string::npos);
    }
  }

  TEST_CASE("the script cannot kill its supervisor (PID 1)") {
    const std::string code =
        "import os, signal\n"
        "for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGSEGV):\n"
        "    try:\n"
        "        os.kill(1, sig)\n"
        "    except OSError as e:\n"
        "        print('refused', e.errno)\n"
        "print('still here')\n";
    auto r = run_script("kill-pid1", code);
    CHECK(r.result.verdict == Verdict::OK);
    CHECK(r.out.find("still here") != std::string::npos);
    REQUIRE(r.result.memory_peak.has_value());  // the record arrived
  }

  TEST_CASE("killing every process it can see is the script's own RE") {
    auto r = run_script("kill-all", "import os, time\nos.kill(-1, 9)\ntime.sleep(0.5)\nprint('orphan')\n");
    CHECK(r.result.verdict == Verdict::RE);
    CHECK(r.result.signal == 9);
    CHECK(r.result.memory_peak.has_value());
  }

  TEST_CASE("orphans are reaped and killed when the script exits") {
    const std::string code =
        "import os, time\n"
        "for _ in range(20):\n"
        "    if os.fork() == 0:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(1000)\n"
        "        os._exit(0)\n"
        "time.sleep(0.3)\n"
        "print('done')\n";
    Limits l = quick(5);
    l.pids = 64;
    auto r = run_script("orphans", code, std::nullopt, l);
    CHECK(r.result.verdict == Verdict::OK);
    CHECK(r.out == "done\n");
    CHECK(r.host_seconds < 4);
  }

  TEST_CASE("text that imitates the supervisor's record does not change the verdict") {
    const std::string code =
        "import sys\n"
        "fake = '{\"v\": 1, \"rc\": 0, \"signal\": null, \"wall_ns\": 1, \"cpu_ns\": 1, \"memory_peak\": 1, "
        "\"oom_kills\": 0}'\n"
        "sys.stderr.write('\\x1epyjudge:' + '0' * 32 + ':' + fake + '\\n')\n"
        "sys.stderr.write('\\x1epyjudge:')\n"
        "sys.stdout.write('\\x1epyjudge:' + fake + '\\n')\n"
        "sys.exit(7)\n";
    auto r = run_script("forged-record", code);
    CHECK(r.result.verdict == Verdict::RE);
    CHECK(r.result.exit_code == 7);
    // The forged text stays in the script's own output, untouched.
    CHECK(r.err.find("\x1epyjudge:00000000") == 0);
    CHECK(r.err.size() > 40);
    CHECK(r.out.find("\x1epyjudge:{") == 0);
  }

  TEST_CASE("no container of this test session is left") {
    CHECK(count_containers({{kLabelSession, engine_env().session.id}}) == 0);
  }
}
