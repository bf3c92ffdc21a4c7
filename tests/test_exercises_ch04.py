"""Chapter 4 checks: the notebook's solutions pass on every draw, each kind of wrong answer is refused with
its own hint (which gives away neither the answer nor the solution's code); what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import ast
import inspect
import re
import types

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch04
from conftest import AlwaysEqual, notebook_function, recorded, refusal, refused

persistence_forecast = notebook_function("04", "persistence_forecast")
scale_split = notebook_function("04", "scale_split")
rmse_in_sunspots = notebook_function("04", "rmse_in_sunspots")

REPEATS = 5  # each check draws a fresh case per call: run the right answers several times


# ------------------------------------------------------------------ the notebook's reference solutions


# ------------------------------------------------------------------ helpers


# ------------------------------------------------------------------ all three checks


# ------------------------------------------------------------------ 4.1


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda X: X.max(axis=1), "largest value", id="max"),
        pytest.param(lambda X: X.min(axis=1), "smallest value", id="min"),
        pytest.param(lambda X: X.mean(axis=1), "mean", id="mean"),
        pytest.param(lambda X: np.median(X, axis=1), "median", id="median"),
        pytest.param(lambda X: X[:, 0], "first value", id="first value"),
        pytest.param(lambda X: X[:, -2, :], r"value \d+ of each window", id="one step early"),
        pytest.param(lambda X: X[:, 6, :], r"\(3, 4, 1\): your function raised IndexError", id="hard-coded index"),
        pytest.param(lambda X: X[:, -1, 0], "keep the target axis", id="no target axis"),
        pytest.param(lambda X: X[:, -1:, 0].T, "one value per window", id="transposed"),
        pytest.param(lambda X: X[:, -1, :] + 1.0, r"print X\[0, :, 0\]", id="offset"),
        pytest.param(lambda X: X[:, -1, :].tolist(), "NumPy array", id="list"),
        pytest.param(lambda X: AlwaysEqual(), "NumPy array", id="always equal"),
    ],
)
def test_persistence_wrong(answer, hint):
    message = refusal(ch04.check_persistence, answer)
    assert re.search(hint, message), message


def test_persistence_windows_defeat_every_shortcut():
    rng = np.random.default_rng(2)
    for samples, steps in [*ch04._PERSISTENCE_SIZES, (2, 4), (9, 15)]:
        X = ch04._persistence_windows(rng, samples, steps)[..., 0]
        last = X[:, -1]
        for shortcut in (X.max(axis=1), X.min(axis=1), X.mean(axis=1), np.median(X, axis=1), X[:, 0], X[:, -2]):
            assert np.all(shortcut != last)


# ------------------------------------------------------------------ 4.2


def _scaled_by(series, n_train, fitted_on, **options):
    scaler = MinMaxScaler(**options).fit(fitted_on.reshape(-1, 1))
    return (scaler.transform(series[:n_train].reshape(-1, 1)).ravel(),
            scaler.transform(series[n_train:].reshape(-1, 1)).ravel(), scaler)


def leak_whole_series(series, n_train):
    return _scaled_by(series, n_train, series)


def leak_one_value(series, n_train):
    return _scaled_by(series, n_train, series[:n_train + 1])


def leak_three_values(series, n_train):
    return _scaled_by(series, n_train, series[:n_train + 3])


def two_scalers(series, n_train):
    train_scaled, _, scaler = scale_split(series, n_train)
    return train_scaled, _scaled_by(series, n_train, series[n_train:])[1], scaler


def right_arrays_leaky_scaler(series, n_train):
    train_scaled, test_scaled, _ = scale_split(series, n_train)
    return train_scaled, test_scaled, MinMaxScaler().fit(series.reshape(-1, 1))


def hard_coded_split(series, n_train):
    return scale_split(series, 40)


def unfitted_scaler(series, n_train):
    train_scaled, test_scaled, _ = scale_split(series, n_train)
    return train_scaled, test_scaled, MinMaxScaler()


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(leak_whole_series, "has seen the test part: its minimum and maximum are those of the whole series",
                     id="whole series"),
        pytest.param(leak_one_value, "has seen the test part: .* plus the first test value", id="one test value"),
        pytest.param(leak_three_values, r"has seen the test part: .* plus at least the first [23] test values",
                     id="three test values"),
        pytest.param(lambda s, n: _scaled_by(s, n, s[n:]), "has seen the test part", id="fitted on test"),
        pytest.param(two_scalers, "same fitted scaler", id="two scalers"),
        pytest.param(lambda s, n: _scaled_by(s, n, s[:n], clip=True), "do not clip", id="clipped"),
        pytest.param(lambda s, n: _scaled_by(s, n, s[:n], feature_range=(-1, 1)), "default feature range",
                     id="range -1 to 1"),
        pytest.param(right_arrays_leaky_scaler, "arrays are right, but the scaler you return has seen the test part",
                     id="returned scaler leaky"),
        pytest.param(unfitted_scaler, "has no data_min_", id="unfitted scaler"),
        pytest.param(lambda s, n: (*scale_split(s, n)[:2], MinMaxScaler().fit([[0.0], [1.0]])), "not the one fitted",
                     id="another scaler"),
        pytest.param(hard_coded_split, r"n_train=36 .*use its n_train argument", id="hard-coded n_train"),
        pytest.param(lambda s, n: (*scale_split(s, n)[:2], StandardScaler().fit(s[:n].reshape(-1, 1))),
                     "fitted MinMaxScaler", id="other scaler"),
        pytest.param(lambda s, n: (*scale_split(s, n)[:2], AlwaysEqual()), "fitted MinMaxScaler", id="stand-in"),
        pytest.param(lambda s, n: tuple(v[:, None] for v in scale_split(s, n)[:2]) + scale_split(s, n)[2:],
                     "return 1D arrays", id="2D arrays"),
        pytest.param(lambda s, n: scale_split(s, n)[:2], "three things", id="two things"),
        pytest.param(lambda s, n: list(scale_split(s, n)), "three things", id="list"),
        pytest.param(lambda s, n: (scale_split(s, n)[0].tolist(), *scale_split(s, n)[1:]), "NumPy array",
                     id="list array"),
        pytest.param(lambda s, n: (AlwaysEqual(), AlwaysEqual(), scale_split(s, n)[2]), "NumPy array",
                     id="always equal"),
    ],
)
def test_scaling_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch04.check_scale_split, answer)
    assert re.search(hint, message), message
    series, n_train = calls[-1]
    assert f"for a series of {len(series)} values and n_train={n_train}" in message or "three things" in message \
        or "MinMaxScaler" in message


def test_first_test_values_are_new_extremes_above_and_below():
    """Leaking even one test value changes the range, and every amount of leak gives another range."""
    rng = np.random.default_rng(3)
    for length, n_train, up_first in ch04._SCALING_CASES:
        values = ch04._scaling_series(rng, length, n_train, up_first)
        train, test = values[:n_train], values[n_train:]
        assert (test[0] > train.max() and test[1] < train.min()) if up_first else \
            (test[0] < train.min() and test[1] > train.max())
        ranges = {(values[:n_train + k].min(), values[:n_train + k].max()) for k in range(len(test) + 1)}
        assert len(ranges) >= 4


def test_scaling_check_reads_only_attributes_of_a_real_minmaxscaler():
    """A returned object of another type is refused before anything of it is used."""

    class Impostor:
        data_min_ = data_max_ = AlwaysEqual()

        def transform(self, X):
            raise AssertionError("the check must not call methods of a learner's object")

    message = refusal(ch04.check_scale_split, lambda s, n: (*scale_split(s, n)[:2], Impostor()))
    assert "fitted MinMaxScaler" in message


# ------------------------------------------------------------------ 4.3


def _units(scaler, *arrays):
    return [scaler.inverse_transform(a) for a in arrays]


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda y, p, s: float(np.sqrt(np.mean((y - p) ** 2))), "scaled units", id="scaled"),
        pytest.param(lambda y, p, s: rmse_in_sunspots(y, p, s) ** 2, "square root", id="MSE"),
        pytest.param(lambda y, p, s: float(np.mean(np.abs(np.subtract(*_units(s, y, p))))), "absolute error", id="MAE"),
        pytest.param(lambda y, p, s: float(np.sqrt(np.sum(np.subtract(*_units(s, y, p)) ** 2))), "not their sum",
                     id="sum"),
        pytest.param(lambda y, p, s: float(np.std(np.subtract(*_units(s, y, p)))), "standard deviation", id="std"),
        pytest.param(lambda y, p, s: float(np.sqrt(np.mean((y - p) ** 2)) * s.data_max_[0]), "the data's maximum",
                     id="times max"),
        pytest.param(lambda y, p, s: float(np.sqrt(np.mean((s.transform(y) - s.transform(p)) ** 2))),
                     "scaled the arrays once more", id="transform"),
        pytest.param(lambda y, p, s: float(np.sqrt(np.mean((s.inverse_transform(y) - p) ** 2))), "not only y",
                     id="only y"),
        pytest.param(lambda y, p, s: np.float32(rmse_in_sunspots(y, p, s)), "float64", id="float32"),
        pytest.param(lambda y, p, s: 12.0, "root of the mean squared error", id="hard-coded"),
        pytest.param(lambda y, p, s: np.sqrt((np.subtract(*_units(s, y, p))) ** 2), "one real number", id="per sample"),
        pytest.param(lambda y, p, s: "12", "one real number", id="string"),
        pytest.param(lambda y, p, s: AlwaysEqual(), "one real number", id="always equal"),
    ],
)
def test_units_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch04.check_rmse_in_sunspots, answer)
    assert re.search(hint, message), message
    y, pred, scaler = calls[-1]
    assert f"for {len(y)} predictions" in message
    right = rmse_in_sunspots(y, pred, scaler)
    mine = answer.returned
    if not (isinstance(mine, (float, np.floating)) and np.isclose(mine, right, rtol=1e-5)):  # else it is their own value
        hint_only = message.replace(f"for {len(y)} predictions", "")  # a count may look like a rounded answer
        for text in (f"{right:.6g}", f"{right:.4g}", f"{right:.2f}"):
            assert not re.search(rf"(?<![\d.]){re.escape(text)}(?!\d)", hint_only), text


# ------------------------------------------------------------------ 4.4


def linear_ar(series, p, fit_targets, forecast_targets, *, intercept=True, gap=0, fit_gap=None):
    """Least squares of series[t] on the p values that end ``gap`` months before month t - 1, one row at a time.

    With no mistake (intercept, gap 0) this is the exercise's answer; each wrong answer below changes one thing."""
    fit_gap = gap if fit_gap is None else fit_gap

    def rows(targets, g):
        return np.array([[1.0] * intercept + list(series[t - g - p:t - g]) for t in targets]).reshape(len(targets), -1)

    fit_targets = list(fit_targets)
    coefficients = np.linalg.lstsq(rows(fit_targets, fit_gap), series[fit_targets], rcond=None)[0]
    return rows(forecast_targets, gap) @ coefficients


