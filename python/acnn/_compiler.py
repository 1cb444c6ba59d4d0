"""acnn.compile: runs `acnnc compile` on a model file."""

import os
import subprocess
import sys

from ._error import Error
from ._locate import acnnc_path


def _shape_text(shape):
    # "1x3x224x224", the form --input-shape takes; a string passes through.
    return shape if isinstance(shape, str) else "x".join(str(int(d)) for d in shape)


def compile(model_path, output=None, *, threads=None, cpu=None, input_shapes=None,
            schedules=None, weights=None, name=None, quiet=True, extra_args=()):
    """Compiles an .onnx/.acnn/.mlir model to a shared library that acnn.load
    opens; returns the output path (default: model_path with .so).

    input_shapes pins ONNX inputs, e.g. {"input": (1, 3, 224, 224)}.
    Raises acnn.Error with acnnc's message when it fails."""
    model_path = os.fspath(model_path)
    if output is None:
        output = os.path.splitext(model_path)[0] + ".so"
    output = os.fspath(output)
    args = [acnnc_path(), "compile", model_path, "-o", output]
    if threads is not None:
        args += ["--threads", str(int(threads))]
    if cpu is not None:
        args += ["--cpu", cpu]
    for input_name, shape in (input_shapes or {}).items():
        args += ["--input-shape", f"{input_name}={_shape_text(shape)}"]
    if schedules is not None:
        args += ["--schedules", os.fspath(schedules)]
    if weights is not None:
        args += ["--weights", os.fspath(weights)]
    if name is not None:
        args += ["--name", name]
    if quiet:
        args.append("-q")
    args += [os.fspath(a) for a in extra_args]
    # stdout (the stage lines and summary, when not quiet) goes to the user;
    # stderr is captured so that a failure carries acnnc's message.
    result = subprocess.run(args, stdout=None if not quiet else subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        message = result.stderr.strip() or f"acnnc exited with status {result.returncode}"
        raise Error(f"acnnc compile {model_path} failed: {message}")
    if result.stderr:  # warnings on success: pass them on, not swallow them
        sys.stderr.write(result.stderr)
    return output
