"""The judge's side of Guess the number: validate.py INPUT ANSWER FEEDBACK_DIR,
talking to the submission on stdin and stdout. Exit 42 accepts, 43 rejects."""
import sys

secret = int(open(sys.argv[1]).read())
feedback = sys.argv[3]


def reject(why):
    with open(feedback + "judgemessage.txt", "w") as f:
        f.write(why + "\n")
    sys.exit(43)


for tries in range(1, 11):
    line = sys.stdin.readline()
    if not line:
        reject("the submission stopped before guess %d" % tries)
    try:
        guess = int(line)
    except ValueError:
        reject("guess %d is not a number: %r" % (tries, line[:20]))
    if guess == secret:
        print("correct", flush=True)
        with open(feedback + "teammessage.txt", "w") as f:
            f.write("found in %d tries\n" % tries)
        sys.exit(42)
    print("lower" if guess > secret else "higher", flush=True)
reject("no correct guess in 10 tries")
