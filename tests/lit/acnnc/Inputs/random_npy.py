"""Writes a .npy of f32 values uniform in [-1, 1), seeded: random_npy.py OUT DIM...
Plain Python: lit's python3 may have no numpy."""
import random
import struct
import sys

out, shape = sys.argv[1], [int(d) for d in sys.argv[2:]]
count = 1
for d in shape:
    count *= d
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
    "".join(f"{d}, " for d in shape).rstrip(" ") if len(shape) > 1 else f"{shape[0]},")
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
rng = random.Random(1)
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack(f"<{count}f", *(rng.uniform(-1, 1) for _ in range(count))))
