"""Chapter 3 checks: the notebook's solutions pass on every draw, each kind of wrong answer is refused with
its own hint (which gives away neither the answer nor the solution's code); what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import ast
import inspect
import re
import types

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch03
from conftest import AlwaysEqual, notebook_function, recorded, refusal, refused

recurrence_coefficients = notebook_function("03", "recurrence_coefficients")
fit_recurrence = notebook_function("03", "fit_recurrence")
generate_chunks = notebook_function("03", "generate_chunks")

REPEATS = 5  # each check draws a fresh case per call: run the right answers several times


# ------------------------------------------------------------------ the notebook's reference solutions


# ------------------------------------------------------------------ helpers


def assert_no_coefficients(message: str, a: float, b: float, returned=None) -> None:
    """Neither right coefficient appears in the message, unless the learner returned it (then it is their own)."""
    returned = [v for v in (returned if isinstance(returned, (tuple, list)) else [returned])
                if isinstance(v, (float, np.floating))]
    for value in (a, b):
        if any(np.isclose(value, mine, rtol=1e-6, atol=0) for mine in returned):
            continue
        for digits in (3, 4, 6, 8):
            text = re.escape(f"{value:.{digits}f}")
            assert not re.search(rf"(?<![\d.]){text}(?!\d)", message), f"the answer {value} appears in: {message}"


# ------------------------------------------------------------------ all three checks


# ------------------------------------------------------------------ 3.1


def test_exact_coefficients_reproduce_the_course_curve():
    import course_utils as cu

    x, y = cu.damped_curve()
    a, b = ch03._exact_coefficients(x[1] - x[0], 5.0)
    np.testing.assert_allclose(y[2:], a * y[1:-1] + b * y[:-2], atol=1e-14)


def _coefficient_table(step, tau):
    """Memorised answers for the check's fixed cases: the freshly drawn cases must defeat it."""
    return {(s, t): recurrence_coefficients(s, t) for s, t in ch03._COEFFICIENT_CASES}.get((step, tau), (1.0, 0.0))


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda s, t: (recurrence_coefficients(s, t)[0], -recurrence_coefficients(s, t)[1]),
                     "wrong sign", id="sign of b"),
        pytest.param(lambda s, t: recurrence_coefficients(s, t)[::-1], "swapped: a multiplies", id="a and b swapped"),
        pytest.param(lambda s, t: (2 * np.cos(s), -1.0), "undamped", id="undamped"),
        pytest.param(lambda s, t: (2 * np.exp(-s / t) * np.cos(s), -np.exp(-s / t)), "r squared", id="r not r**2"),
        pytest.param(lambda s, t: recurrence_coefficients(t, s), "step and tau are swapped", id="arguments swapped"),
        pytest.param(lambda s, t: recurrence_coefficients(s, 5.0), "both of its arguments", id="tau ignored"),
        pytest.param(lambda s, t: recurrence_coefficients(5 * np.pi / 199, 5.0), "both of its arguments",
                     id="chapter's values hard-coded"),
        pytest.param(_coefficient_table, "addition formula", id="lookup table"),
        pytest.param(lambda s, t: list(recurrence_coefficients(s, t)), "as a tuple", id="list"),
        pytest.param(lambda s, t: AlwaysEqual(), "pair of numbers", id="always equal"),
        pytest.param(lambda s, t: (AlwaysEqual(), AlwaysEqual()), "one real number", id="pair of always equal"),
        pytest.param(lambda s, t: 0.5, "pair", id="one number"),
        pytest.param(lambda s, t: tuple(np.float32(v) for v in recurrence_coefficients(s, t)), "addition formula",
                     id="float32"),
    ],
)
def test_coefficients_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch03.check_recurrence_coefficients, answer)
    assert re.search(hint, message), message
    step, tau = calls[-1]
    assert f"step={step!r}, tau={tau!r}" in message
    assert_no_coefficients(message, *recurrence_coefficients(step, tau), answer.returned)


# ------------------------------------------------------------------ 3.2


