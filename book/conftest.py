"""nbval run over the chapters: report, and bound, the peak memory of the chapter kernels.

Each chapter runs in its own kernel, a child process of pytest; once the kernels
have exited, RUSAGE_CHILDREN holds the largest peak resident memory among them.
"""

from __future__ import annotations

import resource
import sys

PEAK_LIMIT_MB = 2048


def _peak_children_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024  # KiB on Linux, bytes on macOS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    peak = _peak_children_mb()
    terminalreporter.write_line(f"peak memory of a chapter kernel: {peak:.0f} MB (limit {PEAK_LIMIT_MB} MB)")
    if peak > PEAK_LIMIT_MB:
        terminalreporter.write_line(f"FAILED: a chapter used more than {PEAK_LIMIT_MB} MB", red=True)


def pytest_sessionfinish(session, exitstatus):
    if _peak_children_mb() > PEAK_LIMIT_MB and exitstatus == 0:
        session.exitstatus = 1
