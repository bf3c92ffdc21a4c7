"""What crosses from the learner process to the grader: plain data only, rebuilt safely."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler

from tools.grading import wire


class AlwaysEqual:
    def __eq__(self, other):
        return True


class Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def roundtrip(value):
    return wire.decode_untrusted(pickle.dumps(wire.to_plain(value), protocol=5))


def test_plain_data_arrives_unchanged():
    value = (3, 2.5, True, None, "s", [np.arange(3.0), {"W_x": np.ones((2, 2))}], np.int64(7), np.float32(1.5))
    back = roundtrip(value)
    assert back[:5] == value[:5] and type(back[6]) is np.int64 and type(back[7]) is np.float32
    np.testing.assert_array_equal(back[5][0], value[5][0])
    np.testing.assert_array_equal(back[5][1]["W_x"], value[5][1]["W_x"])


def test_a_fitted_scaler_arrives_as_a_scaler():
    scaler = MinMaxScaler().fit(np.arange(5.0).reshape(-1, 1))
    back = roundtrip(scaler)
    assert type(back) is MinMaxScaler and back.data_max_[0] == 4.0


@pytest.mark.parametrize("value", [AlwaysEqual(), np.array([AlwaysEqual()], dtype=object), np.ma.masked_array([1.0])])
def test_anything_else_arrives_as_an_inert_look_alike(value):
    back = roundtrip([value])[0]
    assert type(back).__module__ == "learner"
    assert back != 0 and back != back.__class__()  # identity equality only: no permissive ==


def test_a_forged_message_cannot_run_code_in_the_grader():
    for forged in (pickle.dumps(Exploit()), pickle.dumps(AlwaysEqual()), b"not a pickle"):
        with pytest.raises(wire.UnsafeMessage):
            wire.decode_untrusted(forged)


def test_tensorflow_tensors_arrive_as_arrays():
    import tensorflow as tf

    back = roundtrip(tf.constant([[1.0, 2.0]], dtype=tf.float64))
    assert type(back) is np.ndarray and back.dtype == np.float64 and back.shape == (1, 2)


@pytest.mark.parametrize("forged", [
    b"\x80\x05" + b"]" * 100_000 + b"a" * 99_999 + b".",  # a list nested 100,000 deep
    b"\x80\x05]q\x00h\x00a.",  # a list that contains itself
    pickle.dumps(np.array([1, "a"], dtype=object)),  # objects inside an array
    pickle.dumps(np.zeros(2, dtype=[("a", "f8")])),  # a record array
    pickle.dumps({(1, 2): 3}),  # a key that is not a plain value
])
def test_nesting_cycles_and_unusual_arrays_are_refused_without_recursion(forged):
    with pytest.raises(wire.UnsafeMessage):
        wire.decode_untrusted(forged)


def test_a_reference_bomb_is_refused_within_the_value_limit():
    x = [1]
    for _ in range(60):
        x = [x, x]  # 2**60 values when walked, a few hundred bytes pickled
    with pytest.raises(wire.UnsafeMessage, match="more than"):
        wire.decode_untrusted(pickle.dumps(x))


def test_forged_carriers_are_refused():
    malformed = wire.Foreign.__new__(wire.Foreign)
    malformed.__dict__.update(type_name=3)
    for carrier in (malformed, wire.Foreign(3, "x"), wire.Estimator("os.system", {}),
                    wire.Estimator("MinMaxScaler", {1: 2}), wire.Callback(0)):
        with pytest.raises(wire.UnsafeMessage):
            wire.decode_untrusted(pickle.dumps(carrier))
