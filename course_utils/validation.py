"""Argument checks shared by every helper.

Learners call these helpers with their own arrays, so a mistake must end in a
short message that names the argument and what was expected, never in a
traceback from deep inside NumPy or Keras.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

#: The most values a helper builds or accepts in one array: 2**27 float64 numbers, 1 GiB. More is a typo
#: (an extra zero), and NumPy would otherwise try, and fail deep inside with a MemoryError.
MAX_VALUES = 2**26
#: The most entries a sequence argument (a shape, a list of layers or series) may have.
MAX_ITEMS = 64
#: NumPy's seeds are 32-bit.
MAX_SEED = 2**32 - 1


def _type_name(value: Any) -> str:
    return type(value).__name__


def require_array(
    value: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    min_length: int = 1,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float64 array after checking type, rank, size and finiteness.

    Lists are refused on purpose: the course teaches the tensor format, and a
    nested list hides its shape. The message says how to convert.
    """
    if isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a NumPy array, got a {_type_name(value)}; "
            f"convert it first with np.asarray({name})."
        )
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, whose hidden values would be used: fill them first, "
                        f"e.g. {name}.filled(np.nan), and drop the missing ones.")
    if isinstance(value, np.matrix):
        raise TypeError(f"{name} is an np.matrix, on which ** is a matrix power: pass np.asarray({name}).")
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        require_regular_dates(value, name)
        value = value.to_numpy()  # pandas Series / DataFrame
    elif hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()  # eager TensorFlow tensor
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array, got {_type_name(value)}.")
    if value.dtype.kind not in "iuf":  # not bool, complex, dates, durations, text or objects
        kind = "real numbers" if value.dtype.kind == "c" else "numbers (int or float)"
        raise TypeError(f"{name} must hold {kind}, got dtype {value.dtype}.")
    if value.ndim == 0:
        raise ValueError(f"{name} must be an array with at least one axis, got a single number.")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if value.ndim not in allowed:
            wanted = " or ".join(f"{d}D" for d in allowed)
            raise ValueError(
                f"{name} must be a {wanted} array, got {value.ndim}D with shape {value.shape}."
            )
    if value.ndim == 0 or value.shape[0] < min_length:
        got = 0 if value.ndim == 0 else value.shape[0]
        raise ValueError(
            f"{name} must have at least {min_length} entries along its first axis, got {got}."
        )
    if value.size == 0:
        raise ValueError(f"{name} must hold values, got an empty array of shape {value.shape}.")
    array = value.astype(np.float64, copy=False)
    if not allow_nonfinite and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); clean or drop them first."
        )
    return array


