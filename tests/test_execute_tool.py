"""tools.execute: a notebook that fails or runs too long is reported with its cell, never saved."""

from __future__ import annotations

import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from tools.course_config import ROOT


def run_execute(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.execute", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


def test_a_slow_cell_fails_with_its_source(tmp_path):
    path = tmp_path / "01_slow.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("import time\ntime.sleep(30)")]), path)
    before = path.read_text()
    result = run_execute(str(path), "--timeout", "3")
    assert result.returncode == 1
    assert "longer than 3 s" in result.stderr and "time.sleep(30)" in result.stderr
    assert path.read_text() == before  # nothing half-executed is written


def test_a_failing_cell_is_named_and_seed_reaches_the_kernel(tmp_path):
    path = tmp_path / "01_fail.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("import os\nassert os.environ['COURSE_SEED'] == '7'"),
        new_code_cell("raise ValueError('broken on purpose')"),
    ]), path)
    result = run_execute(str(path), "--seed", "7", "--dry-run")
    assert result.returncode == 1
    assert "broken on purpose" in result.stderr      # the second cell is the one reported
    assert "AssertionError" not in result.stderr     # so the first saw COURSE_SEED=7


def test_a_print_flushed_in_pieces_is_saved_as_one_stream(tmp_path):
    path = tmp_path / "01_pieces.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(
        "import sys, time\n"
        "sys.stdout.write('one'); sys.stdout.flush(); time.sleep(0.3)\n"
        "sys.stdout.write('two\\n'); sys.stdout.flush(); time.sleep(0.3)\n"
        "sys.stderr.write('err\\n');"
    )]), path)
    assert run_execute(str(path)).returncode == 0
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    pieces = [(o.get("name"), o.get("text")) for o in outputs]
    assert pieces == [("stdout", "onetwo\n"), ("stderr", "err\n")], outputs
