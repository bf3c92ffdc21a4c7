"""Checks for the exercises of chapter 3 (the damped curve).

No Keras layer computes these answers, so each check keeps its reference
private and never shows it: hints name the mistake, the configuration that
revealed it and the learner's own values. Every check tries fixed cases chosen
so that each plausible shortcut fails, and cases drawn afresh on every call.
"""

import numpy as _np

from . import _core

COEFFICIENTS = "Exercise 3.1"
LEAST_SQUARES = "Exercise 3.2"
CLOSED_LOOP = "Exercise 3.3"

_COURSE_STEP, _COURSE_TAU = 5 * _np.pi / 199, 5.0  # the curve of the chapter
# (step, tau): the chapter's own, then steps and decay times larger and smaller than each other.
_COEFFICIENT_CASES = [(_COURSE_STEP, _COURSE_TAU), (0.3, 2.0), (0.05, 10.0), (1.1, 0.7)]
# (length, step, tau, noise): the samples carry noise, so two equations solved exactly are not the estimate;
# the curve decays by e**2 to e**6 over the samples, so it stays above the noise.
_FIT_CASES = [(150, 0.12, 3.0, 1e-3), (80, 0.3, 6.0, 3e-3), (200, 0.1, 8.0, 5e-4)]
# (seed length, n): several window sizes, n from one prediction to many.
_LOOP_CASES = [(3, 10), (2, 7), (5, 12), (4, 5)]
_RELATIVE_1E8 = 1e-8


def _pair(exercise: str, where: str, got) -> tuple[float, float]:
    """The learner's (a, b): a real tuple of two real numbers."""
    if type(got) is not tuple or len(got) != 2:
        raise _core.ExerciseFailed(
            exercise, f"{where} return a pair of numbers (a, b) as a tuple, got {type(got).__name__} {got!r:.60}."
        )
    return (
        _core.real_number(exercise, got[0], f"a, the first value you return {where},"),
        _core.real_number(exercise, got[1], f"b, the second value you return {where},"),
    )


def _near(got: tuple[float, float], want: tuple[float, float], tolerance: float = 1e-9) -> bool:
    return _core.close(_np.array(got), _np.array(want), tolerance)


# ---------------------------------------------------------------- 3.1 exact coefficients


def _exact_coefficients(step: float, tau: float) -> tuple[float, float]:
    r = _np.exp(-step / tau)
    return float(2 * r * _np.cos(step)), float(-(r**2))


def check_recurrence_coefficients(recurrence_coefficients: "Callable") -> None:
    """Compare the learner's (a, b) with the exact ones for several sampling steps and decay times."""
    rng = _core.fresh_rng()
    random_cases = [(float(rng.uniform(0.02, 1.5)), float(rng.uniform(0.5, 20.0))) for _ in range(2)]
    for step, tau in [*_COEFFICIENT_CASES, *random_cases]:
        where = f"for step={step!r}, tau={tau!r}"
        a, b = _pair(COEFFICIENTS, where, _core.attempt_in(COEFFICIENTS, where, recurrence_coefficients, step, tau))
        want = _exact_coefficients(step, tau)
        if _near((a, b), want, _core.ROUND_OFF):
            continue
        r = _np.exp(-step / tau)
        where = f"{where} you return a={a:.6f}, b={b:.6f}, which do not satisfy the recurrence"
        if _near((a, -b), want):
            hint = "b has the wrong sign: the older value is subtracted."
        elif _near((b, a), want):
            hint = "a and b are swapped: a multiplies y[t], b multiplies y[t-1]."
        elif _near((a, b), (2 * _np.cos(step), -1.0)):
            hint = "those are the coefficients of the undamped cosine; each step back also divides by r = exp(-step / tau)."
        elif _near((a, b), (2 * r * _np.cos(step), -r)):
            hint = "y[t-1] is two steps before y[t+1], so its factor is r squared."
        elif _near((a, b), _exact_coefficients(tau, step)):
            hint = "step and tau are swapped: the function is called as (step, tau)."
        elif any(
            _near((a, b), _exact_coefficients(s, t))
            for s, t in ((step, _COURSE_TAU), (_COURSE_STEP, tau), (_COURSE_STEP, _COURSE_TAU))
        ):
            hint = "these would be right for the chapter's curve: does your function use both of its arguments?"
        else:
            hint = (
                "write y[t+1] and y[t-1] with the cosine addition formula around x_t, "
                "then find the combination in which the sine terms cancel."
            )
        raise _core.ExerciseFailed(COEFFICIENTS, f"{where}: {hint}")
    _core.passed(COEFFICIENTS, "a = 2 r cos(step) and b = -r^2 with r = exp(-step / tau).")


