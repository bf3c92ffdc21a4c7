"""Checks for the exercises of chapter 4 (the sunspot data).

No Keras layer computes these answers, so each check keeps its reference
private and never shows it. The data are built so that each shortcut gives a
different answer: windows whose last value is neither their largest, smallest,
first nor mean; test parts whose first values reach beyond the training range,
above and below, so that a scaler that has seen even one of them has another
range; autoregressive series whose mean is far from zero, so that a fit
without an intercept is another fit. Cases are also drawn afresh on every call.
"""

import numpy as _np

from . import _core

PERSISTENCE = "Exercise 4.1"
SCALING = "Exercise 4.2"
UNITS = "Exercise 4.3"
LINEAR_AR = "Exercise 4.4"

_PERSISTENCE_SIZES = [(5, 7), (3, 4), (6, 10)]  # (samples, time steps)
_SCALING_CASES = [(60, 40, True), (45, 36, False), (90, 57, True)]  # (length, n_train, first test value above)
_UNITS_CASES = [(30, 0.0, 254.0), (17, 12.5, 140.0), (45, -30.0, 45.0)]  # (samples, data min, data max)


# ---------------------------------------------------------------- 4.1 persistence


def _persistence_windows(rng: _np.random.Generator, samples: int, steps: int) -> _np.ndarray:
    """Noisy, non-monotone windows (at least 4 steps) whose last value is the second smallest or second largest:
    never the largest, smallest, median, first or any other value of the window."""
    X = 60.0 + 25.0 * rng.normal(size=(samples, steps))
    for row in X:
        order = _np.argsort(row)
        swap = order[1] if rng.random() < 0.5 else order[-2]
        row[-1], row[swap] = row[swap], row[-1]
    # The first two rows keep their smallest, largest and (odd length) median values at different positions,
    # so no single position can pass for one of those statistics by chance.
    places = [("min", 0, 1), ("max", 1, 0)] + ([("median", 2, 3)] if steps % 2 and steps >= 5 else [])
    for statistic, first, second in places:
        for row, position in ((X[0], first), (X[1], second)):
            head = row[:-1]
            where = {"min": _np.argmin(head), "max": _np.argmax(head),
                     "median": int(_np.flatnonzero(head == _np.median(row))[0]) if statistic == "median" else 0}[statistic]
            head[position], head[where] = head[where], head[position]
    return X[..., None]


def check_persistence(persistence_forecast: "Callable") -> None:
    """The persistence forecast of each window is its last value, shape (samples, 1)."""
    rng = _core.fresh_rng()
    while True:
        samples, steps = int(rng.integers(2, 10)), int(rng.integers(4, 16))
        if samples != steps:
            break
    for samples, steps in [*_PERSISTENCE_SIZES, (samples, steps)]:
        X = _persistence_windows(rng, samples, steps)
        where = f"for X of shape (samples, time steps, 1) = {X.shape}"
        got = _core.real_array(PERSISTENCE, _core.attempt_in(PERSISTENCE, where, persistence_forecast, X.copy()), f"your forecast {where}")
        if got.shape == (samples,):
            raise _core.ExerciseFailed(
                PERSISTENCE,
                f"{where} your forecast has shape {got.shape}; keep the target axis: (samples, 1), like the model's output.",
            )
        if got.shape != (samples, 1):
            raise _core.ExerciseFailed(
                PERSISTENCE, f"{where} your forecast has shape {got.shape} but (samples, 1) was expected: one value per window."
            )
        if _core.close(got, X[:, -1, :], _core.ROUND_OFF):
            continue
        wrong = [
            (X.max(axis=1), "you forecast the largest value of each window; persistence repeats its most recent value."),
            (X.min(axis=1), "you forecast the smallest value of each window; persistence repeats its most recent value."),
            (X.mean(axis=1), "you forecast the window's mean; persistence repeats its most recent value."),
            (_np.median(X, axis=1), "you forecast the window's median; persistence repeats its most recent value."),
            (X[:, 0, :], "you repeat the first value of each window; persistence repeats the most recent one."),
        ]
        wrong += [
            (X[:, j, :], f"you repeat value {j} of each window (counting from 0); the most recent is the last of its {steps}.")
            for j in range(1, steps - 1)
        ]
        hint = next(
            (hint for value, hint in wrong if _core.close(got, value, _core.ROUND_OFF)),
            "print X[0, :, 0] and your forecast for it: the forecast should equal the last of those values.",
        )
        raise _core.ExerciseFailed(PERSISTENCE, f"{where}: {hint}")
    _core.passed(PERSISTENCE, "each window's forecast is its last observed value.")


