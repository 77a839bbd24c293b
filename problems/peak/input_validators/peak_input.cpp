// Find the peak's input validator: exactly "n p\n" with 1 <= p <= n <= 10^6,
// single spaces, no leading zeros. Exit 42: valid; 43: invalid, saying why.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <regex>
#include <string>

int main() {
  const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  static const std::regex kLine("([1-9][0-9]{0,6}) ([1-9][0-9]{0,6})\n");
  std::smatch m;
  if (!std::regex_match(text, m, kLine)) {
    std::printf("not one line 'n p' of two positive integers\n");
    return 43;
  }
  const long n = std::stol(m[1]);
  const long p = std::stol(m[2]);
  if (n > 1000000 || p > n) {
    std::printf("need 1 <= p <= n <= 1000000, got n = %ld, p = %ld\n", n, p);
    return 43;
  }
  return 42;
}
