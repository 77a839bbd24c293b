# pyjudge's driver for a problem package's output validator, run as the
# checker's script in the checker's container. It calls the validator the
# way the ICPC/Kattis format does,
#     validate judge_input judge_answer feedback_dir/ [args] < team_output
# and prints one JSON line: the exit code and the feedback files.
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "pyjudge_validator.json"), encoding="utf-8") as f:
    spec = json.load(f)

# The validator's files go into a folder of their own, so that a folder
# with __main__.py runs as one program.
program = os.path.join(here, "validator")
os.makedirs(program, exist_ok=True)
for name in spec["files"]:
    os.replace(os.path.join(here, name), os.path.join(program, name))
feedback = os.path.join(here, "feedback") + os.sep
os.makedirs(feedback, exist_ok=True)

entry = os.path.join(program, spec["entry"]) if spec["entry"] else program
argv = [sys.executable, entry, os.path.join(here, "judge_input"), os.path.join(here, "judge_answer"), feedback]
# stdin (the team's output) is inherited; the validator's own stdout goes to
# stderr, so that stdout holds the record only.
code = subprocess.run(argv + spec["args"], stdout=sys.stderr.fileno(), cwd=here, check=False).returncode


def feedback_file(name):
    try:
        with open(os.path.join(feedback, name), "rb") as f:
            return f.read(65536).decode("utf-8", "replace")
    except OSError:
        return None


print(json.dumps({"exit": code, "judgemessage": feedback_file("judgemessage.txt"),
                  "teammessage": feedback_file("teammessage.txt")}))
