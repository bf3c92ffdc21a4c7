"""What every exercise check shares: one failure type that reads as a hint, not a traceback.

A check raises ``ExerciseFailed`` (or ``ExerciseNotAttempted`` for the untouched
stub). In Jupyter both display as one plain message thanks to
``_render_traceback_``; for nbgrader and ``make grade`` they are still errors,
so a failed check is a failed cell.
"""

from __future__ import annotations

from typing import Any


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
