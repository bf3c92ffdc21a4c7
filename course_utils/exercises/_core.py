"""What every exercise check shares: one failure type that reads as a hint, and strict validation of answers.

A check raises ``ExerciseFailed`` (or ``ExerciseNotAttempted`` for the untouched
stub). In Jupyter both display as one plain message thanks to
``_render_traceback_``; for nbgrader and ``make grade`` they are still errors,
so a failed check is a failed cell.

Answers are validated as what they claim to be before any comparison: a count
is an ``int``, an array is a real ``numpy.ndarray`` of numbers. An object whose
``==`` always answers True therefore never reaches a comparison.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

#: Relative and absolute tolerance for "equal to float64 round-off": the same computation
#: in another order of operations agrees to about 1e-15; 1e-10 leaves room and nothing more.
ROUND_OFF = 1e-10

_INTEGER_TYPES = (int, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)


class ExerciseFailed(AssertionError):
    """A check found a problem; the message says what is wrong and where to look."""

    marker = "✗"

    def __init__(self, exercise: str, message: str):
        super().__init__(f"{exercise}: {message}")
        self.exercise = exercise
        self.hint = message

    def _render_traceback_(self) -> list[str]:  # IPython hook: show the hint, not a traceback
        return [f"{self.marker} {self}"]


class ExerciseNotAttempted(ExerciseFailed):
    """The solution cell still holds the stub."""

    marker = "…"

    def __init__(self, exercise: str):
        super().__init__(
            exercise,
            "not attempted yet. Replace `raise NotImplementedError()` in the cell above "
            "with your code, run that cell, then run this check again.",
        )


def passed(exercise: str, message: str) -> None:
    """Tell the learner the check passed, and why that matters."""
    print(f"✓ {exercise} passed: {message}")


def attempt(exercise: str, function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's function; turn the stub and crashes into plain-language failures."""
    if not callable(function):
        raise ExerciseFailed(exercise, f"expected the function you wrote, got {type(function).__name__}.")
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        raise ExerciseNotAttempted(exercise) from None
    except Exception as error:  # noqa: BLE001 - any crash in learner code becomes a hint
        raise ExerciseFailed(
            exercise,
            f"your function raised {type(error).__name__}: {error}. "
            "Run it on a small input in a new cell and print intermediate shapes.",
        ) from None


def in_case(exercise: str, where: str, step: Any, *args: Any, also: str = "", **kwargs: Any) -> Any:
    """Run ``step`` (``attempt`` or a validator); a failure names the configuration ``where`` it happened, then ``also``."""
    try:
        return step(exercise, *args, **kwargs)
    except ExerciseNotAttempted:
        raise
    except ExerciseFailed as failure:
        raise ExerciseFailed(exercise, f"{where}: {failure.hint}{also}") from None


def attempt_in(exercise: str, where: str, function: Any, *args: Any) -> Any:
    """``attempt``, naming the configuration in which the learner's function failed."""
    return in_case(exercise, where, attempt, function, *args)


def fresh_rng() -> np.random.Generator:
    """A generator seeded afresh from the OS on every call: no table of memorised answers can pass."""
    return np.random.default_rng()


#: (batch, features, units) of the recurrent-step checks: every axis a different size, units=1 and features=1 among them.
STEP_SIZES = [(3, 2, 4), (2, 5, 7), (4, 3, 1), (2, 1, 6)]


def step_sizes(rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """STEP_SIZES, then one (batch, features, units) drawn afresh with three different sizes."""
    sizes = list(STEP_SIZES)
    while len(sizes) < len(STEP_SIZES) + 1:
        size = tuple(int(n) for n in rng.integers(1, 9, size=3))
        if len(set(size)) == 3:
            sizes.append(size)
    return sizes


def _describe(value: Any) -> str:
    """Type and repr, without a memory address (it would make the same answer's message differ run to run)."""
    try:
        text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
    except Exception:  # noqa: BLE001 - a learner's broken __repr__ must not hide the real message
        text = "<unprintable>"
    return f"{type(value).__name__} {text[:60] + '...' if len(text) > 60 else text}"


def whole_number(exercise: str, got: Any, what: str = "the count") -> int:
    """``got`` as a Python int; a float, a bool or any look-alike is refused."""
    if type(got) not in _INTEGER_TYPES:
        raise ExerciseFailed(exercise, f"{what} must be a whole number (int), got {_describe(got)}.")
    return int(got)


def real_array(exercise: str, got: Any, what: str = "your result", shape: tuple | None = None) -> np.ndarray:
    """``got`` as a float64 ``numpy.ndarray``: a real array of numbers, optionally of a given shape.

    Accepted: ``numpy.ndarray`` itself (not a subclass) of integer or floating dtype, and
    TensorFlow tensors (converted). Refused with a hint: lists, tuples, objects pretending to be arrays.
    """
    if type(got).__module__.startswith("tensorflow") and hasattr(got, "numpy"):
        got = np.asarray(got.numpy())
    if type(got) is not np.ndarray:
        raise ExerciseFailed(exercise, f"{what} must be a NumPy array, got {_describe(got)}; wrap it in np.asarray(...).")
    if got.dtype.kind not in "iuf":
        raise ExerciseFailed(exercise, f"{what} must hold real numbers, but its dtype is {got.dtype}.")
    if shape is not None and got.shape != tuple(shape):
        raise ExerciseFailed(exercise, f"{what} has shape {got.shape}, but {tuple(shape)} was expected.")
    return np.array(got, dtype=np.float64)


def real_number(exercise: str, got: Any, what: str = "your result") -> float:
    """``got`` as a Python float: a Python or NumPy real number, or a 0-d/size-1 real array."""
    if type(got) in (float, np.float16, np.float32, np.float64) or type(got) in _INTEGER_TYPES:
        return float(got)
    if type(got) is np.ndarray and got.size == 1 and got.dtype.kind in "iuf":
        return float(got.reshape(()))
    raise ExerciseFailed(exercise, f"{what} must be one real number (float), got {_describe(got)}.")


def close(got: np.ndarray, want: np.ndarray, tolerance: float = ROUND_OFF) -> bool:
    """Equal within ``tolerance``, relative and absolute (np.allclose's default rtol of 1e-5 is far looser)."""
    return bool(np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=tolerance, atol=tolerance))


#: Agreement to this, but not to ROUND_OFF, is the mark of a float32 computation of a float64 answer.
FLOAT32_CLOSE = 1e-4


def refuse_float32(exercise: str, where: str, pairs: list[tuple[np.ndarray, np.ndarray]], reference: str,
                   inputs: str = "the input arrays") -> None:
    """Refuse results that match the float64 reference only to float32 precision, naming the gap."""
    if all(close(got, want, FLOAT32_CLOSE) for got, want in pairs):
        gap = max(float(np.abs(np.asarray(got) - want).max()) for got, want in pairs)
        raise ExerciseFailed(
            exercise, f"{where}: your result is off by up to {gap:.1e}, but the exercise asks for {reference} to float64 "
            f"round-off ({ROUND_OFF:.0e}). Compute in float64 all the way, like {inputs}: no float32 casts, "
            "no float32 TensorFlow ops."
        )
