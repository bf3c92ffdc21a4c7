"""Checks for the exercises of chapter 6 (GRU).

Every check runs the learner's function on several configurations: fixed ones
chosen so that each plausible shortcut fails, and random ones drawn afresh on
every call. Keras computes the right answer (one float64 GRU step, whether a
layer can use cuDNN); only the names ``check_*`` and the exercise ids are public.
"""

import numpy as _np
from scipy.special import expit as _sigmoid  # the logistic function, as the chapters' setup cells import it

from . import _core

STEP_AFTER = "Exercise 6.1"
STEP_BEFORE = "Exercise 6.2"
CUDNN = "Exercise 6.3"


# ---------------------------------------------------------------- 6.1 and 6.2 one GRU step


def _gru_case(rng: _np.random.Generator, reset_after: bool, batch: int, features: int, units: int):
    """Input, state and weights of one step; the biases are non-zero so a forgotten bias shows."""
    bias_shape = (2, 3 * units) if reset_after else (3 * units,)
    return (
        rng.normal(size=(batch, features)),
        rng.normal(size=(batch, units)) * 0.8,
        rng.normal(size=(features, 3 * units)) * 0.7,
        rng.normal(size=(units, 3 * units)) * 0.7,
        rng.normal(size=bias_shape) * 0.5,
    )


def _keras_gru_step(x, h, reset_after: bool):
    """One step of a float64 keras GRUCell from state h, as a function of the weights."""
    import keras

    cell = keras.layers.GRUCell(h.shape[-1], reset_after=reset_after, dtype="float64")
    cell.build((None, x.shape[-1]))

    def step(kernel, recurrent_kernel, bias):
        cell.set_weights([kernel, recurrent_kernel, bias])
        h_new, _ = cell(x, [h])
        return _np.asarray(h_new)

    return step


def _gru_mistakes(case, reset_after: bool, keras_step) -> list[tuple[_np.ndarray, str]]:
    """Typical wrong steps, each with the hint it deserves (computed on demand, only after a failure)."""
    x, h, kernel, recurrent_kernel, bias = case
    units = h.shape[-1]
    z_block, r_block, h_block = (_np.arange(k * units, (k + 1) * units) for k in range(3))
    flip_z = _np.ones(3 * units)
    flip_z[z_block] = -1.0  # sigmoid(-a) = 1 - sigmoid(a): Keras computes the step with z and 1 - z swapped
    mistakes = [(
        keras_step(kernel * flip_z, recurrent_kernel * flip_z, bias * flip_z),
        "z and 1 - z are swapped: in Keras, z is the share of the OLD state that is kept, and 1 - z the share of the candidate.",
    )]
    order_hint = "your code reads the three blocks in the order {}; Keras orders them z, r, h (update gate, reset gate, candidate)."
    for order, names in (((1, 0, 2), "r, z, h"), ((2, 1, 0), "h, r, z"), ((0, 2, 1), "z, h, r"), ((1, 2, 0), "r, h, z"), ((2, 0, 1), "h, z, r")):
        index = _np.concatenate([(z_block, r_block, h_block)[k] for k in order])
        mistakes.append((keras_step(kernel[:, index], recurrent_kernel[:, index], bias[..., index]), order_hint.format(names)))
    mistakes.append((keras_step(kernel, recurrent_kernel, 0 * bias), "the biases are missing: they are added to both products."))
    if reset_after:
        mistakes.append((
            keras_step(kernel, recurrent_kernel, _np.stack([bias[0], 0 * bias[1]])),
            "the recurrent bias (bias[1]) is missing: with reset_after=True it is added to h @ recurrent_kernel "
            "before the reset gate multiplies it.",
        ))
        mistakes.append((
            keras_step(kernel, recurrent_kernel, _np.stack([0 * bias[0], bias[1]])),
            "the input bias (bias[0]) is missing: it is added to x @ kernel.",
        ))
        xz, hz = x @ kernel + bias[0] + bias[1], h @ recurrent_kernel
        z = _sigmoid(xz[:, :units] + hz[:, :units])
        r = _sigmoid(xz[:, units:2 * units] + hz[:, units:2 * units])
        mistakes.append((
            z * h + (1 - z) * _np.tanh(xz[:, 2 * units:] + r * hz[:, 2 * units:]),
            "for the candidate, the recurrent bias goes inside the reset gate's product: r * (h @ U_h + b_rec), "
            "not next to the input bias.",
        ))
        before = _keras_gru_step(x, h, reset_after=False)
        for flat in (bias[0], bias[0] + bias[1]):
            mistakes.append((
                before(kernel, recurrent_kernel, flat),
                "you multiply the reset gate with h before the matrix product (that is reset_after=False); here "
                "reset_after=True: r * (h @ U_h + b_rec).",
            ))
    else:
        after = _keras_gru_step(x, h, reset_after=True)
        for biases in ([bias, 0 * bias], [0 * bias, bias]):
            mistakes.append((
                after(kernel, recurrent_kernel, _np.stack(biases)),
                "you apply the reset gate after the matrix product (that is reset_after=True); here it multiplies "
                "h first: (r * h) @ U_h.",
            ))
    return mistakes


