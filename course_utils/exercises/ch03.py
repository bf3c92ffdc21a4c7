"""Checks for the exercises of chapter 3 (the damped curve)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ._core import ExerciseFailed, attempt, passed

COEFFICIENTS = "Exercise 3.1"
LEAST_SQUARES = "Exercise 3.2"
CLOSED_LOOP = "Exercise 3.3"


def _exact_coefficients(step: float, tau: float) -> tuple[float, float]:
    """a = 2 r cos(step), b = -r**2 with r = exp(-step / tau)."""
    r = np.exp(-step / tau)
    return 2 * r * np.cos(step), -(r**2)


def _pair(exercise: str, got) -> tuple[float, float]:
    try:
        a, b = got
        return float(a), float(b)
    except (TypeError, ValueError):
        raise ExerciseFailed(exercise, f"return a pair of numbers (a, b), got {got!r}.") from None


def check_recurrence_coefficients(recurrence_coefficients: Callable) -> None:
    """Compare the learner's (a, b) with the exact ones for several sampling steps and decay times."""
    for step, tau in [(5 * np.pi / 199, 5.0), (0.3, 2.0), (0.05, 10.0)]:
        a, b = _pair(COEFFICIENTS, attempt(COEFFICIENTS, recurrence_coefficients, step, tau))
        want_a, want_b = _exact_coefficients(step, tau)
        if np.isclose(a, want_a, rtol=1e-9) and np.isclose(b, want_b, rtol=1e-9):
            continue
        r = np.exp(-step / tau)
        where = f"for step={step:.4f}, tau={tau} you return a={a:.6f}, b={b:.6f}."
        if np.isclose(a, want_a, rtol=1e-9) and np.isclose(b, -want_b, rtol=1e-9):
            hint = "b has the wrong sign: the older value is subtracted."
        elif np.isclose(a, 2 * np.cos(step)) and np.isclose(b, -1.0):
            hint = "those are the coefficients of the undamped cosine; each step back also divides by r = exp(-step / tau)."
        elif np.isclose(a, 2 * r * np.cos(step)) and np.isclose(b, -r):
            hint = "y[t-1] is two steps before y[t+1], so its factor is r squared."
        else:
            hint = "write y[t+1] + r**2 y[t-1] with the cosine addition formula and compare with y[t]."
        raise ExerciseFailed(COEFFICIENTS, f"{where} {hint}")
    passed(COEFFICIENTS, "a = 2 r cos(step) and b = -r^2 with r = exp(-step / tau).")


def check_fit_recurrence(fit_recurrence: Callable) -> None:
    """The learner's least-squares fit must recover (a, b) from samples of a curve it has not seen."""
    step, tau = 0.12, 3.0
    t = np.arange(150) * step
    y = np.exp(-t / tau) * np.cos(t)
    a, b = _pair(LEAST_SQUARES, attempt(LEAST_SQUARES, fit_recurrence, y.copy()))
    want_a, want_b = _exact_coefficients(step, tau)
    if np.isclose(a, want_a, atol=1e-8) and np.isclose(b, want_b, atol=1e-8):
        passed(LEAST_SQUARES, f"recovered a={a:.6f}, b={b:.6f} from the samples alone, to 1e-8.")
        return
    if np.isclose(a, want_b, atol=1e-6) and np.isclose(b, want_a, atol=1e-6):
        hint = "a and b are swapped: put y[t] in the first column and y[t-1] in the second."
    elif np.isclose(a, 1.0, atol=1e-6) and np.isclose(b, 0.0, atol=1e-6):
        hint = "you regress y[t] on itself: the target column must be y[t+1], one step ahead of the inputs."
    else:
        hint = (
            "each t gives one linear equation y[t+1] = a y[t] + b y[t-1]; stack them, one row per t, "
            "and solve the overdetermined system in the least-squares sense."
        )
    # The message names neither the right coefficients nor the code: either would be the answer.
    raise ExerciseFailed(LEAST_SQUARES, f"you found a={a:.6f}, b={b:.6f}, which do not generate the samples: {hint}")


def check_generate(generate: Callable) -> None:
    """Closed-loop generation: each new value comes from the model's own previous outputs."""
    seed = np.array([1.0, 2.0, 3.0])

    def next_value(window: np.ndarray) -> float:
        return float(window[-1] - 0.5 * window[-2] + 0.1 * window[0])

    n = 10
    got = attempt(CLOSED_LOOP, generate, next_value, seed.copy(), n)
    got = np.asarray(got, dtype=float).ravel()
    values = list(seed)
    while len(values) < n:
        values.append(next_value(np.array(values[-len(seed):])))
    want = np.array(values)
    if got.shape == (n - len(seed),) and np.allclose(got, want[len(seed):]):
        raise ExerciseFailed(CLOSED_LOOP, f"return the whole series of {n} values, seed included, not only the {n - len(seed)} generated ones.")
    if got.shape != want.shape:
        raise ExerciseFailed(CLOSED_LOOP, f"you return {got.size} values; the series must have exactly n = {n}, seed included.")
    if not np.allclose(got[: len(seed)], seed):
        raise ExerciseFailed(CLOSED_LOOP, "the first values must be the seed itself.")
    if not np.allclose(got, want):
        grown = list(seed)
        while len(grown) < n:
            grown.append(next_value(np.array(grown)))
        if np.allclose(got, grown):
            hint = "you pass the whole history; pass only the last len(seed) values, the window size the model was trained on."
        else:
            first = int(np.argmax(~np.isclose(got, want)))
            hint = f"value {first} differs: feed the window of the latest len(seed) values, including your own predictions."
        raise ExerciseFailed(CLOSED_LOOP, hint)
    passed(CLOSED_LOOP, "each new value is predicted from the latest window of your own outputs.")
