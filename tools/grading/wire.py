"""Messages between the grader and the learner process: framed pickles, decoded safely on the grader's side.

The grader trusts what it sends (check inputs may include a fitted scaler), so
the learner side unpickles normally. The grader does not trust what comes back,
since learner code can write any bytes to its pipe: ``decode_untrusted`` lets
the unpickler build NumPy arrays and scalars and this module's carriers only,
then walks the result without recursion, within depth and size limits, and
keeps only plain data (numbers, strings, None, tuples, lists, dicts, numeric or
text arrays). A ``Foreign`` carrier (any other learner value, sent as its type
name and repr) becomes an object of a look-alike type with no behaviour, so a
permissive ``__eq__`` or a fake ``numpy()`` never reaches a check; an
``Estimator`` carrier becomes a fresh MinMaxScaler holding plain attributes.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import struct
from typing import Any

# (module, name) pairs the grader's unpickler may rebuild: NumPy arrays and scalars, and the carriers.
SAFE_GLOBALS = {
    ("numpy", "dtype"),
    ("numpy", "ndarray"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"),
    ("tools.grading.wire", "Foreign"),
    ("tools.grading.wire", "Estimator"),
}
PLAIN_TYPES = (int, float, complex, bool, str, bytes, type(None))
ARRAY_KINDS = "biufcSU"  # booleans, integers, floats, complex numbers, bytes and text: no objects, no records
MAX_MESSAGE = 64 * 1024 * 1024  # bytes; a bigger message is refused, not read
MAX_DEPTH = 64  # containers inside containers
MAX_VALUES = 1_000_000  # values in one message, counted as walked (shared references count each time)
MAX_INT_BITS = 1024  # no answer needs a larger integer; arithmetic on a huge one would stall a check
#: Learner estimators that cross over, as (the carrier's kind, the class the grader rebuilds).
ESTIMATORS = {"MinMaxScaler": ("sklearn.preprocessing", "MinMaxScaler")}


class Foreign:
    """Stands for a learner value that is not plain data; only its type name crosses over."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return self.text


class Estimator:
    """Carries a fitted estimator (a MinMaxScaler) as its kind and its attributes, never as its class."""

    def __init__(self, kind: str, state: dict):
        self.kind, self.state = kind, state


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


def _look_alike(type_name: str, text: str) -> Any:
    """An inert object whose type is named like the learner's, so messages read naturally."""
    name = "".join(ch for ch in type_name if ch.isalnum() or ch == "_")[:60] or "value"
    cls = type(name, (), {"__repr__": lambda self: text[:200], "__module__": "learner"})
    return cls()


def _estimator(kind: str, state: dict) -> Any:
    import importlib

    if kind not in ESTIMATORS or not all(type(k) is str for k in state):
        raise UnsafeMessage(f"refused an estimator of kind {kind!r}")
    module, name = ESTIMATORS[kind]
    cls = getattr(importlib.import_module(module), name)
    estimator = cls.__new__(cls)
    estimator.__dict__.update(state)
    return estimator


def _fields(value: Any, names: tuple[str, ...]) -> list[Any]:
    state = getattr(value, "__dict__", None)
    if type(state) is not dict or set(state) != set(names):
        raise UnsafeMessage(f"a malformed {type(value).__name__}")
    return [state[n] for n in names]


def _check_array(value: Any) -> None:
    import numpy as np

    dtype = value.dtype
    if type(dtype).__module__.split(".")[0] != "numpy" or dtype.kind not in ARRAY_KINDS or dtype.fields:
        raise UnsafeMessage(f"refused an array of dtype {dtype}")
    if isinstance(value, np.ndarray) and value.nbytes > MAX_MESSAGE:
        raise UnsafeMessage("refused an oversized array")


