from helpers import average


def mean(xs):
    return average(xs)  # no ValueError for [] (ZeroDivisionError instead)


def median(xs):
    if not xs:
        raise ValueError("median of an empty list")
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


class Running:
    def __init__(self):
        self.items = []
        self.count = 0

    def add(self, x):
        if len(self.items) < 2:  # forgets everything after the second number
            self.items.append(x)
        self.count += 1

    def total(self):
        return sum(self.items)