# ---------------------------------------------------------------- 4.2 scaling without a leak


def _scaling_series(rng: _np.random.Generator, length: int, n_train: int, up_first: bool) -> _np.ndarray:
    """A noisy series whose first two test values are new extremes (one above, one below the training range)
    and whose later test values reach further still: every amount of leaked test data gives another range."""
    t = _np.arange(n_train)
    train = 50 + 30 * _np.sin(t / rng.uniform(3, 8) + rng.uniform(0, 6)) + rng.normal(0, 6, n_train)
    lo, hi = train.min(), train.max()
    span = hi - lo
    test = rng.uniform(lo + 0.1 * span, hi - 0.1 * span, length - n_train)
    above, below = hi + span * rng.uniform(0.1, 0.2), lo - span * rng.uniform(0.1, 0.2)
    test[0], test[1] = (above, below) if up_first else (below, above)
    higher, lower = rng.choice(_np.arange(2, len(test)), 2, replace=False)
    test[higher] = hi + span * rng.uniform(0.3, 0.5)
    test[lower] = lo - span * rng.uniform(0.3, 0.5)
    return _np.concatenate([train, test])


def _range_scaled(values: _np.ndarray, lo: float, hi: float) -> _np.ndarray:
    return (values - lo) / (hi - lo)


def _scaling_hint(values: _np.ndarray, n_train: int, train: _np.ndarray, test: _np.ndarray) -> str:
    """Name the mistake behind wrong scaled arrays (the learner's train and test parts)."""
    lo, hi = values[:n_train].min(), values[:n_train].max()
    right_train = _core.close(train, _range_scaled(values[:n_train], lo, hi), _core.ROUND_OFF)
    if right_train:
        test_part = values[n_train:]
        if _core.close(test, _range_scaled(test_part, test_part.min(), test_part.max()), 1e-8):
            return "transform both parts with the same fitted scaler; do not fit a second one on the test part."
        if _core.close(test, _np.clip(_range_scaled(test_part, lo, hi), 0, 1), 1e-8):
            return "do not clip: test values beyond the training range must scale below 0 or above 1."
        return "the training part is right; transform the test part with the same scaler, fitted on the training part."
    scaled = _range_scaled(values, values.min(), values.max())
    if _core.close(train, scaled[:n_train], 1e-8) and _core.close(test, scaled[n_train:], 1e-8):
        return (
            "your scaler has seen the test part: its minimum and maximum are those of the whole series "
            "(the test part holds its extremes). Fit it on the first n_train values only, then transform both parts."
        )
    for k in range(1, len(values) - n_train):
        seen = values[: n_train + k]
        scaled = _range_scaled(values, seen.min(), seen.max())
        if _core.close(train, scaled[:n_train], 1e-8) and _core.close(test, scaled[n_train:], 1e-8):
            which = "the first test value" if k == 1 else f"at least the first {k} test values"
            return (
                f"your scaler has seen the test part: it was fitted on the training values plus {which}. "
                "The first test values reach beyond the training range, so even one of them changes the scaling. "
                "Fit on the first n_train values only."
            )
    if _core.close(train, 2 * _range_scaled(values[:n_train], lo, hi) - 1, 1e-8):
        return "scale to [0, 1], MinMaxScaler's default feature range."
    slope, intercept = _np.polyfit(values[:n_train], train, 1)
    if _np.allclose(slope * values[:n_train] + intercept, train, rtol=1e-8, atol=1e-8) and slope > 0:
        implied_lo = -intercept / slope
        implied_hi = implied_lo + 1 / slope
        if implied_lo < lo - 1e-6 * (hi - lo) or implied_hi > hi + 1e-6 * (hi - lo):
            return (
                "your scaler has seen the test part: its range reaches beyond the training values. "
                "Fit on the first n_train values only."
            )
    return "scale the training part to [0, 1] by its own minimum and maximum, with one MinMaxScaler."


