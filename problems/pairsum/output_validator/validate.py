"""Output validator for Pair sum, called the ICPC/Kattis way:

    validate.py input answer feedback_dir/ [args] < team_output

Exit 42 accepts, 43 rejects; judgemessage.txt says why.
"""
import sys

ACCEPT, REJECT = 42, 43


def main():
    input_file, answer_file, feedback = sys.argv[1], sys.argv[2], sys.argv[3]

    def reject(why):
        with open(feedback + "judgemessage.txt", "w") as f:
            f.write(why + "\n")
        sys.exit(REJECT)

    with open(input_file) as f:
        n, t = map(int, f.readline().split())
        a = list(map(int, f.readline().split()))
    with open(answer_file) as f:
        possible = f.read().split() != ["impossible"]
    team = sys.stdin.read(1 << 20).split()
    if not team:
        reject("empty output")
    if team == ["impossible"] or [w.lower() for w in team] == ["impossible"]:
        if possible:
            reject("said impossible, but a pair exists")
        sys.exit(ACCEPT)
    if len(team) != 2 or not all(w.lstrip("-").isdigit() for w in team):
        reject("expected two indices or 'impossible', got %r" % " ".join(team)[:60])
    i, j = map(int, team)
    if not 1 <= i < j <= n:
        reject("indices %d %d are not 1 <= i < j <= %d" % (i, j, n))
    if a[i - 1] + a[j - 1] != t:
        reject("a[%d] + a[%d] = %d, not %d" % (i, j, a[i - 1] + a[j - 1], t))
    sys.exit(ACCEPT)


if __name__ == "__main__":
    main()
