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


def test_describe_shape():
    assert cu.describe_shape((None, 12, 1)) == "(samples=any, time steps=12, features=1)"
    assert cu.describe_shape((3, 4)) == "(3, 4)"


@pytest.fixture(scope="module")
def models():
    import keras

    seq = keras.Sequential([keras.Input((20, 1)), keras.layers.SimpleRNN(4, return_sequences=True), keras.layers.Dense(1)])
    vec = keras.Sequential([keras.Input((60, 5)), keras.layers.SimpleRNN(4), keras.layers.Dense(3)])
    stateful = keras.Sequential([keras.Input(batch_shape=(4, None, 1)), keras.layers.SimpleRNN(3, stateful=True)])
    return seq, vec, stateful


def test_check_model_input(models):
    seq, vec, stateful = models
    cu.check_model_input(seq, np.zeros((7, 20, 1)))
    cu.check_model_input(stateful, np.zeros((4, 9, 1)))
    with pytest.raises(ValueError, match="Add the feature axis"):
        cu.check_model_input(seq, np.zeros((7, 20)))
    with pytest.raises(ValueError, match="built for 60 time steps, got 10"):
        cu.check_model_input(vec, np.zeros((1, 10, 5)))
    with pytest.raises(ValueError, match="reads 5 feature"):
        cu.check_model_input(vec, np.zeros((1, 60, 2)))
    with pytest.raises(ValueError, match="exactly 4 samples"):
        cu.check_model_input(stateful, np.zeros((3, 9, 1)))
    with pytest.raises(TypeError, match="Keras model"):
        cu.check_model_input("model", np.zeros((1, 2, 3)))


def test_check_targets(models):
    seq, vec, _ = models
    cu.check_targets(seq, np.zeros((7, 20, 1)))
    cu.check_targets(vec, np.zeros((7, 3)))
    with pytest.raises(ValueError, match="one value per time step"):
        cu.check_targets(seq, np.zeros((7, 1)))
    with pytest.raises(ValueError, match=r"Dense\(5\)"):
        cu.check_targets(vec, np.zeros((7, 5)))
    with pytest.raises(ValueError, match="19 time steps but the outputs 20"):
        cu.check_targets(seq, np.zeros((7, 19, 1)))
    with pytest.raises(ValueError, match="drop the time axis"):
        cu.check_targets(vec, np.zeros((7, 3, 1)))


@pytest.mark.parametrize(
    "args, expected",
    [((20, 3), 18), ((20, 3, 2), 9), ((20, 3, 1, "same"), 20), ((20, 3, 2, "same"), 10),
     ((20, 2, 1, "causal", 4), 20), ((20, 2, 1, "valid", 4), 16), ((5, 5), 1)],
)
def test_conv1d_output_length_matches_keras(args, expected):
    import keras

    assert cu.conv1d_output_length(*args) == expected
    length, kernel, *rest = args
    stride, padding, dilation = (rest + [1, "valid", 1][len(rest):])[:3]
    layer = keras.layers.Conv1D(2, kernel, strides=stride, padding=padding, dilation_rate=dilation)
    assert layer(np.zeros((1, length, 1), dtype="float32")).shape[1] == expected


@pytest.mark.parametrize(
    "args, error, fragment",
    [((1, 3), ValueError, "does not fit"), ((10, 3, 1, "full"), ValueError, "padding"),
     ((10, 0), ValueError, "kernel_size"), ((10.0, 3), TypeError, "length")],
)
def test_conv1d_output_length_bad_input(args, error, fragment):
    with pytest.raises(error, match=fragment):
        cu.conv1d_output_length(*args)
