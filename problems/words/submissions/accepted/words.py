from collections import Counter


def count_words(text):
    return dict(Counter(text.lower().split()))


def top(text, n):
    if n < 0:
        raise ValueError("n must not be negative")
    counts = count_words(text)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def show(text):
    for word, count in top(text, len(text.split())):
        print(f"{word}: {count}")


def load(name):
    with open(name, encoding="utf-8") as f:
        return f.read()
