"""Checks for the exercises at the end of each chapter, one module per chapter (``ch01``, ...).

Each check calls the learner's function on several configurations it makes
itself (fixed ones chosen so that each plausible shortcut fails, and random
ones drawn afresh on every call), compares with Keras where Keras can compute
the answer, and explains what is wrong without giving the answer.
"""

from ._core import ExerciseFailed, ExerciseNotAttempted, passed

__all__ = ["ExerciseFailed", "ExerciseNotAttempted", "passed"]