def _check_step(exercise: str, gru_step, reset_after: bool) -> None:
    rng = _core.fresh_rng()
    sizes = _core.step_sizes(rng)
    bias_shape = "(2, 3 * units)" if reset_after else "(3 * units,)"
    right_for = None
    for batch, features, units in sizes:
        where = f"for batch={batch}, features={features}, units={units} (bias of shape {bias_shape})"
        fixed_size = (
            f" It was right {right_for}: is a size fixed in your code? Read the number of units from the "
            "shapes of the arrays you are given." if right_for else ""
        )
        case = _gru_case(rng, reset_after, batch, features, units)
        got = _core.in_case(exercise, where, _core.attempt, gru_step, *(a.copy() for a in case), also=fixed_size)
        got = _core.in_case(exercise, where, _core.real_array, got, "h_new")
        if got.shape != (batch, units):
            raise _core.ExerciseFailed(
                exercise, f"{where}: h_new should have shape (batch, units) = {(batch, units)}, got {got.shape}. "
                "Take every size from the arrays' shapes, none from a fixed number." + (f" It was right {right_for}." if right_for else "")
            )
        keras_step = _keras_gru_step(case[0], case[1], reset_after)
        want = keras_step(*case[2:])
        if _core.close(got, want):
            right_for = right_for or where
            continue
        _core.refuse_float32(exercise, where, [(got, want)], "Keras's float64 GRU")
        for value, hint in _gru_mistakes(case, reset_after, keras_step):
            if _core.close(got, value, 1e-6):
                raise _core.ExerciseFailed(exercise, f"{where}: {hint}{fixed_size}")
        raise _core.ExerciseFailed(
            exercise, f"{where}: your step differs from Keras's.{fixed_size}" if fixed_size else
            f"{where}: compute z, r and the candidate one at a time and compare with the equations in the chapter; "
            "Keras orders the blocks z, r, h."
        )


def check_gru_step(gru_step: "Callable") -> None:
    """GRU step with reset_after=True (Keras's default, the cuDNN one)."""
    _check_step(STEP_AFTER, gru_step, reset_after=True)
    _core.passed(STEP_AFTER, "your step matches Keras's float64 GRU (reset_after=True) to round-off for every size.")


def check_gru_step_reset_before(gru_step_reset_before: "Callable") -> None:
    """GRU step with reset_after=False (the original GRU of Cho et al., 2014)."""
    _check_step(STEP_BEFORE, gru_step_reset_before, reset_after=False)
    _core.passed(STEP_BEFORE, "your step matches Keras's float64 GRU(reset_after=False) for every size: the reset gate scales the old state before U_h.")


# ---------------------------------------------------------------- 6.3 a cuDNN-ready layer

#: The arguments that can block cuDNN (see course_utils.gpu.cudnn_blockers); every other one must be kept.
_BLOCKING = ("activation", "recurrent_activation", "recurrent_dropout", "unroll", "use_bias", "reset_after", "use_cudnn")
_PLAIN = (bool, int, float, str, type(None), _np.bool_, _np.int64, _np.int32, _np.float64, _np.float32)


def _random_settings(rng: _np.random.Generator) -> tuple[str, dict]:
    """A layer kind and its settings: at least one blocker, and a few arguments the learner must keep."""
    kind = str(rng.choice(["GRU", "LSTM"]))
    settings: dict = {"units": int(rng.integers(1, 65))}
    blockers = {
        "activation": str(rng.choice(["relu", "elu", "selu", "linear"])),
        "recurrent_activation": str(rng.choice(["hard_sigmoid", "relu", "tanh"])),
        "recurrent_dropout": float(round(rng.uniform(0.05, 0.5), 2)),
        "unroll": True,
        "use_bias": False,
        "use_cudnn": False,
    }
    if kind == "GRU":
        blockers["reset_after"] = False
    chosen = [key for key in blockers if rng.random() < 0.5] or [str(rng.choice(list(blockers)))]
    settings.update({key: blockers[key] for key in chosen})
    keep = {
        "return_sequences": bool(rng.random() < 0.5),
        "return_state": bool(rng.random() < 0.5),
        "go_backwards": bool(rng.random() < 0.5),
        "dropout": float(round(rng.uniform(0.05, 0.5), 2)),
        "kernel_initializer": str(rng.choice(["glorot_uniform", "he_normal", "orthogonal"])),
    }
    settings.update({key: value for key, value in keep.items() if rng.random() < 0.6})
    return kind, settings


