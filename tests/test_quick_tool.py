"""make quick picks the tests of what changed, and one chapter."""

from __future__ import annotations

from tools import quick


def test_a_helper_change_runs_its_tests_and_the_bad_input_table():
    tests, chapters = quick.plan(["course_utils/windows.py"])
    assert {"tests/test_windows.py", "tests/test_bad_inputs.py", *quick.ALWAYS} == set(tests)
    assert chapters == [quick.DEFAULT_CHAPTER]


def test_a_chapter_change_runs_that_chapter_and_its_checks():
    tests, chapters = quick.plan(["book/05_lstm.ipynb", "course_utils/exercises/ch05.py"])
    assert chapters == ["book/05_lstm.ipynb"]
    assert {"tests/test_exercises_ch05.py", "tests/test_exercise_checks.py"} <= set(tests)


def test_a_grader_change_runs_the_grading_tests():
    tests, _ = quick.plan(["tools/grading/wire.py"])
    assert {"tests/test_grading_wire.py", "tests/test_grading.py"} <= set(tests)
