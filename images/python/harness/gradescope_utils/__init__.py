"""Gradescope's gradescope_utils package, as far as staff tests use it
(autograder_utils.decorators), written for pyjudge's function grading."""
