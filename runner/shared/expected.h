// Expected<T>: a value or a message a user can act on — how runner functions
// return failures that are part of normal operation (engine down, bad input).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace pyjudge {

struct Error {
  std::string message;
  long http_status = 0;  // 0 when the failure was not an HTTP answer
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error error) : v_(std::move(error)) {}

  explicit operator bool() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Expected<Unit>;
inline Status ok() { return Unit{}; }
inline Error fail(std::string message, long http_status = 0) { return Error{std::move(message), http_status}; }

}  // namespace pyjudge
