def mean(xs):
    if not xs:
        raise ValueError("mean of an empty list")
    return sum(xs) / len(xs)


def median(xs):
    if not xs:
        raise ValueError("median of an empty list")
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


class Running:
    def __init__(self):
        self._sum = 0
        self.count = 0

    def add(self, x):
        self._sum += x
        self.count += 1

    def total(self):
        return self._sum
