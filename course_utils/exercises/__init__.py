"""Checks for the exercises at the end of each chapter, one module per chapter (``ch01``, ...).

Each check calls the learner's function on inputs it makes itself, compares
with a reference, and explains what is wrong without giving the answer.
"""

from ._core import ExerciseFailed, ExerciseNotAttempted, passed

__all__ = ["ExerciseFailed", "ExerciseNotAttempted", "passed"]
