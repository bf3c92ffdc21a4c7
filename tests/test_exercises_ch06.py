"""Chapter 6 checks: the notebook's answers pass on every draw, each typical mistake gets its own hint; what every check owes (the stub, non-functions) is in test_exercise_checks.py."""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_utils.exercises import ExerciseFailed, ExerciseNotAttempted, ch06
from scipy.special import expit as sigmoid  # as the chapter's exercise setup cell
from conftest import AlwaysEqual, notebook_function, refused

gru_step = notebook_function("06", "gru_step")
gru_step_reset_before = notebook_function("06", "gru_step_reset_before")
make_cudnn_ready = notebook_function("06", "make_cudnn_ready")
matched_gru_units = notebook_function("06", "matched_gru_units")

REPEATS = 4  # each call draws fresh random configurations


# The notebook's reference solutions (book/06_gru.ipynb).


@pytest.mark.parametrize(
    "check, answer",
    [
        (ch06.check_gru_step, gru_step),
        (ch06.check_gru_step_reset_before, gru_step_reset_before),
        (ch06.check_cudnn_ready, make_cudnn_ready),
        (ch06.check_matched_gru_units, matched_gru_units),
    ],
)
def test_correct_answers_pass_on_every_draw(capsys, check, answer):
    for _ in range(REPEATS):
        check(answer)
        assert "passed" in capsys.readouterr().out


# ---------------------------------------------------------------- 6.1 and 6.2: wrong steps


def gru_after(x, h, kernel, recurrent_kernel, bias, *, width=None, swap=False, recurrent_bias=True,
              merged_bias=False, order="zrh"):
    """Variants of the reset_after=True step; the defaults give the right step."""
    u = width or h.shape[-1]
    xp = x @ kernel + bias[0] + (bias[1] if merged_bias else 0)
    hp = h @ recurrent_kernel + (bias[1] if recurrent_bias and not merged_bias else 0)
    blocks = {name: slice(k * u, (k + 1) * u) for k, name in enumerate(order)}
    z = sigmoid(xp[:, blocks["z"]] + hp[:, blocks["z"]])
    r = sigmoid(xp[:, blocks["r"]] + hp[:, blocks["r"]])
    candidate = np.tanh(xp[:, blocks["h"]] + r * hp[:, blocks["h"]])
    return (1 - z) * h + z * candidate if swap else z * h + (1 - z) * candidate


def gru_before(x, h, kernel, recurrent_kernel, bias, *, width=None, swap=False, reset_after_instead=False):
    """Variants of the reset_after=False step; the defaults give the right step."""
    u = width or h.shape[-1]
    xp = x @ kernel + bias
    z = sigmoid(xp[:, :u] + h @ recurrent_kernel[:, :u])
    r = sigmoid(xp[:, u:2 * u] + h @ recurrent_kernel[:, u:2 * u])
    rec = r * (h @ recurrent_kernel[:, 2 * u:]) if reset_after_instead else (r * h) @ recurrent_kernel[:, 2 * u:3 * u]
    candidate = np.tanh(xp[:, 2 * u:3 * u] + rec)
    return (1 - z) * h + z * candidate if swap else z * h + (1 - z) * candidate


