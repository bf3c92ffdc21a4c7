"""course_utils.environment: seeding, the seed variable, the device report."""

from __future__ import annotations

import numpy as np
import pytest

import course_utils as cu
from course_utils import environment


def test_course_seed_default_and_override(monkeypatch):
    monkeypatch.delenv(environment.SEED_ENV, raising=False)
    assert cu.course_seed() == 42
    monkeypatch.setenv(environment.SEED_ENV, "7")
    assert cu.course_seed() == 7


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5"])
def test_bad_seed_variable_is_named(monkeypatch, raw):
    monkeypatch.setenv(environment.SEED_ENV, raw)
    with pytest.raises(ValueError, match="COURSE_SEED"):
        cu.course_seed()


def test_setup_makes_keras_reproducible(capsys):
    import keras

    def fresh_weights():
        layer = keras.layers.SimpleRNN(3)
        layer.build((None, 4, 2))
        return [w.copy() for w in layer.get_weights()]

    assert cu.setup(5) == 5
    first, draw1 = fresh_weights(), np.random.rand()
    cu.setup(5, verbose=False)
    second, draw2 = fresh_weights(), np.random.rand()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert draw1 == draw2
    printed = capsys.readouterr().out
    assert "seed 5" in printed and "TensorFlow" in printed and "Device:" in printed


def test_setup_rejects_bad_seed():
    with pytest.raises(TypeError, match="seed"):
        cu.setup("42")
    with pytest.raises(ValueError, match="seed"):
        cu.setup(-1)


def test_device_report_without_gpu_says_how_to_switch(monkeypatch):
    import tensorflow as tf

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    report = cu.describe_device()
    assert report.startswith("Device: CPU")
    assert "Runtime > Change runtime type > T4 GPU" in report


def test_device_report_names_the_gpu(monkeypatch):
    import tensorflow as tf

    fake = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [fake])
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda d: {"device_name": "Tesla T4"})
    assert cu.describe_device() == "Device: GPU (Tesla T4)"