def right_ar(series, n_train, p):
    return linear_ar(series, p, range(p, n_train), range(n_train, len(series)))


def ar_with_sklearn(series, n_train, p):
    from sklearn.linear_model import LinearRegression

    X = np.lib.stride_tricks.sliding_window_view(series[:-1], p)
    model = LinearRegression().fit(X[:n_train - p], series[p:n_train])
    return model.predict(X[n_train - p:])


def ar_by_normal_equations(series, n_train, p):
    X = np.column_stack([np.ones(len(series) - p), np.lib.stride_tricks.sliding_window_view(series[:-1], p)])
    A, y = X[:n_train - p], series[p:n_train]
    return X[n_train - p:] @ np.linalg.solve(A.T @ A, A.T @ y)


def test_linear_ar_notebook_solution_passes_on_every_draw(capsys):
    linear_ar_forecast = notebook_function("04", "linear_ar_forecast")
    for _ in range(REPEATS):
        ch04.check_linear_ar_forecast(linear_ar_forecast)
        assert "✓ Exercise 4.4 passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(right_ar, id="row by row"),
        pytest.param(ar_with_sklearn, id="LinearRegression"),
        pytest.param(ar_by_normal_equations, id="normal equations"),
        pytest.param(lambda s, n, p: right_ar(s, n, p)[:, None], id="column (n, 1)"),
        pytest.param(lambda s, n, p: right_ar(s, n, p)[None, :], id="row (1, n)"),
        pytest.param(lambda s, n, p: [right_ar(s, n, p)][0].astype(np.float64), id="float64 copy"),
    ],
)
def test_linear_ar_right_answers_pass(answer, capsys):
    """Any least-squares solver passes, and any shape holding exactly one forecast per test month is accepted."""
    for _ in range(REPEATS):
        ch04.check_linear_ar_forecast(answer)
        assert "✓ Exercise 4.4 passed" in capsys.readouterr().out


