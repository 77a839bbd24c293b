# pyjudge's driver for a problem package's output validator (or, with
# "mode": "input", an input validator: verify's check of a test's input), run as the
# checker's script in the checker's container (a Python validator's, or the
# compiler image's for a built C or C++ one). It calls the validator the
# way the ICPC/Kattis format does,
#     validate judge_input judge_answer feedback_dir/ [args] < team_output
# and prints one JSON line: the exit code, the start of judgemessage.txt and
# teammessage.txt, score.txt and score_multiplier.txt if written, and the
# end of the validator's stderr (on stderr for an interactive problem, whose
# validator's stdin and stdout are the submission's).
import json
import os
import subprocess
import sys
import time

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
pass_fds = ()
if spec.get("compiled"):
    # A built C or C++ program. /tmp is mounted noexec, so it runs from a
    # memory file of its own, executed through its /proc path.
    memfd = os.memfd_create("validator", 0)
    with open(entry, "rb") as f, open(memfd, "wb", closefd=False) as m:
        m.write(f.read())
    os.fchmod(memfd, 0o755)
    command = [f"/proc/self/fd/{memfd}"]
    pass_fds = (memfd,)
else:
    command = [sys.executable, entry]
# An interactive problem's validator talks to the submission: its stdin is
# the submission's output and its stdout the submission's input, both this
# driver's own (the host relays them), so the record goes to stderr.
interactive = spec.get("interactive", False)
# An input validator (verify) reads the test's input on stdin and gets its
# arguments only; what it prints on either stream is its message.
input_mode = spec.get("mode") == "input"
if input_mode:
    argv = command
else:
    argv = command + [os.path.join(here, "judge_input"), os.path.join(here, "judge_answer"), feedback]
# stdin (the team's output) is inherited. The format ignores what the
# validator prints: its stdout is dropped and its stderr kept in a file, so
# that however much it writes, this driver's stdout holds the record only.
err_path = os.path.join(here, "validator_stderr")
with open(err_path, "wb") as err:
    stdout = err if input_mode else None if interactive else subprocess.DEVNULL
    code = subprocess.run(argv + spec["args"], stdout=stdout, stderr=err, cwd=here, pass_fds=pass_fds,
                          check=False).returncode
    # When the validator ended, on the clock the submission's record uses.
    ended_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def head(path, limit=4096):
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return None


def tail(path, limit=1024):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - limit))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return None


# A few KiB at most: the record must fit the checker's output cap. The
# score files are read up to 257 bytes: one longer than 256 is not a score
# (judge/check/scoring.cpp refuses it).
record = json.dumps({"exit": code, "judgemessage": head(os.path.join(feedback, "judgemessage.txt")),
                     "teammessage": head(os.path.join(feedback, "teammessage.txt")),
                     "score": head(os.path.join(feedback, "score.txt"), 257),
                     "score_multiplier": head(os.path.join(feedback, "score_multiplier.txt"), 257),
                     "stderr_tail": tail(err_path), "ended_ns": ended_ns})
if interactive:
    sys.stderr.write("\n" + record + "\n")
    sys.stderr.flush()
else:
    print(record)