def _scaler_attribute(scaler, name: str, where: str) -> _np.ndarray:
    """An attribute of a verified MinMaxScaler, read from its instance dictionary, as a real (1,) array."""
    value = vars(scaler).get(name)
    if value is None:
        raise _core.ExerciseFailed(SCALING, f"{where} the scaler you return has no {name}: return the scaler after fitting it.")
    return _core.real_array(SCALING, value, f"the scaler's {name}", shape=(1,))


def check_scale_split(scale_split: "Callable") -> None:
    """The scaler must be fitted on the training part only; both parts scaled with it; the scaler returned."""
    from sklearn.preprocessing import MinMaxScaler

    rng = _core.fresh_rng()
    length = int(rng.integers(30, 101))
    random_case = (length, int(length * rng.uniform(0.5, 0.85)), bool(rng.random() < 0.5))
    for length, n_train, up_first in [*_SCALING_CASES, random_case]:
        values = _scaling_series(rng, length, n_train, up_first)
        where = f"for a series of {length} values and n_train={n_train}"
        got = _core.attempt_in(SCALING, where, scale_split, values.copy(), n_train)
        if type(got) is not tuple or len(got) != 3:
            raise _core.ExerciseFailed(
                SCALING,
                "return three things, as a tuple: the scaled training part, the scaled test part and the fitted "
                f"scaler; got {type(got).__name__}.",
            )
        train = _core.real_array(SCALING, got[0], f"train_scaled {where}")
        test = _core.real_array(SCALING, got[1], f"test_scaled {where}")
        if (train.shape, test.shape) == ((n_train, 1), (length - n_train, 1)):
            raise _core.ExerciseFailed(
                SCALING,
                f"{where} train_scaled has shape {train.shape} and test_scaled {test.shape}; return 1D arrays "
                "(flatten the scaler's (n, 1) output).",
            )
        if train.shape != (n_train,) or test.shape != (length - n_train,):
            raise _core.ExerciseFailed(
                SCALING,
                f"{where} train_scaled has shape {train.shape} and test_scaled {test.shape}: the training part is the "
                "first n_train values and the test part the rest. Does your function use its n_train argument?",
            )
        scaler = got[2]
        if type(scaler) is not MinMaxScaler:
            raise _core.ExerciseFailed(
                SCALING,
                f"the third value must be the fitted MinMaxScaler, so predictions can be turned back into sunspots; "
                f"got {type(scaler).__name__}.",
            )
        lo, hi = values[:n_train].min(), values[:n_train].max()
        if not (_core.close(train, _range_scaled(values[:n_train], lo, hi), _core.ROUND_OFF)
                and _core.close(test, _range_scaled(values[n_train:], lo, hi), _core.ROUND_OFF)):
            raise _core.ExerciseFailed(SCALING, f"{where}: {_scaling_hint(values, n_train, train, test)}")
        data_min, data_max, scale, offset = (
            _scaler_attribute(scaler, name, where) for name in ("data_min_", "data_max_", "scale_", "min_")
        )
        fitted_on = [values[:m] for m in range(n_train, length + 1)]  # the training part, then more and more
        ranges = [_np.array([[part.min()], [part.max()]]) for part in fitted_on]
        scaler_range = _np.array([data_min, data_max])
        if not _core.close(scaler_range, ranges[0], _core.ROUND_OFF):
            if any(_core.close(scaler_range, leaked, _core.ROUND_OFF) for leaked in ranges[1:]):
                hint = "the scaler you return has seen the test part; return the one fitted on the first n_train values."
            else:
                hint = "the scaler you return is not the one fitted on the first n_train values."
            raise _core.ExerciseFailed(SCALING, f"{where} your arrays are right, but {hint}")
        if not _core.close(offset + scale * _np.array([lo, hi]), _np.array([0.0, 1.0]), _core.ROUND_OFF):
            raise _core.ExerciseFailed(SCALING, f"{where} the scaler you return does not map the training range to [0, 1].")
    _core.passed(SCALING, "fitted on the training part only; test values beyond its range scale outside [0, 1], as they should.")


