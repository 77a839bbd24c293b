#include <doctest/doctest.h>

#include <string>

#include "runner/shared/sha256.h"

TEST_SUITE("sha256") {
  TEST_CASE("the standard's test vectors") {
    CHECK(pyjudge::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(pyjudge::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(pyjudge::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(pyjudge::sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  TEST_CASE("fed in pieces, across block and padding boundaries, as in one call") {
    std::string message;
    for (int i = 0; i < 300; ++i) message.push_back(static_cast<char>(i * 7));
    for (const std::size_t length : {55U, 56U, 63U, 64U, 65U, 119U, 120U, 300U}) {
      const std::string m = message.substr(0, length);
      pyjudge::Sha256 h;
      for (std::size_t at = 0; at < m.size(); at += 13) h.update(std::string_view(m).substr(at, 13));
      CHECK(h.hex() == pyjudge::sha256_hex(m));
    }
    CHECK(pyjudge::sha256_hex("a") != pyjudge::sha256_hex("b"));
  }
}