def two_equations(y):
    """Exact 2x2 solve from the first two equations: right on a noise-free curve, wrong on measured data."""
    a, b = np.linalg.solve([[y[1], y[0]], [y[2], y[1]]], y[2:4])
    return a, b


def normal_equations(y):
    A = np.column_stack([y[1:-1], y[:-2]])
    a, b = np.linalg.solve(A.T @ A, A.T @ y[2:])
    return a, b


def test_least_squares_by_other_means_passes(capsys):
    for _ in range(REPEATS):
        ch03.check_fit_recurrence(normal_equations)
    assert capsys.readouterr().out.count("✓ Exercise 3.2 passed") == REPEATS


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(two_equations, "solved two of the equations exactly", id="exact 2x2 solve"),
        pytest.param(lambda y: two_equations(y[1:]), "solved two of the equations exactly", id="2x2 from t=1"),
        pytest.param(lambda y: fit_recurrence(y)[::-1], "swapped", id="a and b swapped"),
        pytest.param(lambda y: (1.0, 0.0), r"regress y\[t\] on itself", id="regress on itself"),
        pytest.param(lambda y: recurrence_coefficients(5 * np.pi / 199, 5.0), "chapter's curve", id="hard-coded"),
        pytest.param(lambda y: tuple(v * (1 + 1e-6) for v in fit_recurrence(y)), "not to 1e-8", id="off by 1e-6"),
        pytest.param(lambda y: fit_recurrence(y[: len(y) // 2]), "least-squares sense", id="half the equations"),
        pytest.param(lambda y: (0.5, 0.5), "least-squares sense", id="constant"),
        pytest.param(lambda y: list(fit_recurrence(y)), "as a tuple", id="list"),
        pytest.param(lambda y: AlwaysEqual(), "pair of numbers", id="always equal"),
        pytest.param(lambda y: ("1.9", "-0.9"), "one real number", id="strings"),
    ],
)
def test_fit_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch03.check_fit_recurrence, answer)
    assert re.search(hint, message), message
    (y,) = calls[-1]
    assert f"on {len(y)} noisy samples" in message
    assert_no_coefficients(message, *fit_recurrence(y), answer.returned)


def test_no_fit_hint_names_the_method():
    """Neither the method's code nor the curve's coefficients appear in a failure message."""
    for answer in (lambda y: (0.5, 0.5), two_equations):
        message = refusal(ch03.check_fit_recurrence, answer)
        assert "lstsq" not in message and "column_stack" not in message and "y[1:-1]" not in message


def test_fit_curves_are_noisy():
    """On the check's samples the exact recurrence does not hold: two equations are not the estimate."""
    rng = np.random.default_rng(0)
    for length, step, tau, noise in ch03._FIT_CASES:
        y = ch03._noisy_curve(rng, length, step, tau, noise)
        assert abs(two_equations(y)[0] - fit_recurrence(y)[0]) > 1e-4


# ------------------------------------------------------------------ 3.3


def loop(predict_chunk, seed, n, *, window=lambda values, k: values[-k:], keep=None, cut=True, extra=0):
    """A closed loop with one mistake switched on by the keywords: the wrong answers below."""
    values = list(seed)
    while len(values) < n + extra:
        values.extend(list(predict_chunk(np.array(window(values, len(seed)))))[:keep])
    return np.array(values[:n + extra] if cut else values)


TRUE_SERIES = np.cos(np.arange(60) * 0.3) * np.exp(-np.arange(60) / 30)


def loop_true_values(predict_chunk, seed, n):
    """Teacher forcing: windows from a true series instead of the model's own outputs."""
    k = len(seed)
    values = list(seed)
    while len(values) < n:
        i = len(values)
        values.extend(predict_chunk(TRUE_SERIES[i - k:i]))
    return np.array(values[:n])


def loop_reversed_chunk(predict_chunk, seed, n):
    values = list(seed)
    while len(values) < n:
        values.extend(predict_chunk(np.array(values[-len(seed):]))[::-1])
    return np.array(values[:n])


