"""Gradescope's autograder utilities: the test decorators (decorators.py)."""
