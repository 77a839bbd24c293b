# One call per element: Python's recursion limit ends it on the large tests.
n, t = map(int, input().split())
a = list(map(int, input().split()))


def find(j, seen):
    if j == n:
        return "impossible"
    if t - a[j] in seen:
        return f"{seen[t - a[j]] + 1} {j + 1}"
    seen.setdefault(a[j], j)
    return find(j + 1, seen)


print(find(0, {}))