def require_int(value: Any, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int, refusing floats, bools and values outside [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_type_name(value)} {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {value}.")
    return int(value)


def require_fits_in_memory(n_values: int, what: str) -> None:
    """Refuse, before NumPy tries, an array of more than MAX_VALUES numbers."""
    if n_values > MAX_VALUES:
        raise ValueError(
            f"{what} would hold {n_values:,} values ({n_values * 8 / 2**30:,.0f} GiB as float64), more than the "
            f"{MAX_VALUES:,} a course helper builds; check for an extra zero."
        )


def require_regular_dates(value: Any, name: str) -> None:
    """Refuse a pandas object indexed by dates or durations that are unsorted, repeated or unevenly spaced.

    Windows cut from such a series would run backwards or straddle a gap without
    a word; the message says how to repair the index.
    """
    import warnings

    import pandas as pd

    index = getattr(value, "index", None)
    if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)) or len(index) < 2:
        return
    if index.has_duplicates:
        first = index[index.duplicated()][0]
        raise ValueError(f"{name} has repeated dates (first {first}); keep one value per date, e.g. "
                         f"{name}.groupby(level=0).mean().")
    if not index.is_monotonic_increasing:
        raise ValueError(f"{name} has dates out of order; sort it first with {name}.sort_index().")
    if isinstance(index, pd.DatetimeIndex) and (index.freq is not None or pd.infer_freq(index) is not None):
        return
    # Steps in the finest calendar unit that tells the dates apart: a regular series takes equal steps.
    if isinstance(index, pd.PeriodIndex):
        steps = [np.diff(index.asi8)]
    elif isinstance(index, pd.TimedeltaIndex):
        steps = [np.diff(index.asi8)]
    else:
        units, steps = [], []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a time zone is dropped by to_period: steps are what matter
            for unit in ("Y", "Q", "M", "W", "B", "D", "h", "min", "s"):
                if unit == "B":  # business days: weekdays only, one a day
                    days = index.values.astype("datetime64[D]")
                    if np.is_busday(days).all() and len(np.unique(days)) == len(days):
                        units.append(unit)
                        steps.append(np.busday_count(days[:-1], days[1:]))
                    continue
                periods = index.to_period(unit)
                if periods.is_unique:
                    units.append(unit)
                    steps.append(np.diff(periods.asi8))
    for step in steps:
        if step.size and (step == step[0]).all() and step[0] > 0:
            return
    if not steps:
        return  # dates closer than a second apart: nothing here can judge them
    step = steps[0]  # in the coarsest unit that tells the dates apart
    typical = np.bincount(step - step.min()).argmax() + step.min()
    gap = int(np.argmax(step != typical))
    raise ValueError(
        f"{name}'s dates are not evenly spaced: between {index[gap]} and {index[gap + 1]} the step differs "
        f"from the usual one (missing or extra periods); make them regular first, e.g. "
        f"{name}.asfreq(...) with the series' frequency, then fill or drop the missing values."
    )


def require_sized(value: Any, name: str, *, what: str = "values") -> list:
    """Return a list, tuple, range or 1D array argument as a list, refusing strings, iterators and huge sizes."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise TypeError(f"{name} must be a list of {what}, got an array of shape {value.shape}.")
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, range)):
        raise TypeError(f"{name} must be a list or tuple of {what}, got {_type_name(value)}.")
    if len(value) > MAX_ITEMS:
        raise ValueError(f"{name} may hold at most {MAX_ITEMS} {what}, got {len(value)}.")
    return list(value)


def require_real_numbers(values: Any, name: str) -> np.ndarray:
    """A list or 1D array of real numbers (not text, not booleans, not nested) as a float64 array."""
    if isinstance(values, (list, tuple)):
        if any(isinstance(v, (bool, np.bool_, str, bytes)) or np.ndim(v) != 0 for v in values):
            raise TypeError(f"{name} must be a list of numbers, one per entry, got {list(values)[:5]!r}.")
        values = np.array(values)
    return require_array(values, name, ndim=1, allow_nonfinite=True)


def require_axes(ax: Any, name: str = "ax") -> None:
    """Refuse anything but a matplotlib Axes (or None, for a new figure)."""
    import matplotlib.axes

    if ax is not None and not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (e.g. from plt.subplots()) or None, got "
                        f"{_type_name(ax)}.")


def require_names(value: Any, name: str) -> list[str]:
    """Return ``value`` as a list of strings, refusing a lone string (which would be read letter by letter)."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of names, got the string {value!r}; write [{value!r}].")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a list of names (strings), got {value!r}.")
    if not value:
        raise ValueError(f"{name} must name at least one entry, got an empty list.")
    return list(value)


def require_columns(frame: Any, columns: tuple[str, ...], name: str) -> None:
    """Refuse anything but a DataFrame holding ``columns``, naming the missing ones."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {_type_name(frame)}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} has no column {missing}; it has {list(frame.columns)}.")


def require_float(
    value: Any, name: str, *, positive: bool = False, minimum: float | None = None
) -> float:
    """Return ``value`` as a finite float, optionally strictly positive or at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_type_name(value)} {value!r}.")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be finite, got an integer too large for a float.") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return value


def require_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Refuse two arrays whose shapes differ, instead of letting NumPy broadcast them silently."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; "
            "they must match element for element (broadcasting would hide a bug)."
        )
