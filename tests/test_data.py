"""course_utils.datasets: the shipped sunspots and the generated series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import course_utils as cu


def test_sunspots_are_monthly_with_real_dates():
    s = cu.load_sunspots()
    assert isinstance(s, pd.Series) and s.name == "sunspots"
    assert isinstance(s.index, pd.DatetimeIndex) and s.index.freqstr == "MS"
    assert len(s) == 2820  # 235 years x 12 months
    assert s.index[0] == pd.Timestamp("1749-01-01") and s.index[-1] == pd.Timestamp("1983-12-01")
    assert s.dtype == np.float64 and s.notna().all() and (s >= 0).all()
    assert s.iloc[:3].tolist() == [58.0, 62.6, 70.0]
    assert s.iloc[-1] == pytest.approx(33.4)


def test_sunspots_come_from_package_data_not_the_network(tmp_path):
    """Loaded in a process that refuses internet connections, from a folder outside the checkout."""
    import subprocess
    import sys
    from pathlib import Path

    guard = Path(__file__).resolve().parent.parent / "tools" / "offline"
    code = "import course_utils as cu; s = cu.load_sunspots(); print(len(s), s.iloc[0], s.index[-1].date())"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(guard), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2820", "58.0", "1983-12-01"]


def test_damped_curve_matches_its_formula():
    x, y = cu.damped_curve()
    assert x.shape == y.shape == (200,)
    assert x[0] == 0 and x[-1] == pytest.approx(5 * np.pi)
    np.testing.assert_allclose(y, np.exp(-x / 5) * np.cos(x))


def test_two_sine_series_shape_seed_and_noise():
    a = cu.two_sine_series(64, 30, seed=1)
    assert a.shape == (64, 30, 1) and a.dtype == np.float32
    np.testing.assert_array_equal(a, cu.two_sine_series(64, 30, seed=1))
    assert not np.array_equal(a, cu.two_sine_series(64, 30, seed=2))
    assert np.abs(a).max() <= 0.5 + 0.2 + 0.05 + 1e-6


def test_noise_variance_is_width_squared_over_twelve():
    assert cu.synthetic_noise_variance() == pytest.approx(0.1**2 / 12)
    assert cu.synthetic_noise_variance() == pytest.approx(0.00083, abs=1e-5)
    # Empirically: uniform noise of width 0.1 has that variance.
    noise = 0.1 * (np.random.default_rng(0).random(200_000) - 0.5)
    assert noise.var() == pytest.approx(cu.synthetic_noise_variance(), rel=0.02)


def test_forecasting_splits_sizes_and_continuity():
    splits = cu.synthetic_forecasting_splits(n_series=100, sizes=(70, 20), seed=3)
    assert splits.train.X.shape == (70, 50, 1) and splits.train.y.shape == (70, 10)
    assert splits.valid.X.shape == (20, 50, 1) and splits.test.X.shape == (10, 50, 1)
    full = cu.two_sine_series(100, 60, seed=3)
    np.testing.assert_array_equal(splits.test.y, full[90:, 50:, 0])


@pytest.mark.parametrize(
    "call, error, fragment",
    [
        (lambda: cu.damped_curve(n_samples=1), ValueError, "n_samples"),
        (lambda: cu.damped_curve(n_samples=20.5), TypeError, "n_samples"),
        (lambda: cu.damped_curve(tau=0), ValueError, "tau"),
        (lambda: cu.damped_curve(tau=float("nan")), ValueError, "tau"),
        (lambda: cu.two_sine_series(0, 10), ValueError, "n_series"),
        (lambda: cu.two_sine_series(10, "50"), TypeError, "n_steps"),
        (lambda: cu.synthetic_noise_variance(-0.1), ValueError, "width"),
        (lambda: cu.synthetic_forecasting_splits(n_series=100, sizes=(70, 30)), ValueError, "sizes"),
        (lambda: cu.synthetic_forecasting_splits(sizes=[7000, 2000]), TypeError, "sizes"),
    ],
)
def test_bad_arguments_name_the_argument(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()
