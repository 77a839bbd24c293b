# Right answers, too many questions: it walks up the slope one step at a time.
def ask(i):
    print("?", i, flush=True)
    return int(input())


n = int(input())
p = 1
while p < n and ask(p) < ask(p + 1):
    p += 1
print("!", p, flush=True)