# ---------------------------------------------------------------- 4.3 RMSE in the data's units


def _units_case(rng: _np.random.Generator, samples: int, lo: float, hi: float):
    """A scaler fitted on data from lo to hi, scaled targets (some beyond [0, 1]) and biased, uneven predictions."""
    from sklearn.preprocessing import MinMaxScaler

    fitted_on = rng.uniform(lo, hi, size=40)
    fitted_on[:2] = lo, hi
    scaler = MinMaxScaler().fit(fitted_on.reshape(-1, 1))
    y = rng.uniform(-0.1, 1.2, size=(samples, 1))
    spread = rng.normal(0.0, 0.08, size=(samples, 1)) * rng.uniform(0.2, 2.0, size=(samples, 1))
    bias = rng.choice([-1.0, 1.0]) * rng.uniform(0.03, 0.06)  # a mean error well away from 0: std is not the RMSE
    return scaler, y, y + spread - spread.mean() + bias


def check_rmse_in_sunspots(rmse_in_sunspots: "Callable") -> None:
    """RMSE after undoing the scaling, in the data's own units, for several scalers and sample counts."""
    rng = _core.fresh_rng()
    lo = float(rng.uniform(-50, 50))
    random_case = (int(rng.integers(5, 60)), lo, lo + float(rng.uniform(1, 300)))
    for samples, lo, hi in [*_UNITS_CASES, random_case]:
        scaler, y, pred = _units_case(rng, samples, lo, hi)
        where = f"for {samples} predictions and a scaler fitted on data from {lo:g} to {hi:g}"
        got = _core.attempt_in(UNITS, where, rmse_in_sunspots, y.copy(), pred.copy(), scaler)
        got = _core.real_number(UNITS, got, f"the RMSE {where}")
        span = hi - lo
        error = pred - y
        want = float(_np.sqrt(_np.mean(error**2)) * span)
        if _core.close(_np.array(got), _np.array(want), _core.ROUND_OFF):
            continue
        wrong = [
            (want / span, "that is the RMSE in scaled units: turn both arrays back into the data's units first."),
            (want**2, "that is the mean squared error: take its square root."),
            (float(_np.mean(_np.abs(error))) * span,
             "that is the mean absolute error; the RMSE squares the errors, averages them, then takes the root."),
            (want * _np.sqrt(samples), "average the squared errors (their mean, not their sum) before the square root."),
            (float(_np.std(error)) * span,
             "that is the standard deviation of the errors, which subtracts their mean; the RMSE does not."),
            (want / span * hi,
             "you multiply by the data's maximum, but the scaling maps the whole range, minimum to maximum, "
             "onto [0, 1]: let the scaler undo it."),
            (want / span**2, "you scaled the arrays once more; undo the scaling instead, with the scaler's inverse."),
            (float(_np.sqrt(_np.mean((y * span + lo - pred) ** 2))), "undo the scaling of both arrays, not only y."),
            (float(_np.sqrt(_np.mean((y - (pred * span + lo)) ** 2))),
             "undo the scaling of both arrays, not only the predictions."),
        ]
        hint = next(
            (hint for value, hint in wrong
             if _core.close(_np.array(got), _np.array(value), 1e-8)
             and not _core.close(_np.array(value), _np.array(want), 1e-6)),  # a mistake that changes nothing here
            None,
        )
        if hint is None and _core.close(_np.array(got), _np.array(want), 1e-5):
            hint = "close, but not to float64 round-off: compute in float64 (no float32 on the way)."
        if hint is None:
            hint = "undo the scaling of both arrays with the scaler, then compute the root of the mean squared error."
        raise _core.ExerciseFailed(UNITS, f"{where} you return {got:.6g}; {hint}")
    _core.passed(UNITS, "the RMSE in the data's own units, for every scaler tried: the same errors, now in sunspots.")


