"""When Keras can run LSTM and GRU layers on the fast cuDNN kernels (chapter 6)."""

from __future__ import annotations

from typing import Any


def cudnn_blockers(layer: Any) -> list[str]:
    """Why ``layer`` (a Keras LSTM or GRU) cannot use cuDNN on a GPU; an empty list means it can (chapter 6).

    Mirrors the conditions Keras 3 checks with the TensorFlow backend: tanh
    activation, sigmoid recurrent activation, no recurrent dropout, no
    unrolling, a bias, and for GRU ``reset_after=True``.
    """
    import keras

    if not isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
        raise TypeError(f"layer must be a keras.layers.LSTM or GRU, got {type(layer).__name__}.")
    cell = layer.cell
    blockers = []
    if getattr(layer, "use_cudnn", "auto") is False:
        blockers.append("use_cudnn=False")
    if cell.activation is not keras.activations.tanh:
        blockers.append(f"activation is {getattr(cell.activation, '__name__', cell.activation)!s}, cuDNN needs 'tanh'")
    if cell.recurrent_activation is not keras.activations.sigmoid:
        name = getattr(cell.recurrent_activation, "__name__", cell.recurrent_activation)
        blockers.append(f"recurrent_activation is {name!s}, cuDNN needs 'sigmoid'")
    if cell.recurrent_dropout:
        blockers.append(f"recurrent_dropout={cell.recurrent_dropout}, cuDNN needs 0")
    if layer.unroll:
        blockers.append("unroll=True, cuDNN needs the loop")
    if not cell.use_bias:
        blockers.append("use_bias=False, cuDNN needs a bias")
    if isinstance(layer, keras.layers.GRU) and not cell.reset_after:
        blockers.append("reset_after=False, cuDNN needs reset_after=True")
    return blockers