def rebuild(root: Any) -> Any:
    """Plain data from what the unpickler built, walked with an explicit stack: no recursion, bounded."""
    import numpy as np

    done: list[Any] = []  # rebuilt values, in the order their walk finished
    todo: list[tuple[Any, int, bool]] = [(root, 0, False)]
    walked = 0
    while todo:
        value, depth, children_done = todo.pop()
        kind = type(value)
        if children_done:  # its children are the last values rebuilt
            if kind in (tuple, list):
                items = done[len(done) - len(value):] if len(value) else []
                del done[len(done) - len(value):]
                done.append(kind(items))
            elif kind is dict:
                items = done[len(done) - len(value):] if len(value) else []
                del done[len(done) - len(value):]
                done.append(dict(zip(value.keys(), items)))
            elif kind is Foreign:
                type_name, text = done[-2:]
                del done[-2:]
                if type(type_name) is not str or type(text) is not str:
                    raise UnsafeMessage("a malformed Foreign")
                done.append(_look_alike(type_name, text))
            else:  # Estimator
                estimator_kind, state = done[-2:]
                del done[-2:]
                if type(estimator_kind) is not str or type(state) is not dict:
                    raise UnsafeMessage("a malformed Estimator")
                done.append(_estimator(estimator_kind, state))
            continue
        walked += 1
        if walked > MAX_VALUES:
            raise UnsafeMessage(f"more than {MAX_VALUES} values")
        if depth > MAX_DEPTH:
            raise UnsafeMessage(f"nested more than {MAX_DEPTH} deep")
        if kind in PLAIN_TYPES:
            if kind is int and value.bit_length() > MAX_INT_BITS:
                raise UnsafeMessage(f"refused an integer of more than {MAX_INT_BITS} bits")
            done.append(value)
        elif kind is np.ndarray or (isinstance(value, np.generic) and kind.__module__ == "numpy"):
            _check_array(value)
            done.append(value)
        elif kind in (tuple, list, dict, Foreign, Estimator):
            if kind is dict:
                if not all(type(k) in PLAIN_TYPES for k in value):
                    raise UnsafeMessage("dictionary keys must be plain values")
                children = list(value.values())
            elif kind is Foreign:
                children = _fields(value, ("type_name", "text"))
            elif kind is Estimator:
                children = _fields(value, ("kind", "state"))
            else:
                children = list(value)
            todo.append((value, depth, True))
            todo.extend((child, depth + 1, False) for child in reversed(children))
        else:
            raise UnsafeMessage(f"refused a value of type {kind.__name__}")
    (result,) = done
    return result


def decode_untrusted(data: bytes) -> Any:
    """Rebuild a learner message; raise UnsafeMessage for anything but plain data."""
    try:
        value = _SafeUnpickler(io.BytesIO(data)).load()
    except UnsafeMessage:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed message is refused, whatever the reason
        raise UnsafeMessage(f"unreadable message: {type(error).__name__}") from None
    try:
        return rebuild(value)
    except UnsafeMessage:
        raise
    except Exception as error:  # noqa: BLE001 - a value no check could use is refused, never fatal
        raise UnsafeMessage(f"unusable message: {type(error).__name__}") from None


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
    if kind.__name__ in ESTIMATORS and kind.__module__.startswith("sklearn.") and depth < 20:
        return Estimator(kind.__name__, to_plain(dict(vars(value)), depth + 1))
    try:  # the memory address would make two gradings of one submission differ
        text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))[:80]
    except Exception:  # noqa: BLE001 - a broken __repr__ must not break grading
        text = f"<{kind.__name__} object>"
    return Foreign(kind.__name__, text)


def frame(value: Any) -> bytes:
    """One message as it goes down the pipe: its length, then its pickle."""
    data = pickle.dumps(value, protocol=5)
    return struct.pack("!Q", len(data)) + data


def send(fd: int, value: Any) -> None:
    """Write one framed message (the learner's side; the grader's own writes keep a deadline)."""
    view = memoryview(frame(value))
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