# ---------------------------------------------------------------- 4.4 a linear baseline on another window length

# (description, length, n_train, p, AR coefficients, mean, noise): each defeats a shortcut. A mean far from zero
# (the intercept matters); an AR(2) process, so window length 1 is another model; p above 12; a short series
# (few training windows, test windows reaching back into the training part); p=1, whose forecast is not persistence.
_LINEAR_AR_CASES = [
    ("a series whose mean is far from zero", 80, 60, 2, (0.5,), 3.0, 0.3),
    ("an AR(2) series", 70, 50, 2, (1.3, -0.6), 0.4, 0.1),
    ("a cycle of 11 steps and p above 12", 160, 110, 14, (1.6, -0.9), 0.5, 0.1),
    ("a short series", 24, 16, 3, (0.6,), 1.0, 0.2),
    ("p=1 on a weakly correlated series", 60, 45, 1, (0.3,), -2.0, 0.5),
]


def _ar_series(rng: _np.random.Generator, length: int, coefficients, mean: float, noise: float) -> _np.ndarray:
    """``length`` values of a stationary AR process around ``mean``, after a burn-in of 200 steps."""
    lags = len(coefficients)
    x = _np.zeros(length + 200)
    shocks = rng.normal(0.0, noise, size=length + 200)
    for t in range(lags, length + 200):
        x[t] = sum(c * x[t - 1 - i] for i, c in enumerate(coefficients)) + shocks[t]
    return mean + x[200:]


def _random_ar_coefficients(rng: _np.random.Generator) -> tuple:
    """A stationary AR(1), AR(2) or AR(3) process, from its roots (all inside the unit circle)."""
    roots = []
    order = int(rng.integers(1, 4))
    if order >= 2:
        radius, angle = rng.uniform(0.6, 0.95), rng.uniform(0.3, 2.5)
        roots += [radius * _np.exp(1j * angle), radius * _np.exp(-1j * angle)]
    if order != 2:
        roots.append(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 0.9))
    polynomial = _np.real(_np.poly(roots))  # z^k - a1 z^(k-1) - ... - ak
    return tuple(float(-c) for c in polynomial[1:])