def swap_z_r(weights):
    """Reading the blocks as r, z, h is the same as swapping the z and r blocks of the weights."""
    z, r, h = np.split(weights, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def test_variants_default_to_the_right_step():
    rng = np.random.default_rng(0)
    x, h, k, r = rng.normal(size=(3, 2)), rng.normal(size=(3, 5)), rng.normal(size=(2, 15)), rng.normal(size=(5, 15))
    b2, b1 = rng.normal(size=(2, 15)), rng.normal(size=15)
    np.testing.assert_allclose(gru_after(x, h, k, r, b2), gru_step(x, h, k, r, b2), rtol=0, atol=1e-14)
    np.testing.assert_allclose(gru_before(x, h, k, r, b1), gru_step_reset_before(x, h, k, r, b1), rtol=0, atol=1e-14)


FLOAT64_CLAIM = "to float64 round-off (1e-10)"
TYPE_MISTAKES = [
    (lambda step: (lambda *a: step(*a).tolist()), "h_new must be a NumPy array, got list"),
    (lambda step: (lambda *a: AlwaysEqual()), "h_new must be a NumPy array, got AlwaysEqual"),
    (lambda step: (lambda *a: (step(*a),)), "h_new must be a NumPy array, got tuple"),
    (lambda step: (lambda *a: step(*a).astype(np.complex128)), "must hold real numbers"),
    (lambda step: (lambda *a: step(*(v.astype(np.float32) for v in a))), FLOAT64_CLAIM),
    (lambda step: (lambda *a: step(*a) * (1 + 1e-7)), FLOAT64_CLAIM),
    (lambda step: (lambda *a: step(*a)[:, :4]), "should have shape (batch, units)"),
]


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda *a: gru_after(*a, swap=True), "z and 1 - z are swapped"),
        (lambda *a: gru_after(*a, recurrent_bias=False), "recurrent bias (bias[1]) is missing"),
        (lambda *a: gru_after(*a, merged_bias=True), "goes inside the reset gate's product"),
        (lambda *a: gru_after(*a, order="rzh"), "in the order r, z, h; Keras orders them z, r, h"),
        (lambda *a: gru_after(*a, order="hrz"), "in the order h, r, z; Keras orders them z, r, h"),
        (lambda x, h, k, r, b: gru_after(x, h, k, r, 0 * b), "biases are missing"),
        (lambda x, h, k, r, b: gru_before(x, h, k, r, b[0]), "that is reset_after=False"),
        (lambda *a: gru_after(*a, width=4), "is a size fixed in your code"),
    ] + [(make(gru_step), hint) for make, hint in TYPE_MISTAKES],
)
def test_gru_step_mistakes_get_their_hint(wrong, hint):
    message = refused(ch06.check_gru_step, wrong, hint)
    assert "batch=" in message and "units=" in message


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda *a: gru_before(*a, reset_after_instead=True), "after the matrix product (that is reset_after=True)"),
        (lambda *a: gru_before(*a, swap=True), "z and 1 - z are swapped"),
        (lambda x, h, k, r, b: gru_before(x, h, k, r, 0 * b), "biases are missing"),
        (lambda x, h, k, r, b: gru_before(x, h, *(swap_z_r(w) for w in (k, r, b))), "in the order r, z, h; Keras orders them z, r, h"),
        (lambda *a: gru_before(*a, width=4), "is a size fixed in your code"),
    ] + [(make(gru_step_reset_before), hint) for make, hint in TYPE_MISTAKES],
)
def test_gru_step_reset_before_mistakes_get_their_hint(wrong, hint):
    message = refused(ch06.check_gru_step_reset_before, wrong, hint)
    assert "batch=" in message and "units=" in message


def test_float32_hint_says_what_is_asked():
    message = refused(ch06.check_gru_step, lambda *a: gru_step(*(v.astype(np.float32) for v in a)), "float64")
    assert "no float32" in message


# ---------------------------------------------------------------- 6.3


def drop_keys(*keys):
    return lambda settings: {k: v for k, v in make_cudnn_ready(settings).items() if k not in keys}


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda s: dict(s), "still block cuDNN"),
        (lambda s: {**make_cudnn_ready(s), "reset_after": False} if "reset_after" in s else make_cudnn_ready(s),
         "reset_after=False, cuDNN needs reset_after=True"),
        (lambda s: {k: v for k, v in make_cudnn_ready(s).items() if k != "use_bias"} | ({"use_bias": False} if "use_bias" in s else {}),
         "use_bias=False"),
        (lambda s: {**make_cudnn_ready(s), "dropout": 0.0}, "you changed dropout from 0.1 to 0.0"),
        (drop_keys("return_sequences"), "you left out return_sequences=True"),
        (drop_keys("go_backwards"), "you left out go_backwards=True"),
        (lambda s: {**make_cudnn_ready(s), "units": 16}, "you changed units from 8 to 16"),
        (lambda s: {**make_cudnn_ready(s), "reset_after": True}, "an LSTM has no reset_after argument"),
        (lambda s: [make_cudnn_ready(s)], "return a dict of layer arguments, got list"),
        (lambda s: AlwaysEqual(), "return a dict of layer arguments, got AlwaysEqual"),
        (lambda s: {**make_cudnn_ready(s), "units": AlwaysEqual()}, "the value of 'units' must be plain data"),
        (lambda s: {**make_cudnn_ready(s), "units": "many"}, "keras.layers.GRU(**your_dict) failed"),
        (lambda s: {**make_cudnn_ready(s), "use_cudnn": s.get("use_cudnn", "auto")}, "still block cuDNN: use_cudnn=False"),
        (lambda s: {**make_cudnn_ready(s), "use_cudnn": True}, "use_cudnn=True makes the layer raise an error"),
    ],
)
def test_cudnn_ready_mistakes_get_their_hint(wrong, hint):
    message = refused(ch06.check_cudnn_ready, wrong, hint)
    assert re.search(r"for (GRU|LSTM)\(units=", message)


