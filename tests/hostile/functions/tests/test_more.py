"""Staff tests, pytest style (plain functions and assert)."""
from gradescope_utils.autograder_utils.decorators import number, weight

import target


@number("4.2")
def test_fib_ten():
    assert target.fib(10) == 55


@weight(2)
@number("5.1")
def test_counter():
    c = target.Counter()
    c.increment()
    c.increment(5)
    assert c.value == 6


@weight(2)
@number("6.1")
def test_word_count():
    assert target.word_count("to be or not to be") == {"to": 2, "be": 2, "or": 1, "not": 1}
