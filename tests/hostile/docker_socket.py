# expect: OK
# stdout-lacks: FOUND
# stdout-has: searched
# limits: time_limit=10
# Looks for the engine's socket anywhere it could be. Its time limit is
# generous, because the walk of the whole image is slow under gVisor on a
# busy machine.
import os

for path in ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/docker"):
    if os.path.exists(path):
        print("FOUND", path)
for root, dirs, files in os.walk("/", onerror=lambda e: None):
    if root.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    for f in files:
        if f.endswith(".sock"):
            print("FOUND", os.path.join(root, f))
print("searched")
