"""Messages between the grader and the learner process: framed pickles, decoded safely on the grader's side.

The grader trusts what it sends (check inputs may include a fitted scaler), so
the learner side unpickles normally. The grader does not trust what comes back:
``decode_untrusted`` only rebuilds plain data (numbers, strings, None, tuples,
lists, dicts, NumPy arrays and scalars, a fitted MinMaxScaler). Anything else
was already replaced on the learner's side by a ``Foreign`` stand-in, which the
grader turns into an object of a look-alike type with no behaviour, so a
permissive ``__eq__`` or a fake ``numpy()`` never reaches a check.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import struct
from typing import Any

# (module, name) pairs the grader's unpickler may rebuild: NumPy arrays and scalars, and one estimator.
SAFE_GLOBALS = {
    ("numpy", "dtype"),
    ("numpy", "ndarray"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"),
    ("sklearn.preprocessing._data", "MinMaxScaler"),
    ("tools.grading.wire", "Foreign"),
    ("tools.grading.wire", "Callback"),
}
PLAIN_TYPES = (int, float, complex, bool, str, bytes, type(None))
MAX_MESSAGE = 256 * 1024 * 1024  # bytes; a bigger message is refused, not read


class Foreign:
    """Stands for a learner value that is not plain data; only its type name crosses over."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return self.text


class Callback:
    """Stands for a function the check passes to the learner; calls come back to the grader."""

    def __init__(self, index: int):
        self.index = index


class UnsafeMessage(Exception):
    """The learner process sent something the grader will not rebuild."""


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in SAFE_GLOBALS:
            raise UnsafeMessage(f"refused to rebuild {module}.{name}")
        return super().find_class(module, name)


def _look_alike(value: Foreign) -> Any:
    """An inert object whose type is named like the learner's, so messages read naturally."""
    cls = type(value.type_name, (), {"__repr__": lambda self: value.text, "__module__": "learner"})
    return cls()


def _replace_foreign(value: Any) -> Any:
    if isinstance(value, Foreign):
        return _look_alike(value)
    if type(value) in (tuple, list):
        return type(value)(_replace_foreign(v) for v in value)
    if type(value) is dict:
        return {k: _replace_foreign(v) for k, v in value.items()}
    return value


def decode_untrusted(data: bytes) -> Any:
    """Rebuild a learner message; raise UnsafeMessage for anything but plain data."""
    try:
        value = _SafeUnpickler(io.BytesIO(data)).load()
    except UnsafeMessage:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed message is refused, whatever the reason
        raise UnsafeMessage(f"unreadable message: {type(error).__name__}") from None
    return _replace_foreign(value)


def decode_trusted(data: bytes) -> Any:
    """Rebuild a grader message (the learner side trusts the grader)."""
    return pickle.loads(data)


def to_plain(value: Any, depth: int = 0) -> Any:
    """What the learner side sends: plain data as is, TensorFlow tensors as arrays, the rest as Foreign."""
    import numpy as np

    kind = type(value)
    if kind in PLAIN_TYPES or (isinstance(value, np.generic) and kind.__module__ == "numpy"):
        return value
    if kind is np.ndarray:
        return value if value.dtype.kind in "biufcSU" else Foreign("ndarray", f"array of dtype {value.dtype}")
    if depth < 20 and kind in (tuple, list):
        return kind(to_plain(v, depth + 1) for v in value)
    if depth < 20 and kind is dict:
        return {to_plain(k, depth + 1): to_plain(v, depth + 1) for k, v in value.items()}
    if kind.__module__.startswith("tensorflow") and hasattr(value, "numpy"):
        return to_plain(np.asarray(value.numpy()), depth + 1)
    if f"{kind.__module__}.{kind.__name__}" == "sklearn.preprocessing._data.MinMaxScaler":
        return value
    try:  # the memory address would make two gradings of one submission differ
        text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))[:80]
    except Exception:  # noqa: BLE001 - a broken __repr__ must not break grading
        text = f"<{kind.__name__} object>"
    return Foreign(kind.__name__, text)


def send(fd: int, value: Any) -> None:
    """Write one framed message."""
    data = pickle.dumps(value, protocol=5)
    os.write(fd, struct.pack("!Q", len(data)))
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def receive_bytes(fd: int, read_exactly) -> bytes:
    """Read one framed message's bytes with ``read_exactly(fd, n)`` (which may enforce a deadline)."""
    (size,) = struct.unpack("!Q", read_exactly(fd, 8))
    if size > MAX_MESSAGE:
        raise UnsafeMessage(f"message of {size} bytes is too large")
    return read_exactly(fd, size)


def read_blocking(fd: int, n: int) -> bytes:
    """Read exactly n bytes, waiting as long as it takes (the learner side: the grader is trusted)."""
    chunks, left = [], n
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
