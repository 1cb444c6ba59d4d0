"""Models compiled by acnnc, run through libacnnrt.so with ctypes."""

import ctypes
import operator
import os
import threading
from typing import NamedTuple, Tuple

import numpy as np

from ._error import Error
from ._locate import runtime_path

_c_shape = ctypes.POINTER(ctypes.c_int64)

# acnn_dtype values and the numpy dtypes of their data.
_DTYPES = {0: np.dtype(np.float32), 1: np.dtype(np.int64)}
_DTYPE_CODES = {dtype: code for code, dtype in _DTYPES.items()}


class _Tensor(ctypes.Structure):  # acnn_tensor
    _fields_ = [("dtype", ctypes.c_int), ("rank", ctypes.c_int32),
                ("shape", _c_shape), ("data", ctypes.c_void_p)]


_lib = None
_lib_lock = threading.Lock()


def _library():
    """libacnnrt, loaded once. RTLD_GLOBAL matters: a model library leaves
    acnn_context_num_threads and acnn_kernel_begin/end undefined and binds them
    to the process's global scope when acnn_model_open dlopens it."""
    global _lib
    with _lib_lock:
        if _lib is None:
            path = runtime_path()
            try:
                lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
            except OSError as e:
                raise Error(f"cannot load {path}: {e}") from None
            model, status, i32 = ctypes.c_void_p, ctypes.c_int, ctypes.c_int32
            describe = [model, i32, ctypes.POINTER(ctypes.c_char_p),
                        ctypes.POINTER(i32), ctypes.POINTER(_c_shape)]
            for name, restype, argtypes in [
                ("acnn_last_error", ctypes.c_char_p, []),
                ("acnn_model_open", status, [ctypes.c_char_p, ctypes.POINTER(model)]),
                ("acnn_model_free", None, [model]),
                ("acnn_model_name", ctypes.c_char_p, [model]),
                ("acnn_model_num_inputs", i32, [model]),
                ("acnn_model_num_outputs", i32, [model]),
                ("acnn_model_num_kernels", i32, [model]),
                ("acnn_model_input", status, describe),
                ("acnn_model_output", status, describe),
                ("acnn_model_input_dtype", status, [model, i32, ctypes.POINTER(ctypes.c_int)]),
                ("acnn_model_output_dtype", status, [model, i32, ctypes.POINTER(ctypes.c_int)]),
                ("acnn_model_run", status,
                 [model, ctypes.POINTER(_Tensor), i32, ctypes.POINTER(_Tensor), i32]),
                ("acnn_model_set_num_threads", status, [model, i32]),
                ("acnn_model_num_threads", i32, [model]),
                ("acnn_model_enable_profiling", status, [model, ctypes.c_int]),
                ("acnn_model_profile", status,
                 [model, i32, ctypes.POINTER(ctypes.c_char_p),
                  ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_int64)]),
            ]:
                fn = getattr(lib, name)
                fn.restype, fn.argtypes = restype, argtypes
            _lib = lib
        return _lib


def _check(lib, status):
    # acnn_last_error is per thread; ctypes calls run on the caller's thread,
    # so this reads the message of the call that just failed.
    if status != 0:
        raise Error(lib.acnn_last_error().decode(errors="replace"))


def _count(lib, n):
    if n < 0:  # -1 is how the count functions fail
        raise Error(lib.acnn_last_error().decode(errors="replace"))
    return n


class TensorInfo(NamedTuple):
    """An input or output of a model, as its metadata declares it; dtype is
    the numpy name of its data's type, "float32" or "int64"."""
    name: str
    shape: Tuple[int, ...]
    dtype: str = "float32"


class ProfileEntry(NamedTuple):
    """One kernel's time over the runs since enable_profiling(True)."""
    kernel: str
    calls: int
    total_ms: float


