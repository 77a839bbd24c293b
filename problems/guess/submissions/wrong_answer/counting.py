# Counts up from 1: out of tries for any number above 10.
guess = 0
while True:
    guess += 1
    print(guess, flush=True)
    if input() == "correct":
        break
