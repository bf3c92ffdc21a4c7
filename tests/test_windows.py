"""course_utils.windows against straightforward loop implementations."""

from __future__ import annotations

import numpy as np
import pytest

import course_utils as cu


def loop_sliding(values, window, horizon):
    X = [values[i : i + window] for i in range(len(values) - window - horizon + 1)]
    y = [values[i + window : i + window + horizon] for i in range(len(values) - window - horizon + 1)]
    return np.array(X)[..., None], np.array(y)


def source_get_xy(dat, time_steps):
    """The sunspot source's layout: targets at multiples of time_steps, inputs the block before."""
    y_ind = np.arange(time_steps, len(dat), time_steps)
    X = dat[: time_steps * len(y_ind)].reshape(len(y_ind), time_steps, 1)
    return X, dat[y_ind].reshape(-1, 1)


@pytest.mark.parametrize("window", [1, 5, 19])
def test_sliding_windows_match_a_loop(window):
    values = np.arange(20, dtype=float) ** 1.5
    X, y = cu.sliding_windows(values, window)
    X_ref, y_ref = loop_sliding(values, window, 1)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_sliding_windows_stride_keeps_every_kth_window():
    values = np.arange(30, dtype=float)
    X, y = cu.sliding_windows(values, 4, stride=3)
    X_all, y_all = cu.sliding_windows(values, 4)
    np.testing.assert_array_equal(X, X_all[::3])
    np.testing.assert_array_equal(y, y_all[::3])


@pytest.mark.parametrize("length, window", [(8, 2), (9, 2), (100, 12), (13, 12)])
def test_non_overlapping_windows_match_the_source_layout(length, window):
    values = np.linspace(0.0, 70.0, length)
    X, y = cu.non_overlapping_windows(values, window)
    X_ref, y_ref = source_get_xy(values, window)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_non_overlapping_windows_source_example():
    X, y = cu.non_overlapping_windows(np.linspace(0.0, 70.0, 8), 2)
    assert X[:, :, 0].tolist() == [[0, 10], [20, 30], [40, 50]]
    assert y[:, 0].tolist() == [20, 40, 60]


def test_shifted_windows_are_inputs_one_step_ahead():
    values = np.sin(np.arange(25.0))
    X, y = cu.shifted_windows(values, 20)
    assert X.shape == y.shape == (5, 20, 1)
    np.testing.assert_array_equal(X[:, 1:], y[:, :-1])
    np.testing.assert_array_equal(y[-1, :, 0], values[5:])


def test_windows_accept_a_single_column_and_pandas():
    s = cu.load_sunspots()
    X1, y1 = cu.sliding_windows(s, 12)
    X2, y2 = cu.sliding_windows(s.to_numpy().reshape(-1, 1), 12)
    np.testing.assert_array_equal(X1, X2)
    assert X1.shape == (len(s) - 12, 12, 1)


@pytest.mark.parametrize(
    "call, error, fragment",
    [
        (lambda: cu.sliding_windows(np.arange(10.0), 10), ValueError, "series has only 10"),
        (lambda: cu.sliding_windows(np.arange(10.0), 0), ValueError, "window"),
        (lambda: cu.sliding_windows(np.arange(10.0), -3), ValueError, "window"),
        (lambda: cu.sliding_windows(np.arange(10.0), 3, 2), TypeError, "positional"),
        (lambda: cu.sliding_windows(np.arange(10.0), 3, stride=0), ValueError, "stride"),
        (lambda: cu.sliding_windows(np.arange(10.0), 2.5), TypeError, "window"),
        (lambda: cu.sliding_windows(list(range(10)), 3), TypeError, "series"),
        (lambda: cu.sliding_windows(np.zeros((4, 5, 1)), 2), ValueError, "1D"),
        (lambda: cu.sliding_windows(np.zeros((10, 3)), 2), ValueError, "single column"),
        (lambda: cu.sliding_windows(np.array([1.0, np.nan, 3.0, 4.0]), 2), ValueError, "NaN"),
        (lambda: cu.sliding_windows(np.array([1.0, np.inf, 3.0, 4.0]), 2), ValueError, "infinite"),
        (lambda: cu.sliding_windows(np.array([]), 2), ValueError, "at least 1"),
        (lambda: cu.sliding_windows(np.array(["a", "b", "c"]), 1), TypeError, "numbers"),
        (lambda: cu.non_overlapping_windows(np.arange(12.0), 12), ValueError, "series has only 12"),
        (lambda: cu.shifted_windows(np.arange(5.0), 5), ValueError, "series"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_every_step_targets_are_the_next_values_at_each_step():
    X = np.arange(2 * 6, dtype=float).reshape(2, 6, 1)
    y = 100 + np.arange(2 * 3, dtype=float).reshape(2, 3)
    Y = cu.every_step_targets(X, y)
    assert Y.shape == (2, 6, 3)
    np.testing.assert_array_equal(Y[:, -1], y)                 # last step: the usual target
    np.testing.assert_array_equal(Y[0, 0], [1, 2, 3])          # step 0: the next three inputs
    np.testing.assert_array_equal(Y[0, 4], [5, 100, 101])      # straddles the window's end
    full = np.concatenate([X[:, :, 0], y], axis=1)
    for t in range(6):
        np.testing.assert_array_equal(Y[:, t], full[:, t + 1:t + 4])