def test_linear_ar_pass_message_gives_no_formula(capsys):
    ch04.check_linear_ar_forecast(right_ar)
    out = capsys.readouterr().out
    assert "lstsq" not in out and "np." not in out and "ones" not in out and "[" not in out


def _test_months(s, n):
    return range(n, len(s))


@pytest.mark.parametrize(
    "answer, hint",
    [
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n), _test_months(s, n), intercept=False),
                     "no intercept", id="no intercept"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, len(s)), _test_months(s, n)),
                     "fitted on windows from the whole series, the test months' targets included: a leak",
                     id="leak: whole series"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n + 3), _test_months(s, n)),
                     "training windows plus the first 3 test months: a leak", id="leak: three test months"),
        pytest.param(lambda s, n, p: s[n - 1:-1].copy(), "you return persistence", id="persistence"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n), _test_months(s, n), fit_gap=-1),
                     "you return persistence: .* a window that includes the month it forecasts", id="target in fit"),
        pytest.param(lambda s, n, p: s[n:].copy(), "equal the values they forecast: each window includes the month",
                     id="target in every window"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n), range(n + p, len(s))),
                     r"fewer than the \d+ test months: the first \d+ test months need windows that reach back",
                     id="test windows from the test part"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p + 1, n), _test_months(s, n), gap=1),
                     "ends two months before the month it forecasts", id="forecasting t+1"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p + 1, n), _test_months(s, n), fit_gap=1),
                     "training windows end two months before their targets", id="training pairs off by one"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n, p), _test_months(s, n)), "non-overlapping windows",
                     id="non-overlapping"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n, p + 1), _test_months(s, n)),
                     "non-overlapping windows", id="non-overlapping with targets"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p + 1, n), _test_months(s, n)), "the first training window",
                     id="first window dropped"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n - 1), _test_months(s, n)), "the last training window",
                     id="last window dropped"),
        pytest.param(lambda s, n, p: right_ar(s, n, 12), "window length 12, but p=2", id="hard-coded p"),
        pytest.param(lambda s, n, p: (right_ar(s, n, p) - s[:n].min()) / (s[:n].max() - s[:n].min()),
                     "scaled to the training part's range", id="rescaled"),
        pytest.param(lambda s, n, p: right_ar(s, n, p).astype(np.float32), "float64 round-off", id="float32"),
        pytest.param(lambda s, n, p: right_ar(s, n, p) + 1e-3, "not the linear model's", id="off a little"),
        pytest.param(lambda s, n, p: np.full(len(s) - n, np.nan), "NaN or infinite", id="NaN"),
        pytest.param(lambda s, n, p: np.where(np.arange(len(s) - n) == 3, np.inf, right_ar(s, n, p)),
                     r"NaN or infinite values, at test positions \[3\]", id="inf"),
        pytest.param(lambda s, n, p: linear_ar(s, p, range(p, n), range(p, len(s))), "for training months too",
                     id="every window"),
        pytest.param(lambda s, n, p: right_ar(s, n, p).tolist(), "NumPy array", id="list"),
        pytest.param(lambda s, n, p: AlwaysEqual(), "NumPy array", id="always equal"),
        pytest.param(lambda s, n, p: right_ar(s, n, p).astype(str), "real numbers", id="strings"),
    ],
)
def test_linear_ar_wrong(answer, hint):
    answer, calls = recorded(answer)
    message = refusal(ch04.check_linear_ar_forecast, answer)
    assert re.search(hint, message), message
    series, n_train, p = calls[-1]
    assert f"{len(series)} values, n_train={n_train}, p={p})" in message
    assert "lstsq" not in message and "ones" not in message  # no hint names the solution's tools