def loop_rounded(predict_chunk, seed, n):
    values = list(seed)
    while len(values) < n:
        values.extend(np.round(predict_chunk(np.array(values[-len(seed):])), 2))
    return np.array(values[:n])


def loop_one_at_a_time(predict_chunk, seed, n):
    """Chapter 3's `generate` with the first value of each forecast: right only for one value per call."""
    import course_utils as cu

    return cu.generate(lambda window: predict_chunk(window)[0], seed, n)


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda f, s, n: loop(f, s, n, window=lambda v, k: v), "whole history", id="whole history"),
        pytest.param(lambda f, s, n: loop(f, s, n)[len(s):], "seed included, not only", id="seed dropped"),
        pytest.param(lambda f, s, n: loop(f, s, n, extra=len(s))[len(s):], "start with the seed", id="n after the seed"),
        pytest.param(loop_true_values, "not in your series", id="true values"),
        pytest.param(lambda f, s, n: loop(f, s, n, window=lambda v, k: v[:k]), "did not get the latest", id="open loop"),
        pytest.param(lambda f, s, n: loop(f, s, n, window=lambda v, k: v[-k:][::-1]), "reverse order", id="reversed window"),
        pytest.param(lambda f, s, n: loop(f, s, n, window=lambda v, k: v[-k + 1:]), "received \\d+ values; pass the latest len",
                     id="window too short"),
        pytest.param(lambda f, s, n: loop(f, s, n, keep=1), "only the first value of each forecast", id="first value only"),
        pytest.param(loop_one_at_a_time, "only the first value of each forecast", id="chapter 3's generate"),
        pytest.param(loop_reversed_chunk, "not what predict_chunk returned", id="forecast reversed"),
        pytest.param(loop_rounded, "not what predict_chunk returned", id="forecast altered"),
        pytest.param(lambda f, s, n: loop(f, s, n, cut=False), "runs past n", id="not cut at n"),
        pytest.param(lambda f, s, n: loop(f, s, n, extra=1), "exactly n", id="one too many"),
        pytest.param(lambda f, s, n: np.r_[s, np.zeros(n - len(s))], "never called", id="no forecasts"),
        pytest.param(lambda f, s, n: loop(f, s, n).tolist(), "NumPy array", id="list"),
        pytest.param(lambda f, s, n: AlwaysEqual(), "NumPy array", id="always equal"),
    ],
)
def test_closed_loop_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch03.check_generate_chunks, answer)
    assert re.search(hint, message), message
    _, seed, n = calls[-1]
    assert f"with a seed of {len(seed)} values" in message and f"n={n}" in message or "NumPy array" in message


def test_closed_loop_model_is_not_symmetric_and_sees_every_value():
    window = np.array([0.3, -0.2, 0.7, 0.1])
    assert ch03._forecast(window, 1)[0] != ch03._forecast(window[::-1], 1)[0]
    assert ch03._forecast(np.r_[0.5, window], 1)[0] != ch03._forecast(window, 1)[0]
    forecast = ch03._forecast(window, 4)
    assert len(set(forecast.round(12))) == 4 and not np.all(np.diff(forecast) > 0) and not np.all(np.diff(forecast) < 0)


def test_the_fixed_cases_cover_one_value_divisible_and_cut_forecasts():
    kinds = {(m == 1, (n - k) % m == 0, m > n - k) for k, m, n in ch03._LOOP_CASES}
    assert (True, True, False) in kinds                           # one value per call: chapter 3's loop
    assert (False, True, False) in kinds                          # forecasts that fill the series exactly
    assert (False, False, False) in kinds                         # the last forecast runs past n
    assert (False, False, True) in kinds                          # the first forecast is already too long


# ------------------------------------------------------------------ what crosses to the learner

CHECKED = [(ch03.check_recurrence_coefficients, recurrence_coefficients), (ch03.check_fit_recurrence, fit_recurrence),
           (ch03.check_generate_chunks, generate_chunks)]


# ------------------------------------------------------------------ no answer key in sight


