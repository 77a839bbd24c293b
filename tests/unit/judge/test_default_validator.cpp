#include <doctest/doctest.h>

#include "judge/check/default_validator.h"

using namespace pyjudge;
using namespace pyjudge::judge;

namespace {

DefaultValidatorFlags flags(const std::string& words) {
  auto f = parse_default_validator_flags(split_words(words));
  REQUIRE_MESSAGE(bool(f), (f ? "" : f.error().message));
  return *f;
}

bool accepts(const std::string& words, const std::string& answer, const std::string& output) {
  return default_validate(flags(words), answer, output).accepted;
}

std::string parse_error(const std::string& words) {
  auto f = parse_default_validator_flags(split_words(words));
  return f ? "(parsed)" : f.error().message;
}

}  // namespace

TEST_SUITE("judge/check/default_validator") {
  TEST_CASE("flags: each one, and the errors the format names") {
    const auto none = flags("");
    CHECK_FALSE(none.case_sensitive);
    CHECK_FALSE(none.space_change_sensitive);
    CHECK_FALSE(none.floats());
    const auto all = flags(
        "case_sensitive space_change_sensitive float_absolute_tolerance 1e-3 "
        "float_relative_tolerance 0.5");
    CHECK(all.case_sensitive);
    CHECK(all.space_change_sensitive);
    CHECK(*all.abs_tolerance == doctest::Approx(1e-3));
    CHECK(*all.rel_tolerance == doctest::Approx(0.5));
    const auto both = flags("float_tolerance 1e-6");
    CHECK(*both.abs_tolerance == doctest::Approx(1e-6));
    CHECK(*both.rel_tolerance == doctest::Approx(1e-6));
    CHECK(parse_error("float_tolerance 1e-6 float_absolute_tolerance 1e-3").find("already set") != std::string::npos);
    CHECK(parse_error("float_relative_tolerance 1 float_tolerance 1").find("already set") != std::string::npos);
    CHECK(parse_error("float_tolerance 1 float_tolerance 1").find("already set") != std::string::npos);
    CHECK(parse_error("float_tolerance") == "validator flag 'float_tolerance' needs a number after it");
    CHECK(parse_error("float_tolerance abc") == "validator flag 'float_tolerance' needs a number >= 0, not 'abc'");
    CHECK(parse_error("float_tolerance -1").find("needs a number >= 0") != std::string::npos);
    CHECK(parse_error("float_tolerance nan").find("needs a number >= 0") != std::string::npos);
    CHECK(parse_error("ignore_case").rfind("unknown default validator flag 'ignore_case'", 0) == 0);
  }

  TEST_CASE("tokens: whitespace-insensitive and case-insensitive by default") {
    CHECK(accepts("", "Hello World\n", "hello   world"));
    CHECK(accepts("", "a b\n", "\n\n a\tb \r\n\n"));
    CHECK(accepts("", "", "   \n"));
    CHECK_FALSE(accepts("", "a b", "a b c"));
    CHECK_FALSE(accepts("", "a b", "a"));
    CHECK_FALSE(accepts("", "ab", "a b"));
    // Only A-Z fold: bytes past ASCII are compared as they are.
    CHECK_FALSE(accepts("", "\xC3\x84", "\xC3\xA4"));
    const auto r = default_validate(flags(""), "1 2 3", "1 2 4");
    CHECK(r.message == "token 3: expected '3', got '4'");
    CHECK(default_validate(flags(""), "1 2", "1").message == "expected 2 tokens, got 1");
  }

  TEST_CASE("case_sensitive: the same bytes") {
    CHECK(accepts("case_sensitive", "Yes", "Yes"));
    CHECK_FALSE(accepts("case_sensitive", "Yes", "yes"));
  }

  TEST_CASE("space_change_sensitive: the same whitespace, leading and trailing too") {
    CHECK(accepts("space_change_sensitive", "a b\n", "a b\n"));
    CHECK_FALSE(accepts("space_change_sensitive", "a b\n", "a  b\n"));
    CHECK_FALSE(accepts("space_change_sensitive", "a b\n", "a\tb\n"));
    CHECK_FALSE(accepts("space_change_sensitive", "a b\n", " a b\n"));
    CHECK_FALSE(accepts("space_change_sensitive", "a b\n", "a b"));     // trailing newline missing
    CHECK_FALSE(accepts("space_change_sensitive", "a b\n", "a b \n"));  // trailing space
    CHECK_FALSE(accepts("space_change_sensitive", "a b\n", "a b\r\n"));
    CHECK(default_validate(flags("space_change_sensitive"), "a b\n", "a b").message ==
          "trailing whitespace differs: expected '\\n', got ''");
  }

  TEST_CASE("floats: absolute or relative, any formatting of the number") {
    CHECK(accepts("float_tolerance 1e-6", "1e-7", "0"));  // |diff| = 1e-7 <= 1e-6 absolutely
    CHECK(accepts("float_tolerance 1e-6", "0", "1e-7"));
    CHECK_FALSE(accepts("float_relative_tolerance 1e-6", "0", "1e-7"));  // relative to 0: nothing
    CHECK(accepts("float_relative_tolerance 1e-6", "1000000", "1000000.5"));
    CHECK_FALSE(accepts("float_absolute_tolerance 1e-6", "1000000", "1000000.5"));
    CHECK(accepts("float_absolute_tolerance 1e-6 float_relative_tolerance 1e-6", "1000000", "1000000.5"));
    CHECK(accepts("float_tolerance 1e-9", "0", "-0"));
    CHECK(accepts("float_tolerance 1e-9", "-0.0", "0"));
    CHECK(accepts("float_tolerance 1e-6", "0.0314", "3.14000000e-2"));
    CHECK(accepts("float_tolerance 1e-6", "1E5", "100000"));
    CHECK(accepts("float_tolerance 1e-6", "2.5", "+2.5000001"));
    CHECK(accepts("float_tolerance 1e-6", "2.5\n", "2.5   \n\n"));  // trailing whitespace
    CHECK(accepts("float_tolerance 1e-6", ".5", "0.5"));
    CHECK(accepts("float_tolerance 1e-6", "5.", "5"));
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1", "1.1"));
    // Integers in the answer are numbers too.
    CHECK(accepts("float_tolerance 0.2", "1", "1.1"));
    // The team's token must be a number where the answer's is one.
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1.5", "1.5x"));
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1.5", "0x1.8p0"));
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1.5", "e5"));
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1.5", "1e"));
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1.5", "."));
    // nan and inf are not a formatting of a number: a team printing nan
    // never slips past a tolerance, and an answer "nan" is a word.
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1.5", "nan"));
    CHECK_FALSE(accepts("float_tolerance 1e100", "1.5", "inf"));
    CHECK(accepts("float_tolerance 1e-6", "nan", "NaN"));
    CHECK_FALSE(accepts("float_tolerance 1e-6 case_sensitive", "nan", "NaN"));
    // Past double's range both sides overflow to the same infinity.
    CHECK(accepts("float_tolerance 1e-6", "1e999", "2e999"));
    CHECK_FALSE(accepts("float_tolerance 1e-6", "1e999", "-1e999"));
    // Without a tolerance, numbers are words.
    CHECK_FALSE(accepts("", "0.5", ".5"));
    CHECK(accepts("", "0.5", "0.5"));
    const auto r = default_validate(flags("float_tolerance 1e-6"), "1.5", "1.6");
    CHECK(r.message == "token 1: expected '1.5', got '1.6' (difference 0.1)");
    CHECK(default_validate(flags("float_tolerance 1e-6"), "1.5", "abc").message ==
          "token 1: expected the number '1.5', got 'abc'");
  }
}