class Model:
    """A compiled model (a shared library from `acnnc compile -o X.so`).

    Calls are thread-safe; runs on one model are serialised (they share its
    arena), so use one Model per thread to run concurrently."""

    def __init__(self, path, threads=None):
        self._handle = None  # so __del__/close work if opening fails
        lib = _library()
        self._lib = lib  # kept so __del__ can free even during interpreter exit
        self._lock = threading.Lock()  # close() must not free under a running call
        self._profiled = False
        handle = ctypes.c_void_p()
        _check(lib, lib.acnn_model_open(os.fsencode(os.fspath(path)), ctypes.byref(handle)))
        self._handle = handle
        self.path = os.fspath(path)
        self.name = lib.acnn_model_name(handle).decode()
        self.inputs = self._describe(lib.acnn_model_input, lib.acnn_model_input_dtype,
                                     lib.acnn_model_num_inputs(handle))
        self.outputs = self._describe(lib.acnn_model_output, lib.acnn_model_output_dtype,
                                      lib.acnn_model_num_outputs(handle))
        # ctypes views of the output shapes, reused for every run
        self._out_shapes = [(ctypes.c_int64 * len(t.shape))(*t.shape) for t in self.outputs]
        if threads is not None:
            self.num_threads = threads

    def _describe(self, fn, dtype_fn, count):
        infos = []
        for i in range(_count(self._lib, count)):
            name, rank, shape = ctypes.c_char_p(), ctypes.c_int32(), _c_shape()
            _check(self._lib, fn(self._handle, i, ctypes.byref(name), ctypes.byref(rank),
                                 ctypes.byref(shape)))
            code = ctypes.c_int()
            _check(self._lib, dtype_fn(self._handle, i, ctypes.byref(code)))
            if code.value not in _DTYPES:  # a runtime newer than this package
                raise Error(f"model '{self.name}': '{name.value.decode()}' has dtype "
                            f"{code.value}, which this package does not know")
            infos.append(TensorInfo(name.value.decode(), tuple(shape[:rank.value]),
                                    _DTYPES[code.value].name))
        return infos

    def _live(self):
        if self._handle is None:
            raise Error(f"model '{getattr(self, 'name', '?')}' is closed")
        return self._handle

    # ---- running ---------------------------------------------------------

    def __call__(self, *inputs):
        """Runs on positional inputs (model order), each converted to its
        input's dtype; returns the output array (of the output's dtype, float32
        or int64), or a tuple of them for a model with several outputs."""
        if len(inputs) != len(self.inputs):
            names = ", ".join(t.name for t in self.inputs)
            raise Error(f"model '{self.name}' takes {len(self.inputs)} input(s) ({names}), "
                        f"got {len(inputs)}")
        outputs = self._run(inputs)
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def run(self, inputs):
        """Runs on a dict {input name: array}; returns {output name: array}."""
        names = [t.name for t in self.inputs]
        missing = [n for n in names if n not in inputs]
        unknown = [n for n in inputs if n not in names]
        if missing or unknown:
            problems = []
            if missing:
                problems.append("missing input(s) " + ", ".join(map(repr, missing)))
            if unknown:
                problems.append("unknown input(s) " + ", ".join(map(repr, unknown)))
            raise Error(f"model '{self.name}': {'; '.join(problems)} "
                        f"(it takes {', '.join(map(repr, names))})")
        outputs = self._run([inputs[n] for n in names])
        return {t.name: a for t, a in zip(self.outputs, outputs)}

    def _run(self, inputs):
        arrays = []
        for info, x in zip(self.inputs, inputs):
            x = np.asarray(x)
            a = np.ascontiguousarray(x, dtype=info.dtype)
            # numpy truncates 1.5 to 1: an integer input takes whole numbers only.
            if a.dtype.kind == "i" and x.dtype.kind not in "iub" and not np.array_equal(a, x):
                raise Error(f"model '{self.name}': input '{info.name}' is {info.dtype}, "
                            f"got {x.dtype} values that are not all integers")
            # Checked here too so the message names the Python-side shapes.
            if a.shape != info.shape:
                raise Error(f"model '{self.name}': input '{info.name}' must have shape "
                            f"{info.shape}, got {a.shape}")
            arrays.append(a)
        results = [np.empty(t.shape, dtype=t.dtype) for t in self.outputs]
        in_shapes = [(ctypes.c_int64 * a.ndim)(*a.shape) for a in arrays]
        c_in = (_Tensor * max(len(arrays), 1))(*[
            _Tensor(_DTYPE_CODES[a.dtype], a.ndim, s, a.ctypes.data)
            for a, s in zip(arrays, in_shapes)])
        c_out = (_Tensor * max(len(results), 1))(*[
            _Tensor(_DTYPE_CODES[r.dtype], r.ndim, s, r.ctypes.data)
            for r, s in zip(results, self._out_shapes)])
        with self._lock:
            handle = self._live()
            # `arrays`, `results` and the shape buffers stay referenced here, so
            # they live through the call; ctypes releases the GIL while it runs.
            _check(self._lib, self._lib.acnn_model_run(handle, c_in, len(arrays),
                                                       c_out, len(results)))
        return results

    # ---- threads and profiling -------------------------------------------

    @property
    def num_threads(self):
        """Threads the model's parallel loops run on (default: what it was
        compiled for, at most the CPUs this process may use)."""
        with self._lock:
            return _count(self._lib, self._lib.acnn_model_num_threads(self._live()))

    @num_threads.setter
    def num_threads(self, n):
        n = operator.index(n)  # reject 2.5 rather than truncate it
        with self._lock:
            _check(self._lib, self._lib.acnn_model_set_num_threads(self._live(), n))

    @property
    def num_kernels(self):
        with self._lock:
            return _count(self._lib, self._lib.acnn_model_num_kernels(self._live()))

    def enable_profiling(self, enabled=True):
        """Times every kernel of the runs from now on. Enabling (again) resets
        the counters, so enable, run, then read profile()."""
        with self._lock:
            _check(self._lib, self._lib.acnn_model_enable_profiling(self._live(), int(enabled)))
        self._profiled = self._profiled or bool(enabled)

    def profile(self):
        """[ProfileEntry(kernel, calls, total_ms)], most time first, over the
        runs since enable_profiling(True)."""
        if not self._profiled:
            raise Error(f"model '{self.name}': profiling is off; call enable_profiling() "
                        "before the runs to measure")
        rows = []
        with self._lock:
            handle = self._live()
            for k in range(_count(self._lib, self._lib.acnn_model_num_kernels(handle))):
                name, ms, calls = ctypes.c_char_p(), ctypes.c_double(), ctypes.c_int64()
                _check(self._lib, self._lib.acnn_model_profile(
                    handle, k, ctypes.byref(name), ctypes.byref(ms), ctypes.byref(calls)))
                rows.append(ProfileEntry(name.value.decode(), calls.value, ms.value))
        rows.sort(key=lambda r: r.total_ms, reverse=True)
        return rows

    def profile_table(self):
        """profile() as text, in acnn-run --profile's layout."""
        rows = self.profile()
        total = sum(r.total_ms for r in rows)
        width = max([6] + [len(r.kernel) for r in rows])
        lines = [f"{'kernel':<{width}} {'calls':>10} {'total ms':>12} {'% of all':>9}"]
        for r in rows:
            share = 100 * r.total_ms / total if total > 0 else 0.0
            lines.append(f"{r.kernel:<{width}} {r.calls:>10} {r.total_ms:>12.3f} {share:>8.1f}%")
        return "\n".join(lines)

    # ---- lifetime --------------------------------------------------------

    def close(self):
        """Frees the model (its arena and library); later calls raise Error."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before the handle existed
            return
        with lock:
            if self._handle is not None:
                self._lib.acnn_model_free(self._handle)
                self._handle = None

    @property
    def closed(self):
        return self._handle is None

    def __enter__(self):
        self._live()
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # never raise from a finaliser (e.g. at interpreter exit)
            pass

    def __repr__(self):
        def fmt(ts):
            return ", ".join(f"{t.name}{list(t.shape)}" for t in ts)
        state = " closed" if self.closed else ""
        return (f"<acnn.Model '{getattr(self, 'name', '?')}'{state} "
                f"inputs=[{fmt(getattr(self, 'inputs', []))}] "
                f"outputs=[{fmt(getattr(self, 'outputs', []))}]>")


def load(path, threads=None):
    """Opens a shared-library model built by `acnnc compile -o X.so`."""
    return Model(path, threads=threads)
