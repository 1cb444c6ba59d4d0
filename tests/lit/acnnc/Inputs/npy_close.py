"""Exits non-zero unless two f32 .npy files hold the same shape and values
within a relative L2 error (default 1e-4). Plain Python: lit's python3 may
have no numpy."""
import ast
import math
import struct
import sys


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", f"{path}: not a .npy file"
    major = data[6]
    size = struct.unpack("<H" if major == 1 else "<I", data[8:10] if major == 1 else data[8:12])[0]
    start = (10 if major == 1 else 12) + size
    header = ast.literal_eval(data[10 if major == 1 else 12:start].decode("latin1"))
    assert header["descr"] == "<f4" and not header["fortran_order"], f"{path}: {header}"
    count = math.prod(header["shape"])
    return header["shape"], struct.unpack(f"<{count}f", data[start:start + 4 * count])


got_shape, got = load(sys.argv[1])
want_shape, want = load(sys.argv[2])
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4
if got_shape != want_shape:
    sys.exit(f"shape {got_shape} != {want_shape}")
diff = math.sqrt(sum((a - b) ** 2 for a, b in zip(got, want)))
norm = math.sqrt(sum(b * b for b in want))
error = diff / norm if norm else diff
print(f"relative L2 error {error:.3g}")
sys.exit(0 if error <= tolerance else f"relative L2 error {error:.3g} > {tolerance}")
