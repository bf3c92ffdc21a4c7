"""Chapter 3 checks: correct answers pass, typical mistakes get their hint, the stub is named."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch03


def stub(*args, **kwargs):
    raise NotImplementedError()


def coefficients(step, tau):
    r = np.exp(-step / tau)
    return 2 * r * np.cos(step), -r * r


def fit(y):
    a, b = np.linalg.lstsq(np.column_stack([y[1:-1], y[:-2]]), y[2:], rcond=None)[0]
    return a, b


def generate(next_value, seed, n):
    values = list(seed)
    while len(values) < n:
        values.append(next_value(np.array(values[-len(seed):])))
    return np.array(values)


@pytest.mark.parametrize(
    "check, answer",
    [(ch03.check_recurrence_coefficients, coefficients), (ch03.check_fit_recurrence, fit),
     (ch03.check_generate, generate)],
)
def test_correct_answers_pass(capsys, check, answer):
    check(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "check", [ch03.check_recurrence_coefficients, ch03.check_fit_recurrence, ch03.check_generate]
)
def test_stub_is_named(check):
    with pytest.raises(ExerciseNotAttempted):
        check(stub)


def test_exact_coefficients_reproduce_the_course_curve():
    import course_utils as cu

    x, y = cu.damped_curve()
    a, b = ch03._exact_coefficients(x[1] - x[0], 5.0)
    np.testing.assert_allclose(y[2:], a * y[1:-1] + b * y[:-2], atol=1e-14)


@pytest.mark.parametrize(
    "answer, hint",
    [(lambda s, t: (coefficients(s, t)[0], -coefficients(s, t)[1]), "wrong sign"),
     (lambda s, t: (2 * np.cos(s), -1.0), "undamped"),
     (lambda s, t: (2 * np.exp(-s / t) * np.cos(s), -np.exp(-s / t)), "r squared"),
     (lambda s, t: (1.0, 0.0), "addition formula"),
     (lambda s, t: 0.5, "pair")],
)
def test_coefficient_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch03.check_recurrence_coefficients(answer)


@pytest.mark.parametrize(
    "answer, hint",
    [(lambda y: fit(y)[::-1], "swapped"), (lambda y: (1.0, 0.0), "regress y\\[t\\] on itself"),
     (lambda y: (0.5, 0.5), "least-squares")],
)
def test_fit_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch03.check_fit_recurrence(answer)


def test_no_fit_hint_gives_the_answer_away():
    """Neither the method's code nor the curve's true coefficients appear in a failure message."""
    with pytest.raises(ExerciseFailed) as failed:
        ch03.check_fit_recurrence(lambda y: (0.5, 0.5))
    message = str(failed.value)
    assert "lstsq" not in message and "column_stack" not in message and "y[1:-1]" not in message
    step, tau = 0.12, 3.0
    a, b = 2 * np.exp(-step / tau) * np.cos(step), -np.exp(-2 * step / tau)
    assert f"{a:.6f}" not in message and f"{b:.6f}" not in message


def _whole_history(next_value, seed, n):
    values = list(seed)
    while len(values) < n:
        values.append(next_value(np.array(values)))
    return np.array(values)


@pytest.mark.parametrize(
    "answer, hint",
    [(lambda f, s, n: generate(f, s, n)[len(s):], "seed included, not only"),
     (lambda f, s, n: generate(f, s, n + 1), "exactly n"),
     (_whole_history, "only the last"),
     (lambda f, s, n: np.r_[s, np.zeros(n - len(s))], "value 3 differs")],
)
def test_generate_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch03.check_generate(answer)
