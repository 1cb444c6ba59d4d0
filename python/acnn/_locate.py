"""Finds acnnc and libacnnrt.so.

Order: the environment (ACNN_ACNNC, ACNN_RUNTIME_LIBRARY), then the prefix
`cmake --install` recorded in acnn/_installed.py, then an acnnc on PATH and the
runtime beside it (PREFIX/lib in an install, runtime/ in a build tree).
"""

import os
import shutil

from ._error import Error

try:  # Only present in a `cmake --install`ed copy of the package.
    from . import _installed
except ImportError:
    _installed = None


def _env(var):
    """The file an environment variable names, or None if it is unset.
    A variable that names no file is an error: falling through to another
    copy would hide the user's mistake."""
    value = os.environ.get(var)
    if not value:
        return None
    if not os.path.isfile(value):
        raise Error(f"{var}={value} names no file")
    return os.path.abspath(value)


def acnnc_path():
    """The acnnc executable acnn.compile runs."""
    found = _env("ACNN_ACNNC")
    if found:
        return found
    tried = ["$ACNN_ACNNC (unset)"]
    if _installed is not None:
        candidate = os.path.join(_installed.PREFIX, "bin", "acnnc")
        if os.access(candidate, os.X_OK):
            return candidate
        tried.append(candidate)
    on_path = shutil.which("acnnc")
    if on_path:
        return on_path
    tried.append("acnnc on PATH")
    raise Error("cannot find acnnc; tried " + ", ".join(tried))


def runtime_path():
    """The libacnnrt.so that acnn.load loads models with."""
    found = _env("ACNN_RUNTIME_LIBRARY")
    if found:
        return found
    candidates = []
    if _installed is not None:
        candidates.append(os.path.join(_installed.PREFIX, _installed.LIBDIR, "libacnnrt.so"))
    # The runtime that matches the acnnc the user points at or has on PATH.
    # Also beside the file a symlinked acnnc (/usr/local/bin/acnnc -> a build
    # tree's bin/acnnc) points to.
    for acnnc in (os.environ.get("ACNN_ACNNC"), shutil.which("acnnc")):
        if acnnc:
            for bindir in dict.fromkeys([os.path.dirname(os.path.abspath(acnnc)),
                                         os.path.dirname(os.path.realpath(acnnc))]):
                candidates.append(os.path.join(bindir, os.pardir, "lib", "libacnnrt.so"))
                candidates.append(os.path.join(bindir, os.pardir, "runtime", "libacnnrt.so"))
    candidates = list(dict.fromkeys(os.path.normpath(c) for c in candidates))
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    tried = ["$ACNN_RUNTIME_LIBRARY (unset)"] + candidates
    if not shutil.which("acnnc"):
        tried.append("beside acnnc on PATH (none on PATH)")
    raise Error("cannot find libacnnrt.so; tried " + ", ".join(tried))