def _random_linear_ar_case(rng: _np.random.Generator) -> tuple:
    length = int(rng.integers(40, 161))
    n_train = int(length * rng.uniform(0.55, 0.8))
    p = int(rng.integers(1, min(12, n_train // 3 - 1, length - n_train - 1) + 1))
    mean = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 3.0))
    return ("a random AR series", length, n_train, p, _random_ar_coefficients(rng), mean, float(rng.uniform(0.05, 0.5)))


def _ar_rows(series: _np.ndarray, p: int, targets, gap: int = 0, intercept: bool = True) -> _np.ndarray:
    """One row per target month t: (1 if intercept,) then the p values ending ``gap`` months before month t - 1."""
    targets = _np.asarray(targets, dtype=int)
    columns = [series[targets - gap - p + j] for j in range(p)]
    return _np.column_stack(([_np.ones(len(targets))] if intercept else []) + columns)


def _ar_fit_forecast(series: _np.ndarray, p: int, fit_targets, forecast_targets, *, gap: int = 0,
                     forecast_gap: int | None = None, intercept: bool = True) -> _np.ndarray:
    """Least squares on the rows of ``fit_targets``; forecasts for ``forecast_targets`` (any mistake parametrised)."""
    fit_targets = _np.asarray(fit_targets, dtype=int)
    coefficients = _np.linalg.lstsq(_ar_rows(series, p, fit_targets, gap, intercept), series[fit_targets], rcond=None)[0]
    gap = gap if forecast_gap is None else forecast_gap
    return _ar_rows(series, p, forecast_targets, gap, intercept) @ coefficients


def _linear_ar_reference(series: _np.ndarray, n_train: int, p: int) -> _np.ndarray:
    return _ar_fit_forecast(series, p, range(p, n_train), range(n_train, len(series)))


def _linear_ar_length_hint(size: int, length: int, n_train: int, p: int) -> str:
    n_test = length - n_train
    expected = f"one forecast per test month, {n_test} values for indices {n_train} to {length - 1}"
    if size == n_test - p and p > 0:
        return (
            f"you return {size} forecasts, {p} fewer than the {n_test} test months: the first {p} test months need "
            "windows that reach back into the training part. Those values are known when the forecast is made, so "
            f"use them: {expected}."
        )
    if size == n_test - 1:
        return (
            f"you return {size} forecasts, one fewer than the {n_test} test months: is a window off by one, "
            f"including the month it forecasts or forecasting the month after next? Return {expected}."
        )
    if size in (length - p, length):
        return f"you return {size} forecasts, for training months too; return only the test months': {expected}."
    return f"you return {size} values; return {expected}."


def _linear_ar_hint(got: _np.ndarray, series: _np.ndarray, n_train: int, p: int, right: _np.ndarray) -> str | None:
    """Name the mistake behind wrong forecasts of the right length, or None when it is none of the known ones."""
    length = len(series)
    train, test = range(p, n_train), range(n_train, length)
    lo, hi = series[:n_train].min(), series[:n_train].max()
    mistakes = [
        (lambda: series[n_train - 1:-1],
         "you return persistence: each forecast is the value of the month before. If you fitted a model, look at its "
         "weights: a window that includes the month it forecasts puts all its weight on that month (off by one)."),
        (lambda: series[n_train:],
         "your forecasts equal the values they forecast: each window includes the month it forecasts (off by one). "
         "A forecast may use only the p months before its month."),
        (lambda: _ar_fit_forecast(series, p, train, test, intercept=False),
         "your model has no intercept (constant term): its forecasts are pulled towards zero, and this series' mean "
         "is far from zero. Fit the constant together with the p weights."),
        (lambda: _ar_fit_forecast(series, p, range(p + 1, n_train), test, gap=1),
         "each of your windows ends two months before the month it forecasts (off by one): a window is the p months "
         "just before its month."),
        (lambda: _ar_fit_forecast(series, p, range(p + 1, n_train), test, gap=1, forecast_gap=0),
         "your training windows end two months before their targets, though your test windows are right "
         "(off by one): pair each training window with the month just after it."),
        (lambda: _ar_fit_forecast(series, p, range(p, n_train, p), test),
         "you fit on non-overlapping windows only. Slide the window one month at a time: every training month "
         "with p months before it is a target."),
        (lambda: _ar_fit_forecast(series, p, range(p, n_train, p + 1), test),
         "you fit on non-overlapping windows only. Slide the window one month at a time: every training month "
         "with p months before it is a target."),
        (lambda: _ar_fit_forecast(series, p, range(p + 1, n_train), test),
         "you left out the first training window: the first target is the first month with p months before it."),
        (lambda: _ar_fit_forecast(series, p, range(p, n_train - 1), test),
         "you left out the last training window: its target is the last training month."),
        (lambda: (right - lo) / (hi - lo),
         "your forecasts are scaled to the training part's range: the series comes as it is, return forecasts in "
         "its own units."),
    ]
    mistakes += [
        (lambda k=k: _ar_fit_forecast(series, p, range(p, n_train + k), test),
         "your coefficients were fitted on windows from the whole series, the test months' targets included: a leak. "
         "Fit on the windows whose target is a training month; the test months are only forecast."
         if k == length - n_train else
         f"your coefficients were fitted on the training windows plus the first {k} test month"
         f"{'s' if k > 1 else ''}: a leak. Fit on the windows whose target is a training month.")
        for k in range(1, length - n_train + 1)
    ]
    mistakes += [
        (lambda q=q: _linear_ar_reference(series, n_train, q),
         f"your forecasts are those of window length {q}, but p={p} here: does your function use its p argument?")
        for q in range(1, min(21, n_train // 2)) if q != p
    ]
    for wrong, hint in mistakes:
        value = wrong()
        if _core.close(got, value, 1e-8) and not _core.close(value, right, 1e-6):  # a mistake that changes nothing here
            return hint
    return None


_LINEAR_AR_UNNAMED = (
        "your forecasts are not the linear model's. On a short series, print the rows you fit on next to their "
        "targets and compare them with the contract: an intercept and p weights, fitted by least squares on every "
        "window whose target is a training month, then one forecast per test month."
)


def check_linear_ar_forecast(linear_ar_forecast: "Callable") -> None:
    """``linear_ar_forecast(series, n_train, p)``: one-step forecasts of a linear autoregression of order p.

    For a 1D float64 ``series`` of N values, the first ``n_train`` of them the training part, the answer holds one
    forecast for each test month t = n_train, ..., N - 1 (N - n_train values; any shape holding exactly that many
    values is accepted): the forecast of series[t] is c + w · series[t-p:t], with the intercept c and the p weights w
    fitted by least squares on every window whose target lies in the training part (targets series[p], ...,
    series[n_train - 1]). Test windows may reach back into the training part. Compared with a private reference, to
    float64 round-off, on fixed series that defeat shortcuts and on AR series drawn afresh.
    """
    rng = _core.fresh_rng()
    cases = [*_LINEAR_AR_CASES, _random_linear_ar_case(rng), _random_linear_ar_case(rng)]
    for description, length, n_train, p, coefficients, mean, noise in cases:
        series = _ar_series(rng, length, coefficients, mean, noise)
        where = f"for {description} ({length} values, n_train={n_train}, p={p})"
        got = _core.attempt_in(LINEAR_AR, where, linear_ar_forecast, series.copy(), n_train, p)
        got = _core.real_array(LINEAR_AR, got, f"your forecasts {where}")
        if got.size != length - n_train:
            raise _core.ExerciseFailed(LINEAR_AR, f"{where}: {_linear_ar_length_hint(got.size, length, n_train, p)}")
        got = got.reshape(-1)
        if not _np.all(_np.isfinite(got)):
            raise _core.ExerciseFailed(
                LINEAR_AR, f"{where}: your forecasts hold NaN or infinite values, at test positions "
                f"{_np.flatnonzero(~_np.isfinite(got))[:5].tolist()}: print the rows you fit on and your coefficients."
            )
        right = _linear_ar_reference(series, n_train, p)
        if _core.close(got, right, _core.ROUND_OFF):
            continue
        hint = _linear_ar_hint(got, series, n_train, p, right)  # a named mistake can be as small as float32 noise
        if hint is None:
            _core.refuse_float32(LINEAR_AR, where, [(got, right)], "the least-squares forecasts", "the series")
        raise _core.ExerciseFailed(LINEAR_AR, f"{where}: {hint or _LINEAR_AR_UNNAMED}")
    _core.passed(
        LINEAR_AR,
        "one forecast per test month, from coefficients fitted on the training months only, for every window "
        "length tried (1 to 14) and on series drawn afresh.",
    )
