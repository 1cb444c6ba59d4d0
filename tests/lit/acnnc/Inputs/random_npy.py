"""Writes a .npy of f32 values uniform in [-1, 1), seeded: random_npy.py OUT DIM...
(--range LOW HIGH first: in [LOW, HIGH)). Plain Python: lit's python3 may have no numpy."""
import random
import struct
import sys

args = sys.argv[1:]
low, high = -1.0, 1.0
if args[0] == "--range":
    low, high, args = float(args[1]), float(args[2]), args[3:]
out, shape = args[0], [int(d) for d in args[1:]]
count = 1
for d in shape:
    count *= d
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
    "".join(f"{d}, " for d in shape).rstrip(" ") if len(shape) > 1 else f"{shape[0]},")
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
rng = random.Random(1)
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack(f"<{count}f", *(rng.uniform(low, high) for _ in range(count))))