@pytest.mark.parametrize(
    "answer, got",
    [
        pytest.param(lambda s, n, p: right_ar(s, n, p)[:-1], lambda N, n, p: N - n - 1, id="one short"),
        pytest.param(lambda s, n, p: np.append(right_ar(s, n, p), 0.5), lambda N, n, p: N - n + 1, id="one extra"),
        pytest.param(lambda s, n, p: right_ar(s, n, p)[:4], lambda N, n, p: 4, id="four"),
        pytest.param(lambda s, n, p: np.ones((len(s) - n, 2)), lambda N, n, p: 2 * (N - n), id="two columns"),
    ],
)
def test_linear_ar_wrong_length_names_the_expected_length(answer, got):
    answer, calls = recorded(answer)
    message = refusal(ch04.check_linear_ar_forecast, answer)
    series, n_train, p = calls[-1]
    length = len(series)
    assert f"you return {got(length, n_train, p)} " in message, message
    assert f"one forecast per test month, {length - n_train} values for indices {n_train} to {length - 1}" in message


def test_linear_ar_stub_is_not_attempted():
    def linear_ar_forecast(series, n_train, p):
        raise NotImplementedError()

    with pytest.raises(ExerciseNotAttempted, match="not attempted"):
        ch04.check_linear_ar_forecast(linear_ar_forecast)


