#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>

#include "judge/validator/validator_build.h"

using namespace pyjudge;
using namespace pyjudge::judge;
namespace fs = std::filesystem;

namespace {

struct Sources {
  fs::path dir = fs::temp_directory_path() / ("pyjudge-build-test-" + std::to_string(::getpid()));
  Sources() { fs::create_directories(dir); }
  ~Sources() { fs::remove_all(dir); }
  fs::path put(const std::string& name, const std::string& content) const {
    std::ofstream(dir / name) << content;
    return dir / name;
  }
};

}  // namespace

TEST_SUITE("validator_build") {
  TEST_CASE("the cache key follows every file's name and content, the image and its id, and nothing else") {
    Sources s;
    ValidatorProgram p;
    p.compiled = true;
    p.files = {s.put("validate.cpp", "int main() { return 42; }\n"), s.put("validate.h", "#pragma once\n")};
    CompilerOptions c;
    c.image_id = "sha256:1";
    const auto key = build_key(p, c);
    REQUIRE(bool(key));
    CHECK(key->size() == 64);
    CHECK(*build_key(p, c) == *key);  // stable
    CompilerOptions other_cache = c;
    other_cache.cache_dir = "/elsewhere";
    CHECK(*build_key(p, other_cache) == *key);
    CompilerOptions rebuilt = c;
    rebuilt.image_id = "sha256:2";
    CHECK(*build_key(p, rebuilt) != *key);
    CompilerOptions renamed = c;
    renamed.image = "my-gcc";
    CHECK(*build_key(p, renamed) != *key);
    s.put("validate.h", "#pragma once\n// changed\n");
    const auto changed = build_key(p, c);
    CHECK(*changed != *key);
    // The same bytes under another name.
    ValidatorProgram moved = p;
    moved.files[1] = s.put("other.h", "#pragma once\n// changed\n");
    CHECK(*build_key(moved, c) != *changed);
    // A file that is gone is an error naming it.
    fs::remove(s.dir / "other.h");
    const auto gone = build_key(moved, c);
    REQUIRE_FALSE(gone);
    CHECK(gone.error().message.find("other.h") != std::string::npos);
  }

  TEST_CASE("the compiler's message: its error lines first, a few at most") {
    const std::string gcc =
        "check.cpp: In function 'int main()':\n"
        "check.cpp:2:21: error: 'nope' was not declared in this scope\n"
        "    2 | int main() { return nope; }\n"
        "check.cpp:3:1: error: expected '}' at end of input\n";
    CHECK(compiler_message(gcc) ==
          "check.cpp:2:21: error: 'nope' was not declared in this scope\n"
          "check.cpp:3:1: error: expected '}' at end of input");
    CHECK(compiler_message("ld: cannot find -lfoo\ncollect2: ld returned 1 exit status\n") ==
          "ld: cannot find -lfoo\ncollect2: ld returned 1 exit status");
    CHECK(compiler_message("") == "the compiler said nothing");
    std::string many;
    for (int i = 0; i < 10; ++i) many += "a.c:" + std::to_string(i) + ": error: x\n";
    const auto capped = compiler_message(many, 3);
    CHECK(capped.find("a.c:2: error") != std::string::npos);
    CHECK(capped.find("a.c:3: error") == std::string::npos);
    CHECK(capped.find("(7 more lines)") != std::string::npos);
  }

  TEST_CASE("the cache folder: PYJUDGE_CACHE_DIR, else XDG_CACHE_HOME, else HOME's .cache") {
    const auto keep = [](const char* name) {
      const char* v = std::getenv(name);
      return v ? std::optional<std::string>(v) : std::nullopt;
    };
    const auto own = keep("PYJUDGE_CACHE_DIR");
    const auto xdg = keep("XDG_CACHE_HOME");
    const auto home = keep("HOME");
    ::setenv("PYJUDGE_CACHE_DIR", "/c/pj", 1);
    CHECK(default_cache_dir() == "/c/pj");
    ::unsetenv("PYJUDGE_CACHE_DIR");
    ::setenv("XDG_CACHE_HOME", "/c/xdg", 1);
    CHECK(default_cache_dir() == "/c/xdg/pyjudge");
    ::unsetenv("XDG_CACHE_HOME");
    ::setenv("HOME", "/home/u", 1);
    CHECK(default_cache_dir() == "/home/u/.cache/pyjudge");
    const auto restore = [](const char* name, const std::optional<std::string>& v) {
      if (v)
        ::setenv(name, v->c_str(), 1);
      else
        ::unsetenv(name);
    };
    restore("PYJUDGE_CACHE_DIR", own);
    restore("XDG_CACHE_HOME", xdg);
    restore("HOME", home);
  }
}