def check_cudnn_ready(make_cudnn_ready: "Callable") -> None:
    """The learner turns layer settings that block cuDNN into ones that qualify, keeping everything else."""
    import keras

    from ..gpu import cudnn_blockers

    rng = _core.fresh_rng()
    cases = [
        ("GRU", {"units": 16, "recurrent_dropout": 0.2, "return_sequences": True}),
        ("GRU", {"units": 8, "reset_after": False, "dropout": 0.1, "go_backwards": True}),
        ("LSTM", {"units": 12, "activation": "relu", "unroll": True, "return_sequences": True}),
        ("LSTM", {"units": 1, "recurrent_activation": "hard_sigmoid", "use_bias": False, "return_state": True, "dropout": 0.3}),
        ("GRU", {"units": 5, "activation": "tanh", "recurrent_dropout": 0.0, "kernel_initializer": "orthogonal"}),
        ("LSTM", {"units": 3, "recurrent_dropout": 0.25, "activation": "selu", "go_backwards": True, "unit_forget_bias": False}),
        ("GRU", {"units": 6, "use_cudnn": False, "return_sequences": True}),
    ]
    cases += [_random_settings(rng) for _ in range(2)]
    for kind, settings in cases:
        where = f"for {kind}({', '.join(f'{key}={value!r}' for key, value in settings.items())})"
        got = _core.in_case(CUDNN, where, _core.attempt, make_cudnn_ready, dict(settings))
        if type(got) is not dict:
            raise _core.ExerciseFailed(CUDNN, f"{where}: return a dict of layer arguments, got {type(got).__name__}.")
        for key, value in got.items():
            if type(key) is not str:
                raise _core.ExerciseFailed(CUDNN, f"{where}: the keys of your dict must be argument names (str), got {type(key).__name__}.")
            if type(value) not in _PLAIN:
                raise _core.ExerciseFailed(
                    CUDNN, f"{where}: the value of {key!r} must be plain data (a number, bool, string or None), "
                    f"got {type(value).__name__}" + ("; name activations by their string, e.g. 'tanh'." if "activation" in key else ".")
                )
        if kind == "LSTM" and "reset_after" in got:
            raise _core.ExerciseFailed(
                CUDNN, f"{where}: an LSTM has no reset_after argument (keras.layers.LSTM refuses it); change reset_after only "
                "where the settings have it, in a GRU."
            )
        try:
            layer = getattr(keras.layers, kind)(**got)
        except Exception as error:  # noqa: BLE001 - any refusal by Keras becomes a hint
            raise _core.ExerciseFailed(CUDNN, f"{where}: keras.layers.{kind}(**your_dict) failed: {error}") from None
        if got.get("use_cudnn") is True and settings.get("use_cudnn") is not True:
            raise _core.ExerciseFailed(
                CUDNN, f"{where}: use_cudnn=True makes the layer raise an error wherever cuDNN cannot run (on a CPU, "
                "for one); use_cudnn='auto' (the default) uses cuDNN when it can."
            )
        blockers = cudnn_blockers(layer)
        if blockers:
            raise _core.ExerciseFailed(CUDNN, f"{where}: your settings still block cuDNN: {'; '.join(blockers)}.")
        mine, theirs = layer.get_config(), getattr(keras.layers, kind)(**settings).get_config()
        for key in theirs:
            if key not in _BLOCKING and key != "name" and mine.get(key) != theirs[key]:
                if key in settings and key not in got:
                    change = f"you left out {key}={settings[key]!r}, so the layer falls back to {mine.get(key)!r}"
                else:
                    change = f"you changed {key} from {theirs[key]!r} to {mine.get(key)!r}"
                raise _core.ExerciseFailed(
                    CUDNN, f"{where}: {change}; it does not block cuDNN, so keep what the modeller chose."
                )
    _core.passed(CUDNN, "only the blocking settings changed; units, input dropout, return options and the rest are kept.")


# ---------------------------------------------------------------- 6.4 a GRU as large as an LSTM

