// A small helper for this package's C++ output validators (ours, in the
// spirit of the format's validate.h): the command line the format gives a
// validator (input answer feedback_dir), the judge and team messages, and
// the verdict by exit code (42 accepts, 43 rejects).
#pragma once

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

namespace validate {

inline std::ifstream judge_in;   // the test's input file
inline std::ifstream judge_ans;  // the test's answer file
inline std::string feedback_dir;

inline void write_feedback(const char* file, const char* format, va_list args) {
  const std::string path = feedback_dir + file;
  if (FILE* f = std::fopen(path.c_str(), "a")) {
    std::vfprintf(f, format, args);
    std::fputc('\n', f);
    std::fclose(f);
  }
}

// For the problem's staff: judgemessage.txt.
inline void judge_message(const char* format, ...) {
  va_list args;
  va_start(args, format);
  write_feedback("judgemessage.txt", format, args);
  va_end(args);
}

// For the team: teammessage.txt.
inline void team_message(const char* format, ...) {
  va_list args;
  va_start(args, format);
  write_feedback("teammessage.txt", format, args);
  va_end(args);
}

[[noreturn]] inline void accept() {
  std::cout.flush();
  std::exit(42);
}

[[noreturn]] inline void reject(const char* format, ...) {
  va_list args;
  va_start(args, format);
  write_feedback("judgemessage.txt", format, args);
  va_end(args);
  std::cout.flush();
  std::exit(43);
}

// The format's arguments: input answer feedback_dir [flags...]. Anything
// else is the validator's own failure (exit 1, never a verdict).
inline void init(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s input answer feedback_dir [flags]\n", argv[0]);
    std::exit(1);
  }
  judge_in.open(argv[1]);
  judge_ans.open(argv[2]);
  feedback_dir = argv[3];
  if (!feedback_dir.empty() && feedback_dir.back() != '/') feedback_dir += '/';
  if (!judge_in || !judge_ans) {
    std::fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    std::exit(1);
  }
  std::ios::sync_with_stdio(false);
}

// The team's next line (its output, our stdin); false at its end.
inline bool team_line(std::string& line) { return static_cast<bool>(std::getline(std::cin, line)); }

}  // namespace validate
