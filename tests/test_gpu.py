"""course_utils.gpu: the cuDNN conditions, and the course's own LSTM and GRU layers meet them."""

from __future__ import annotations

import ast

import keras
import nbformat
import pytest

import course_utils as cu
from tools.course_config import chapter_notebooks


def test_default_lstm_and_gru_qualify():
    assert cu.cudnn_blockers(keras.layers.LSTM(8)) == []
    assert cu.cudnn_blockers(keras.layers.GRU(8)) == []


@pytest.mark.parametrize(
    "layer, reason",
    [
        (keras.layers.LSTM(8, activation="relu"), "activation is relu"),
        (keras.layers.LSTM(8, recurrent_activation="hard_sigmoid"), "recurrent_activation"),
        (keras.layers.GRU(8, recurrent_dropout=0.2), "recurrent_dropout=0.2"),
        (keras.layers.LSTM(8, unroll=True), "unroll=True"),
        (keras.layers.GRU(8, use_bias=False), "use_bias=False"),
        (keras.layers.GRU(8, reset_after=False), "reset_after=False"),
        (keras.layers.LSTM(8, use_cudnn=False), "use_cudnn=False"),
    ],
)
def test_each_blocker_is_named(layer, reason):
    assert any(reason in b for b in cu.cudnn_blockers(layer))


def test_other_layers_are_refused():
    with pytest.raises(TypeError, match="LSTM or GRU"):
        cu.cudnn_blockers(keras.layers.SimpleRNN(3))


def _recurrent_calls(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("LSTM", "GRU"):
            yield node


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
@pytest.mark.rule
def test_the_course_lstm_and_gru_layers_qualify(path):
    """Every LSTM/GRU a chapter builds uses the cuDNN-compatible settings, except in cells tagged
    'not-cudnn' (a deliberate counter-example, such as a parameter count with reset_after=False)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "not-cudnn" in cell.metadata.get("tags", []):
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for call in _recurrent_calls(source):
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords
                      if k.arg in ("activation", "recurrent_activation", "recurrent_dropout", "unroll",
                                   "use_bias", "reset_after", "use_cudnn")}
            layer = getattr(keras.layers, call.func.attr)(4, **kwargs)
            assert cu.cudnn_blockers(layer) == [], f"{path.name}: {ast.unparse(call)} cannot use cuDNN"