# ---------------------------------------------------------------- 3.2 least squares


def _noisy_curve(rng: _np.random.Generator, length: int, step: float, tau: float, noise: float) -> _np.ndarray:
    """Samples of a damped cosine (random start, phase and amplitude) with Gaussian noise."""
    t = rng.uniform(0.0, 2.0) + step * _np.arange(length)
    amplitude = rng.uniform(0.5, 3.0)
    return amplitude * (_np.exp(-t / tau) * _np.cos(t + rng.uniform(0, 2 * _np.pi)) + rng.normal(0.0, noise, length))


def _least_squares(y: _np.ndarray) -> tuple[float, float]:
    (a, b), *_ = _np.linalg.lstsq(_np.column_stack([y[1:-1], y[:-2]]), y[2:], rcond=None)
    return float(a), float(b)


def _two_equations(y: _np.ndarray, first: int) -> tuple[float, float]:
    """(a, b) solved exactly from the two equations for t = first + 1 and first + 2: the shortcut that noise defeats."""
    rows = _np.array([[y[first + 1], y[first]], [y[first + 2], y[first + 1]]])
    a, b = _np.linalg.solve(rows, y[first + 2 : first + 4])
    return float(a), float(b)


def check_fit_recurrence(fit_recurrence: "Callable") -> None:
    """The learner's fit must be the least-squares estimate from noisy samples of a curve it has not seen."""
    rng = _core.fresh_rng()
    length, step = int(rng.integers(60, 201)), float(rng.uniform(0.1, 0.4))
    random_case = (length, step, length * step / float(rng.uniform(2.0, 5.0)), 1e-3)
    for length, step, tau, noise in [*_FIT_CASES, random_case]:
        y = _noisy_curve(rng, length, step, tau, noise)
        where = f"on {length} noisy samples of a damped cosine (step={step:.3f}, tau={tau:.2f}, noise {noise:g})"
        a, b = _pair(LEAST_SQUARES, where, _core.attempt_in(LEAST_SQUARES, where, fit_recurrence, y.copy()))
        want = _least_squares(y)
        if _near((a, b), want, _RELATIVE_1E8):
            continue
        if _near((b, a), want, 1e-6):
            hint = "a and b are swapped: put y[t] in the first column and y[t-1] in the second."
        elif _near((a, b), (1.0, 0.0), 1e-6):
            hint = "you regress y[t] on itself: the target column must be y[t+1], one step ahead of the inputs."
        elif any(_near((a, b), _two_equations(y, first), 1e-6) for first in (0, 1, length - 4)):
            hint = (
                "you solved two of the equations exactly, but the samples are noisy, as measured data are: "
                "two equations give a noisy answer. Use all of them, in the least-squares sense."
            )
        elif _near((a, b), _exact_coefficients(_COURSE_STEP, _COURSE_TAU), 1e-6):
            hint = "those are the coefficients of the chapter's curve; estimate them from the samples y you are given."
        elif _near((a, b), want, 1e-5):
            hint = "close, but not to 1e-8: solve the least-squares problem in float64, with every equation."
        else:
            hint = (
                "each t gives one linear equation y[t+1] = a y[t] + b y[t-1]; stack them, one row per t, "
                "and solve the overdetermined system in the least-squares sense."
            )
        # The message names neither the right coefficients nor the code: either would be the answer.
        raise _core.ExerciseFailed(
            LEAST_SQUARES, f"{where} you found a={a:.6f}, b={b:.6f}, which is not the least-squares estimate: {hint}"
        )
    _core.passed(LEAST_SQUARES, "the least-squares estimate from every set of noisy samples, to 1e-8 relative.")


# ---------------------------------------------------------------- 3.3 closed loop


def _window_weight(back: int) -> float:
    """Weight of the value ``back`` steps before the prediction: different for every position, never zero."""
    return 0.9 * (-0.6) ** back + 0.12


def _predict(window) -> float:
    """The check's model: not symmetric in its window, and it sees every value it is given."""
    values = _np.asarray(window, dtype=_np.float64).ravel()
    weights = _np.array([_window_weight(back) for back in range(len(values))])[::-1]
    return float(1.5 * _np.tanh(values @ weights) + 0.2)