def test_linear_ar_a_crash_names_the_configuration():
    message = refusal(ch04.check_linear_ar_forecast, lambda s, n, p: s[n + 10 ** 6])
    assert "n_train=60, p=2): your function raised IndexError" in message


def test_linear_ar_fixed_cases_defeat_every_shortcut():
    """In every fixed case the answer differs from each shortcut; each case is there for the shortcut it names."""
    rng = np.random.default_rng(4)
    seen = set()
    for description, length, n_train, p, coefficients, mean, noise in ch04._LINEAR_AR_CASES:
        s = ch04._ar_series(rng, length, coefficients, mean, noise)
        n = n_train
        right = right_ar(s, n, p)
        assert np.allclose(ch04._linear_ar_reference(s, n, p), right, rtol=1e-10, atol=1e-10)
        assert length - n_train > p and n_train - p >= 3 * (p + 1)  # test windows reach back; a determined fit
        shortcuts = {
            "no intercept": linear_ar(s, p, range(p, n), range(n, length), intercept=False),
            "leak": linear_ar(s, p, range(p, length), range(n, length)),
            "persistence": s[n - 1:-1],
            "off by one": linear_ar(s, p, range(p + 1, n), range(n, length), gap=1),
        }
        if p > 1:
            shortcuts["non-overlapping"] = linear_ar(s, p, range(p, n, p), range(n, length))
            shortcuts["p=1"] = right_ar(s, n, 1)
        for name, value in shortcuts.items():
            assert np.abs(value - right).max() > 1e-3, (description, name)
        spread = np.abs(shortcuts["no intercept"] - right).max()
        seen |= {("p > 12", p > 12), ("p = 1", p == 1), ("short", length < 30), ("big intercept", spread > 0.1)}
    assert {("p > 12", True), ("p = 1", True), ("short", True), ("big intercept", True)} <= seen


def test_linear_ar_random_cases_are_valid():
    rng = np.random.default_rng(5)
    for _ in range(300):
        description, length, n_train, p, coefficients, mean, noise = ch04._random_linear_ar_case(rng)
        assert 1 <= p <= 12 and length - n_train > p and n_train - p >= 2 * (p + 1)
        roots = np.roots([1.0, *(-np.asarray(coefficients))])
        assert np.all(np.abs(roots) < 1) and abs(mean) >= 0.5
        assert type(length) is type(n_train) is type(p) is int


# ------------------------------------------------------------------ what crosses to the learner

CHECKED = [(ch04.check_persistence, persistence_forecast), (ch04.check_scale_split, scale_split),
           (ch04.check_rmse_in_sunspots, rmse_in_sunspots)]


# ------------------------------------------------------------------ no answer key in sight


