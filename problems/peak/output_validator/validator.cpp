// The judge's side of Find the peak: validator INPUT ANSWER FEEDBACK_DIR,
// talking to the submission on stdin and stdout. The input holds n and the
// peak's position p; the sequence rises by even values to a[p] = 2p and
// falls by odd ones after it, so its values are distinct.
#include <cmath>
#include <cstdint>
#include <sstream>

#include "validate.h"

namespace {

std::int64_t value_at(std::int64_t i, std::int64_t p) { return i <= p ? 2 * i : 2 * p - 2 * (i - p) - 1; }

// "? 17" or "! 17": the kind and the position, or false when malformed.
bool parse(const std::string& line, char& kind, std::int64_t& position) {
  std::istringstream in(line);
  std::string word;
  std::string extra;
  if (!(in >> word >> position) || (in >> extra) || word.size() != 1) return false;
  kind = word[0];
  return kind == '?' || kind == '!';
}

}  // namespace

int main(int argc, char** argv) {
  validate::init(argc, argv);
  std::int64_t n = 0;
  std::int64_t p = 0;
  validate::judge_in >> n >> p;
  if (n < 1 || p < 1 || p > n) {
    std::fprintf(stderr, "bad input: n %lld, p %lld\n", static_cast<long long>(n), static_cast<long long>(p));
    return 1;
  }
  const std::int64_t allowed = 2 * static_cast<std::int64_t>(std::ceil(std::log2(static_cast<double>(n)))) + 2;
  std::cout << n << std::endl;
  std::int64_t asked = 0;
  std::string line;
  while (validate::team_line(line)) {
    char kind = 0;
    std::int64_t i = 0;
    if (!parse(line, kind, i)) validate::reject("not a question or an answer: '%.40s'", line.c_str());
    if (i < 1 || i > n)
      validate::reject("position %lld is not in [1, %lld]", static_cast<long long>(i), static_cast<long long>(n));
    if (kind == '!') {
      if (i != p)
        validate::reject("answered %lld, the peak is at %lld", static_cast<long long>(i), static_cast<long long>(p));
      validate::team_message("found the peak with %lld of %lld questions", static_cast<long long>(asked),
                             static_cast<long long>(allowed));
      validate::accept();
    }
    if (++asked > allowed) validate::reject("more than %lld questions", static_cast<long long>(allowed));
    std::cout << value_at(i, p) << std::endl;
  }
  validate::reject("the submission stopped after %lld questions, without an answer", static_cast<long long>(asked));
}
