def count_words(text):
    ws = text.lower().split()
    return {w: ws.count(w) for w in ws}  # a count per word: quadratic


def top(text, n):
    if n < 0:
        raise ValueError("n must not be negative")
    return sorted(count_words(text).items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def show(text):
    for word, count in top(text, len(text.split())):
        print(f"{word}: {count}")


def load(name):
    with open(name, encoding="utf-8") as f:
        return f.read()
