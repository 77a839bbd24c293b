# pyjudge's build of a package's C or C++ validator, run as the build job's
# script in the compiler image (scripts/build-image.sh --with g++). The
# sources lie beside it; pyjudge_validator.json names them. Each source is
# compiled on its own (C as C, C++ as C++), the objects linked, and the
# program written to stdout, whole: the host keeps it in its build cache.
# The compiler's messages go to stderr; a failed step's exit code is this
# script's.
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "pyjudge_validator.json"), encoding="utf-8") as f:
    spec = json.load(f)
# The compiler's temporary files go beside the sources, in the job's /tmp.
os.environ["TMPDIR"] = here
# Messages in plain ASCII quotes, whatever the image's locale.
os.environ["LC_ALL"] = "C"

C_FLAGS = ["gcc", "-std=gnu17", "-O2", "-pipe"]
CXX_FLAGS = ["g++", "-std=gnu++20", "-O2", "-pipe"]

objects = []
cxx = False
for n, source in enumerate(spec["sources"]):
    is_c = source.endswith(".c")
    cxx = cxx or not is_c
    obj = os.path.join(here, f"pyjudge-object-{n}.o")
    # -x: a .C or .c++ file is C++ whatever the driver's guess.
    cmd = (C_FLAGS + ["-x", "c"]) if is_c else (CXX_FLAGS + ["-x", "c++"])
    # The source by its name, so that messages name it as the package does.
    step = subprocess.run(cmd + ["-I", here, "-c", source, "-o", obj], cwd=here, check=False)
    if step.returncode != 0:
        sys.exit(step.returncode if step.returncode > 0 else 1)
    objects.append(obj)

program = os.path.join(here, "validator_bin")
link = (CXX_FLAGS if cxx else C_FLAGS) + ["-o", program] + objects + ["-lm"]
step = subprocess.run(link, cwd=here, check=False)
if step.returncode != 0:
    sys.exit(step.returncode if step.returncode > 0 else 1)
with open(program, "rb") as f:
    sys.stdout.buffer.write(f.read())
sys.stdout.flush()
