// SHA-256 (FIPS 180-4) over bytes fed in pieces: the content hash that names
// a built validator in the build cache (judge/validator/validator_build.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pyjudge {

class Sha256 {
 public:
  Sha256();
  // More bytes of the message.
  Sha256& update(std::string_view bytes);
  // The digest as 64 lowercase hex digits. The hasher is spent after it.
  std::string hex();

 private:
  void block(const unsigned char* p);

  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> pending_{};
  std::size_t pending_size_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The digest of `bytes` in one call.
std::string sha256_hex(std::string_view bytes);

}  // namespace pyjudge
