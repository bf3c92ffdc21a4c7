"""Chapter 4 checks: correct answers pass, typical mistakes get their hint, the stub is named."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch04


def stub(*args, **kwargs):
    raise NotImplementedError()


def scale_split(series, n_train):
    scaler = MinMaxScaler().fit(series[:n_train].reshape(-1, 1))
    return (scaler.transform(series[:n_train].reshape(-1, 1)).ravel(),
            scaler.transform(series[n_train:].reshape(-1, 1)).ravel(), scaler)


def leaky_split(series, n_train):
    scaler = MinMaxScaler().fit(series.reshape(-1, 1))
    return (scaler.transform(series[:n_train].reshape(-1, 1)).ravel(),
            scaler.transform(series[n_train:].reshape(-1, 1)).ravel(), scaler)


def two_scalers(series, n_train):
    train_scaler = MinMaxScaler().fit(series[:n_train].reshape(-1, 1))
    test_scaler = MinMaxScaler().fit(series[n_train:].reshape(-1, 1))
    return (train_scaler.transform(series[:n_train].reshape(-1, 1)).ravel(),
            test_scaler.transform(series[n_train:].reshape(-1, 1)).ravel(), train_scaler)


def rmse_units(y, pred, scaler):
    return float(np.sqrt(np.mean((scaler.inverse_transform(y) - scaler.inverse_transform(pred)) ** 2)))


@pytest.mark.parametrize(
    "check, answer",
    [(ch04.check_persistence, lambda X: X[:, -1, :]), (ch04.check_scale_split, scale_split),
     (ch04.check_rmse_in_sunspots, rmse_units)],
)
def test_correct_answers_pass(capsys, check, answer):
    check(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("check", [ch04.check_persistence, ch04.check_scale_split, ch04.check_rmse_in_sunspots])
def test_stub_is_named(check):
    with pytest.raises(ExerciseNotAttempted):
        check(stub)


@pytest.mark.parametrize(
    "answer, hint",
    [(lambda X: X[:, -1, 0], "keep the target axis"), (lambda X: X[:, 0, :], "first value"),
     (lambda X: X.mean(axis=1), "mean"), (lambda X: X[:, -2, :], "last of those values"),
     (lambda X: X[:, -1:, 0].T, "one value per window")],
)
def test_persistence_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch04.check_persistence(answer)


@pytest.mark.parametrize(
    "answer, hint",
    [(leaky_split, "has seen the test part"), (two_scalers, "same fitted scaler"),
     (lambda s, n: scale_split(s, n)[:2], "three things"),
     (lambda s, n: (scale_split(s, n)[0][:, None], scale_split(s, n)[1][:, None], scale_split(s, n)[2]), "1D arrays")],
)
def test_scaling_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch04.check_scale_split(answer)


@pytest.mark.parametrize(
    "answer, hint",
    [(lambda y, p, s: float(np.sqrt(np.mean((y - p) ** 2))), "scaled units"),
     (lambda y, p, s: rmse_units(y, p, s) ** 2, "square root"),
     (lambda y, p, s: float(np.mean(np.abs(s.inverse_transform(y) - s.inverse_transform(p)))), "absolute error"),
     (lambda y, p, s: "12", "you return 12")],
)
def test_units_mistakes(answer, hint):
    with pytest.raises(ExerciseFailed, match=hint):
        ch04.check_rmse_in_sunspots(answer)