def _closed_loop(seed: _np.ndarray, n: int, *, whole_history: bool = False) -> _np.ndarray:
    values = list(seed)
    while len(values) < n:
        values.append(_predict(_np.array(values if whole_history else values[-len(seed):])))
    return _np.array(values)


def _recording_predict(calls: list) -> "Callable":
    """A plain function that hands the windows it receives to ``calls`` and predicts from them."""

    def predict_next(window):
        try:
            values = _np.asarray(window, dtype=_np.float64).ravel()
        except (TypeError, ValueError):
            raise TypeError(f"predict_next expects a window of numbers, got {type(window).__name__}") from None
        calls.append(values.copy())
        return _predict(values)

    return predict_next


def _diagnose_loop(got: _np.ndarray, seed: _np.ndarray, n: int, calls: list) -> str:
    """Why the learner's series is not the closed loop, from the series and the windows predict_next received."""
    k = len(seed)
    if _core.close(got, _closed_loop(seed, n, whole_history=True), _core.ROUND_OFF):
        return "you pass the whole history; pass only the last len(seed) values, the window size the model was trained on."
    if not calls:
        return "predict_next was never called: every value after the seed must be predict_next(window)."
    for c, window in enumerate(calls[: n - k]):
        latest = got[c : c + k]
        if _core.close(window, latest, _core.ROUND_OFF):
            if not _core.close(got[k + c : k + c + 1], _np.array([_predict(window)]), _core.ROUND_OFF):
                return f"value {k + c} is not what predict_next returned for the window before it: append the prediction itself."
            continue
        if _core.close(window, latest[::-1], _core.ROUND_OFF):
            return "your window is in reverse order: pass the latest values oldest first, as they appear in the series."
        if len(window) > k:
            return f"predict_next received {len(window)} values; pass only the latest len(seed) = {k}."
        if len(window) < k:
            return f"predict_next received {len(window)} values; pass the latest len(seed) = {k}."
        if not _np.isin(window, got).all():
            return (
                "predict_next received values that are not in your series: in a closed loop each window holds "
                "the latest values of the series you are building, your own predictions included."
            )
        return (
            f"call {c} of predict_next (counting from 0) did not get the latest {k} values of your series: after the seed, "
            "each window must end with your most recent prediction."
        )
    first = int(_np.argmax(~_np.isclose(got, _closed_loop(seed, n), rtol=_core.ROUND_OFF, atol=_core.ROUND_OFF)))
    return f"value {first} differs: feed the window of the latest len(seed) values, including your own predictions."


def check_generate(generate: "Callable") -> None:
    """Closed-loop generation: each new value comes from predict_next on the latest window of the learner's own outputs."""
    rng = _core.fresh_rng()
    random_k = int(rng.integers(2, 7))
    for k, n in [*_LOOP_CASES, (random_k, random_k + int(rng.integers(1, 11)))]:
        seed = rng.uniform(-1.0, 1.0, size=k).round(3)
        want = _closed_loop(seed, n)
        where = f"with a seed of {k} values and n={n}"
        calls: list[_np.ndarray] = []
        got = _core.attempt_in(CLOSED_LOOP, where, generate, _recording_predict(calls), seed.copy(), n)
        got = _core.real_array(CLOSED_LOOP, got, f"your series {where}")
        if got.ndim != 1:
            raise _core.ExerciseFailed(CLOSED_LOOP, f"{where} your series has shape {got.shape}; return a 1D array of n values.")
        if got.shape == (n - k,) and _core.close(got, want[k:], _core.ROUND_OFF):
            raise _core.ExerciseFailed(
                CLOSED_LOOP, f"{where} return the whole series of n values, seed included, not only the {n - k} generated ones."
            )
        if got.shape != (n,):
            raise _core.ExerciseFailed(
                CLOSED_LOOP, f"{where} you return {got.size} values; the series must have exactly n, seed included."
            )
        if not _core.close(got[:k], seed, _core.ROUND_OFF):
            if _core.close(got, _closed_loop(seed, n + k)[k:], _core.ROUND_OFF):
                hint = (
                    "your series leaves the seed out: it must start with the seed values, then the predictions, "
                    "n values in all."
                )
            else:
                hint = "the series must start with the seed values themselves."
            raise _core.ExerciseFailed(CLOSED_LOOP, f"{where}: {hint}")
        if _core.close(got, want, _core.ROUND_OFF):
            continue
        raise _core.ExerciseFailed(CLOSED_LOOP, f"{where}: {_diagnose_loop(got, seed, n, calls)}")
    _core.passed(CLOSED_LOOP, "each new value is predicted from the latest window of your own outputs.")
