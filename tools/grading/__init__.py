"""Grading in two processes: learner code runs in a sandboxed process; checks run in the grader's.

``wire`` carries calls and results between them as plain data only; ``learner``
is the sandboxed side; ``session`` is the grader's handle on it.
"""
