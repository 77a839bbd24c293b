#include <doctest/doctest.h>

#include "judge/check/checker.h"

using namespace pyjudge::judge;

namespace {

bool accepts(CheckerKind k, std::string_view expected, std::string_view actual) {
  CheckerSpec s;
  s.kind = k;
  return check_output(s, expected, actual).accepted;
}

CheckerSpec float_spec(double abs, double rel) {
  CheckerSpec s;
  s.kind = CheckerKind::Float;
  s.abs_tolerance = abs;
  s.rel_tolerance = rel;
  return s;
}

}  // namespace

TEST_SUITE("judge/check/checker") {
  TEST_CASE("exact is byte-for-byte") {
    CHECK(accepts(CheckerKind::Exact, "1 2\n", "1 2\n"));
    CHECK_FALSE(accepts(CheckerKind::Exact, "1 2\n", "1 2"));
    CHECK_FALSE(accepts(CheckerKind::Exact, "1 2\n", "1 2\r\n"));
    CHECK(accepts(CheckerKind::Exact, "", ""));
    CHECK(accepts(CheckerKind::Exact, std::string("\xff\x00\xfe", 3), std::string("\xff\x00\xfe", 3)));
    CHECK_FALSE(accepts(CheckerKind::Exact, std::string("\xff\x00\xfe", 3), std::string("\xff\x00\xff", 3)));
  }

  TEST_CASE("lines ignores trailing whitespace and trailing blank lines, nothing else") {
    CHECK(accepts(CheckerKind::Lines, "a b\nc\n", "a b\nc"));
    CHECK(accepts(CheckerKind::Lines, "a b\nc\n", "a b  \t\nc\n\n\n"));
    CHECK(accepts(CheckerKind::Lines, "a b\nc\n", "a b\r\nc\r\n"));
    CHECK(accepts(CheckerKind::Lines, "", "\n\n  \n"));
    CHECK(accepts(CheckerKind::Lines, "", ""));
    CHECK_FALSE(accepts(CheckerKind::Lines, "a b\nc\n", " a b\nc\n"));  // leading space counts
    CHECK_FALSE(accepts(CheckerKind::Lines, "a b\nc\n", "a  b\nc\n"));  // inner space counts
    CHECK_FALSE(accepts(CheckerKind::Lines, "a\n\nb\n", "a\nb\n"));     // inner blank line counts
    CHECK_FALSE(accepts(CheckerKind::Lines, "a\n", ""));
    CHECK_FALSE(accepts(CheckerKind::Lines, "", "a"));
    CHECK_FALSE(accepts(CheckerKind::Lines, "a\nb\n", "a\nb\nc\n"));
    CHECK(accepts(CheckerKind::Lines, "\xc3\xa9\xff\n", "\xc3\xa9\xff"));
    CheckerSpec s;
    s.kind = CheckerKind::Lines;
    const auto r = check_output(s, "x\ny\n", "x\nz\n");
    CHECK(r.message.find("line 2") != std::string::npos);
  }

  TEST_CASE("tokens compares whitespace-separated tokens") {
    CHECK(accepts(CheckerKind::Tokens, "1 2 3\n", "1\n2\t3"));
    CHECK(accepts(CheckerKind::Tokens, "1 2 3\n", "  1 2 3  \r\n\r\n"));
    CHECK_FALSE(accepts(CheckerKind::Tokens, "1 2 3\n", "1 2 3 4\n"));  // extra token
    CHECK_FALSE(accepts(CheckerKind::Tokens, "1 2 3\n", "1 2\n"));      // missing token
    CHECK_FALSE(accepts(CheckerKind::Tokens, "1 2 3\n", "1 2 03\n"));   // tokens, not numbers
    CHECK_FALSE(accepts(CheckerKind::Tokens, "1\n", ""));               // empty output
    CHECK(accepts(CheckerKind::Tokens, "", "   \n"));
    CHECK(accepts(CheckerKind::Tokens, "100000000000000000000000000001", "100000000000000000000000000001"));
    CHECK_FALSE(accepts(CheckerKind::Tokens, "100000000000000000000000000001", "100000000000000000000000000000"));
    CHECK(accepts(CheckerKind::Tokens, "\xff\xfe x", "\xff\xfe\nx"));
  }

  TEST_CASE("float compares numbers within the tolerances") {
    const auto s = float_spec(1e-6, 1e-9);
    CHECK(check_output(s, "3.14159265", "3.1415926").accepted);
    CHECK_FALSE(check_output(s, "3.14159265", "3.14").accepted);
    CHECK(check_output(s, "1e6", "1000000.0000001").accepted);
    CHECK(check_output(s, "1e300", "1.0000000001e300").accepted);  // relative
    CHECK_FALSE(check_output(s, "1e300", "1.001e300").accepted);
    CHECK(check_output(s, "0", "-0.0").accepted);
    CHECK(check_output(s, "nan", "NaN").accepted);
    CHECK_FALSE(check_output(s, "nan", "0").accepted);
    CHECK_FALSE(check_output(s, "1", "nan").accepted);
    CHECK(check_output(s, "inf", "inf").accepted);
    CHECK_FALSE(check_output(s, "inf", "-inf").accepted);
    CHECK_FALSE(check_output(s, "1e308", "inf").accepted);
    CHECK(check_output(s, "yes 1.5", "yes 1.5000000001").accepted);  // words must match
    CHECK_FALSE(check_output(s, "yes 1.5", "no 1.5").accepted);
    CHECK_FALSE(check_output(s, "1.5", "1.5 2").accepted);  // extra token
    CHECK_FALSE(check_output(s, "1.5", "").accepted);       // empty output
    CHECK_FALSE(check_output(s, "16", "0x10").accepted);    // hex is not a number here
    CHECK_FALSE(check_output(s, "1.5", "1.5abc").accepted);
    CHECK_FALSE(check_output(s, "1.5", "\xff").accepted);  // non-UTF-8
    CHECK(check_output(float_spec(0.5, 0), "1", "1.4").accepted);
    CHECK_FALSE(check_output(float_spec(0.5, 0), "1", "1.6").accepted);
  }

  TEST_CASE("custom checker output") {
    auto ac = parse_custom_verdict("AC\n");
    REQUIRE(bool(ac));
    CHECK(ac->accepted);
    auto wa = parse_custom_verdict("WA line 3 is wrong\nmore\n");
    REQUIRE(bool(wa));
    CHECK_FALSE(wa->accepted);
    CHECK(wa->message == "line 3 is wrong");
    CHECK(parse_custom_verdict("AC\r\n")->accepted);
    CHECK_FALSE(bool(parse_custom_verdict("")));
    CHECK_FALSE(bool(parse_custom_verdict("ok\n")));
    CHECK_FALSE(bool(parse_custom_verdict("ACCEPTED\n")));
    CHECK_FALSE(bool(parse_custom_verdict("\nAC\n")));
  }

  TEST_CASE("names") {
    for (auto k :
         {CheckerKind::Exact, CheckerKind::Lines, CheckerKind::Tokens, CheckerKind::Float, CheckerKind::Custom})
      CHECK(checker_from_string(to_string(k)) == k);
    CHECK_FALSE(checker_from_string("diff").has_value());
  }
}
