"""course_utils.metrics: values by hand, and refusal to broadcast."""

from __future__ import annotations

import numpy as np
import pytest

import course_utils as cu


def test_known_values():
    y, p = np.array([1.0, 2.0, 3.0]), np.array([1.0, 4.0, 0.0])
    assert cu.mse(y, p) == pytest.approx((0 + 4 + 9) / 3)
    assert cu.rmse(y, p) == pytest.approx(np.sqrt(13 / 3))
    assert cu.mae(y, p) == pytest.approx(5 / 3)
    assert cu.max_abs_error(y, p) == 3.0


def test_float32_inputs_are_computed_in_float64():
    y = np.full(1000, 1e4, dtype=np.float32)
    assert cu.mse(y, y + np.float32(1)) == 1.0


@pytest.mark.parametrize(
    "y_true, y_pred, error, fragment",
    [
        (np.zeros(5), np.zeros((5, 1)), ValueError, "shape"),
        (np.zeros(5), np.zeros(4), ValueError, "shape"),
        (np.zeros(3), np.array([0.0, np.nan, 1.0]), ValueError, "y_pred contains"),
        ([0.0, 1.0], np.zeros(2), TypeError, "y_true"),
        (np.zeros(0), np.zeros(0), ValueError, "y_true"),
    ],
)
def test_bad_inputs(y_true, y_pred, error, fragment):
    with pytest.raises(error, match=fragment):
        cu.mse(y_true, y_pred)


def test_an_error_beyond_float64s_range_is_inf_without_a_warning():
    """Values near 1e308 are finite, their differences may not be: the answer is inf, and nothing is printed."""
    import warnings
    y, p = np.array([1e308, -1e308]), np.array([-1e308, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for metric in (cu.mse, cu.rmse, cu.mae, cu.max_abs_error):
            assert metric(y, p) == np.inf
