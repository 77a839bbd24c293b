"""Staff tests for problems/words, pytest style: parametrize, raises,
capsys and a data file, with Gradescope's decorators for weights and a
hidden test."""
import pytest
from gradescope_utils.autograder_utils.decorators import visibility, weight

import words


@pytest.mark.parametrize("text, expected", [("a b a", {"a": 2, "b": 1}), ("", {}), ("Hi hi HI", {"hi": 3})])
def test_count(text, expected):
    assert words.count_words(text) == expected


def test_top():
    assert words.top("b a b c c c", 2) == [("c", 3), ("b", 2)]


def test_top_negative_n():
    with pytest.raises(ValueError):
        words.top("a", -1)


def test_show(capsys):
    words.show("b a b")
    assert capsys.readouterr().out == "b: 2\na: 1\n"


@weight(2)
def test_file():
    assert words.count_words(words.load("sample.txt"))["the"] == 4


@weight(3)
@visibility("hidden")
def test_large():
    text = " ".join(f"w{i % 50:02}" for i in range(100_000))
    assert words.top(text, 1) == [("w00", 2000)]
