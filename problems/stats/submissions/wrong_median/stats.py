def mean(xs):
    if not xs:
        raise ValueError("mean of an empty list")
    return sum(xs) / len(xs)


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]  # wrong for even lengths


class Running:
    def __init__(self):
        self._sum = 0
        self.count = 0

    def add(self, x):
        self._sum += x
        self.count += 1

    def total(self):
        return self._sum
