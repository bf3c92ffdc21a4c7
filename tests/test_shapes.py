"""course_utils.shapes: checks that explain a mismatch in words."""

from __future__ import annotations

import numpy as np
import pytest

import course_utils as cu


def test_matching_shapes_pass_and_none_is_a_wildcard():
    x = np.zeros((32, 20, 1))
    cu.check_shape(x, (32, 20, 1))
    cu.check_shape(x, (None, 20, None))


def test_missing_feature_axis_is_explained():
    with pytest.raises(ValueError) as info:
        cu.check_shape(np.zeros((180, 20)), (180, 20, 1), name="windows")
    message = str(info.value)
    assert "windows has shape (180, 20)" in message
    assert "(samples=180, time steps=20, features=1)" in message
    assert "Add the feature axis" in message


def test_swapped_axes_are_explained():
    with pytest.raises(ValueError, match="swapped"):
        cu.check_shape(np.zeros((20, 32, 1)), (32, 20, 1))


def test_extra_feature_axis_on_targets_is_explained():
    with pytest.raises(ValueError, match="Drop the trailing feature axis"):
        cu.check_shape(np.zeros((32, 10, 1)), (32, 10))


def test_tensors_work_too():
    import tensorflow as tf

    cu.check_shape(tf.zeros((2, 3, 4)), (2, 3, 4))


@pytest.mark.parametrize(
    "value, expected, error, fragment",
    [
        ([[1, 2]], (1, 2), TypeError, "array"),
        (np.zeros(3), 3, TypeError, "expected"),
        (np.zeros((2, 3)), (2, 4), ValueError, r"\(2, 4\)"),
    ],
)
def test_bad_arguments(value, expected, error, fragment):
    with pytest.raises(error, match=fragment):
        cu.check_shape(value, expected)


def test_as_sequence_batch():
    out = cu.as_sequence_batch(np.zeros((4, 5, 1), dtype=np.float64))
    assert out.dtype == np.float32 and out.shape == (4, 5, 1)
    with pytest.raises(ValueError, match="Add the feature axis"):
        cu.as_sequence_batch(np.zeros((4, 5)))
    with pytest.raises(TypeError, match="np.asarray"):
        cu.as_sequence_batch([[1.0]])


def test_describe_shape():
    assert cu.describe_shape((None, 12, 1)) == "(samples=any, time steps=12, features=1)"
    assert cu.describe_shape((3, 4)) == "(3, 4)"