MATCHED = "Exercise 6.4"


def _keras_count(kind: str, units: int, features: int) -> int:
    """Keras's own count of a recurrent layer's parameters (GRU with its default reset_after=True)."""
    import keras

    layer = keras.layers.GRU(units) if kind == "GRU" else keras.layers.LSTM(units)
    layer.build((None, None, features))
    return int(layer.count_params())


def _matched_units(lstm_units: int, features: int) -> int:
    """The GRU size whose count is nearest the LSTM's, the smaller one on a tie, by Keras's counts.

    The search runs on the counting formulas; Keras then counts the LSTM and the GRU of the answer, so a
    formula that drifted from Keras would fail here rather than mislead a learner."""
    target = 4 * lstm_units * (features + lstm_units + 1)
    want = min(range(1, 2 * lstm_units + 2), key=lambda u: (abs(3 * u * (features + u + 2) - target), u))
    assert _keras_count("LSTM", lstm_units, features) == target
    assert _keras_count("GRU", want, features) == 3 * want * (features + want + 2)
    return want


def _matched_hints(lstm_units: int, features: int, got: int, want: int) -> str:
    target = 4 * lstm_units * (features + lstm_units + 1)

    def nearest(count) -> int:
        return min(range(1, 2 * lstm_units + 2), key=lambda u: (abs(count(u) - target), u))

    if got == target:
        return "you return the LSTM's parameter count; the answer is a number of GRU units."
    if got == lstm_units:
        return "a GRU of the same size has about three quarters of the LSTM's parameters: it needs more units."
    if got == round(lstm_units * 4 / 3) or got == int(lstm_units * 4 / 3):
        return ("4/3 as many units gives more than 4/3 as many parameters: the recurrent weights grow with the square "
                "of the units. Count the parameters of each GRU size and compare.")
    if got == nearest(lambda u: 3 * u * (features + u + 1)):
        return ("that is the size for reset_after=False; Keras's default, reset_after=True, has two biases per unit "
                "and gate: 3 * units * (features + units + 2).")
    if got == nearest(lambda u: 3 * u * (u + 2)) or got == nearest(lambda u: 3 * u * (1 + u + 2)):
        return "the count depends on the number of input features too: use the `features` argument."
    if got == nearest(lambda u: 4 * u * (features + u + 1) * 3 // 4):
        return "count the GRU's parameters with its own formula, not as three quarters of an LSTM of that size."
    if abs(got - want) == 1:
        return ("one unit off: compare |GRU count - LSTM count| for the sizes on both sides and keep the nearest "
                "(the smaller one on a tie).")
    return ("count the GRU's parameters for each number of units, 3 * units * (features + units + 2), and keep the "
            "size nearest the LSTM's 4 * units * (features + units + 1).")


def check_matched_gru_units(matched_gru_units: "Callable") -> None:
    """The GRU size with as many parameters as a given LSTM, by Keras's counts, for several sizes and inputs."""
    rng = _core.fresh_rng()
    cases = [(64, 1), (20, 20), (32, 5), (1, 1), (10, 3), (100, 12), (7, 50)]
    while len(cases) < 10:
        case = (int(rng.integers(1, 130)), int(rng.integers(1, 40)))
        if case not in cases:
            cases.append(case)
    right_for = None
    for lstm_units, features in cases:
        where = f"for an LSTM({lstm_units}) on {features} feature(s)"
        fixed = f" It was right {right_for}: is a number fixed in your code?" if right_for else ""
        got = _core.in_case(MATCHED, where, _core.attempt, matched_gru_units, lstm_units, features, also=fixed)
        got = _core.in_case(MATCHED, where, _core.whole_number, got, "the number of GRU units")
        want = _matched_units(lstm_units, features)
        if got == want:
            right_for = right_for or where
            continue
        lstm_count = _keras_count("LSTM", lstm_units, features)
        detail = (f"{where} (Keras counts {lstm_count:,} parameters) you return {got}"
                  + (f", a GRU of {_keras_count('GRU', got, features):,}" if 0 < got <= 10 * lstm_units + 10 else "")
                  + f"; GRU({want}) has {_keras_count('GRU', want, features):,}, the nearest.")
        raise _core.ExerciseFailed(MATCHED, f"{detail} Hint: {_matched_hints(lstm_units, features, got, want)}{fixed}")
    _core.passed(MATCHED, "your GRU sizes match the LSTMs' parameter counts as closely as whole units allow, "
                          "so a comparison between them is one of layer types, not of sizes.")
