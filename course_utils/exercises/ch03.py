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
# (seed length, values per forecast, n): one value per call (chapter 3's loop); forecasts that divide n - k and
# forecasts that run past n; a first forecast already longer than what is left.
_LOOP_CASES = [(3, 1, 10), (2, 3, 11), (4, 3, 15), (5, 4, 7), (3, 2, 12)]
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


# ---------------------------------------------------------------- 3.3 closed loop, several values per call


def _window_weight(back: int) -> float:
    """Weight of the value ``back`` steps before the forecast: different for every position, never zero."""
    return 0.9 * (-0.6) ** back + 0.12


def _forecast(window, m: int) -> _np.ndarray:
    """The check's model: the next ``m`` values at once; not symmetric in its window, and it sees every value."""
    values = _np.asarray(window, dtype=_np.float64).ravel()
    weights = _np.array([_window_weight(back) for back in range(len(values))])[::-1]
    level = values @ weights
    # Offsets that alternate more than the tanh term can climb: consecutive values go down, then up.
    return _np.array([1.2 * _np.tanh(level + 0.35 * j) + (0.25, -0.3, 0.1, -0.45)[j % 4] for j in range(m)])


def _chunk_loop(seed: _np.ndarray, n: int, m: int, *, whole_history: bool = False, keep: int | None = None) -> _np.ndarray:
    """The closed loop; ``keep`` < m keeps only the first values of each forecast (a wrong answer's series)."""
    values = list(seed)
    while len(values) < n:
        window = values if whole_history else values[-len(seed):]
        values.extend(_forecast(_np.array(window), m)[: keep or m])
    return _np.array(values[:n])


def _recording_forecast(calls: list, m: int) -> "Callable":
    """A plain function that hands the windows it receives to ``calls`` and forecasts m values from each."""

    def predict_chunk(window):
        try:
            values = _np.asarray(window, dtype=_np.float64).ravel()
        except (TypeError, ValueError):
            raise TypeError(f"predict_chunk expects a window of numbers, got {type(window).__name__}") from None
        calls.append(values.copy())
        return _forecast(values, m)

    return predict_chunk


def _diagnose_loop(got: _np.ndarray, seed: _np.ndarray, n: int, m: int, calls: list) -> str:
    """Why the learner's series is not the closed loop, from the series and the windows predict_chunk received."""
    k = len(seed)
    if _core.close(got, _chunk_loop(seed, n, m, whole_history=True), _core.ROUND_OFF):
        return "you pass the whole history; pass only the last len(seed) values, the window size the model was trained on."
    if m > 1 and _core.close(got, _chunk_loop(seed, n, m, keep=1), _core.ROUND_OFF):
        return (f"you keep only the first value of each forecast; predict_chunk returns {m} values per call here: "
                "append them all, in order.")
    if not calls:
        return "predict_chunk was never called: every value after the seed must come from predict_chunk(window)."
    for c, window in enumerate(calls):
        start = k + c * m                                   # where this call's values belong in the series
        if start >= n:
            return f"predict_chunk was called {len(calls)} times; stop calling it once the series has n values."
        latest = got[start - k:start]
        if _core.close(window, latest, _core.ROUND_OFF):
            forecast = _forecast(window, m)[: n - start]
            if not _core.close(got[start:start + len(forecast)], forecast, _core.ROUND_OFF):
                return (f"values {start} to {start + len(forecast) - 1} are not what predict_chunk returned for the window "
                        "before them: append its values themselves, in the order it returns them.")
            continue
        if _core.close(window, latest[::-1], _core.ROUND_OFF):
            return "your window is in reverse order: pass the latest values oldest first, as they appear in the series."
        if len(window) != k:
            return f"predict_chunk received {len(window)} values; pass the latest len(seed) = {k}."
        if not _np.isin(window, got).all():
            return ("predict_chunk received values that are not in your series: in a closed loop each window holds "
                    "the latest values of the series you are building, your own forecasts included.")
        return (f"call {c} of predict_chunk (counting from 0) did not get the latest {k} values of your series: after "
                "the seed, each window must end with the last value you appended.")
    first = int(_np.argmax(~_np.isclose(got, _chunk_loop(seed, n, m), rtol=_core.ROUND_OFF, atol=_core.ROUND_OFF)))
    return f"value {first} differs: feed the window of the latest len(seed) values, including your own forecasts."


def check_generate_chunks(generate_chunks: "Callable") -> None:
    """Closed-loop generation with a model that forecasts several values per call, cut at exactly n values."""
    rng = _core.fresh_rng()
    random_k, random_m = int(rng.integers(2, 7)), int(rng.integers(1, 5))
    for k, m, n in [*_LOOP_CASES, (random_k, random_m, random_k + int(rng.integers(1, 14)))]:
        seed = rng.uniform(-1.0, 1.0, size=k).round(3)
        want = _chunk_loop(seed, n, m)
        where = f"with a seed of {k} values, {m} value{'s' if m > 1 else ''} per forecast and n={n}"
        calls: list[_np.ndarray] = []
        got = _core.attempt_in(CLOSED_LOOP, where, generate_chunks, _recording_forecast(calls, m), seed.copy(), n)
        got = _core.real_array(CLOSED_LOOP, got, f"your series {where}")
        if got.ndim != 1:
            raise _core.ExerciseFailed(CLOSED_LOOP, f"{where} your series has shape {got.shape}; return a 1D array of n values.")
        if got.shape == (n - k,) and _core.close(got, want[k:], _core.ROUND_OFF):
            raise _core.ExerciseFailed(
                CLOSED_LOOP, f"{where} return the whole series of n values, seed included, not only the {n - k} generated ones."
            )
        if got.shape[0] > n and _core.close(got[:n], want, _core.ROUND_OFF):
            raise _core.ExerciseFailed(
                CLOSED_LOOP, f"{where} you return {got.shape[0]} values: the last forecast runs past n; keep exactly n."
            )
        if got.shape != (n,):
            raise _core.ExerciseFailed(
                CLOSED_LOOP, f"{where} you return {got.size} values; the series must have exactly n, seed included."
            )
        if not _core.close(got[:k], seed, _core.ROUND_OFF):
            raise _core.ExerciseFailed(CLOSED_LOOP, f"{where}: the series must start with the seed values themselves.")
        if _core.close(got, want, _core.ROUND_OFF):
            continue
        raise _core.ExerciseFailed(CLOSED_LOOP, f"{where}: {_diagnose_loop(got, seed, n, m, calls)}")
    _core.passed(CLOSED_LOOP, "every forecast comes from the latest window of your own series, all its values kept.")