def test_cudnn_ready_use_cudnn_false_is_not_eligible():
    """A layer built with use_cudnn=False never uses cuDNN, whatever its other settings: the answer must change it."""
    import keras

    from course_utils.gpu import cudnn_blockers

    assert cudnn_blockers(keras.layers.GRU(4, use_cudnn=False)) == ["use_cudnn=False"]
    assert cudnn_blockers(keras.layers.LSTM(**make_cudnn_ready({"units": 4, "use_cudnn": False}))) == []
    assert make_cudnn_ready({"units": 4, "use_cudnn": True})["use_cudnn"] is True  # the modeller's choice, kept


def test_cudnn_ready_random_draws_catch_a_lookup_table():
    """Right on the fixed cases only: the random ones catch it (each draw has at least one blocker)."""
    seen = {}

    def table(settings):
        return seen.setdefault(repr(settings), make_cudnn_ready(settings)) if len(seen) < 7 else dict(settings)

    with pytest.raises(ExerciseFailed, match="still block cuDNN"):
        ch06.check_cudnn_ready(table)


# ---------------------------------------------------------------- the module




# ---------------------------------------------------------------- 6.4: a GRU as large as an LSTM


def _nearest(count):
    """A wrong answer that searches like the right one but with another parameter count."""
    def answer(lstm_units, features):
        target = 4 * lstm_units * (features + lstm_units + 1)
        return min(range(1, 2 * lstm_units + 2), key=lambda u: (abs(count(u, features) - target), u))
    return answer


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda n, f: 4 * n * (f + n + 1), "you return the LSTM's parameter count"),
        (lambda n, f: n, "it needs more units"),
        (lambda n, f: round(n * 4 / 3), "4/3 as many units gives more than 4/3 as many parameters"),
        (_nearest(lambda u, f: 3 * u * (f + u + 1)), "that is the size for reset_after=False"),
        (_nearest(lambda u, f: 3 * u * (u + 2)), "use the `features` argument"),
        (lambda n, f: matched_gru_units(n, f) + 1, "one unit off"),
        (lambda n, f: max(1, matched_gru_units(n, f) - 1), "one unit off"),
        (lambda n, f: 74, "It was right for an LSTM(64) on 1 feature(s): is a number fixed in your code?"),
        (lambda n, f: float(matched_gru_units(n, f)), "float"),
        (lambda n, f: AlwaysEqual(), "AlwaysEqual"),
        (lambda n, f: str(matched_gru_units(n, f)), "str"),
        (lambda n, f: None, "None"),
        (_nearest(lambda u, f: 3 * u * (f + u + 2) + 10 * u + 10), "keep the size nearest"),
    ],
)
def test_matched_gru_units_mistakes_get_their_hint(wrong, hint):
    refused(ch06.check_matched_gru_units, wrong, hint)


def test_matched_gru_units_answers_that_tie_the_other_way_fail():
    def larger_on_ties(lstm_units, features):
        target = 4 * lstm_units * (features + lstm_units + 1)
        return min(range(1, 2 * lstm_units + 2), key=lambda u: (abs(3 * u * (features + u + 2) - target), -u))
    # LSTM(1) on 1 feature: 12 parameters; GRU(1) has 12 too, so no tie there. Search for a real tie.
    ties = [(n, f) for n in range(1, 60) for f in range(1, 20)
            if larger_on_ties(n, f) != matched_gru_units(n, f)]
    if not ties:
        pytest.skip("no tie among these sizes: the tie rule cannot be told apart here")
    n, f = ties[0]
    assert larger_on_ties(n, f) != matched_gru_units(n, f)


def test_matched_gru_units_stub_is_not_attempted():
    def stub(lstm_units, features):
        raise NotImplementedError()
    with pytest.raises(ExerciseNotAttempted):
        ch06.check_matched_gru_units(stub)
