"""Each nbval sanitizer rule rewrites what varies between runs, and nothing else."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent / "nbval_sanitize.cfg"


def rules() -> dict[str, tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return {name: (re.compile(parser[name]["regex"]), parser[name]["replace"]) for name in parser.sections()}


def sanitize(text: str) -> str:
    for pattern, replacement in rules().values():
        text = pattern.sub(replacement, text)
    return text


CASES = {
    "memory addresses": (
        [("<keras.src.models.Sequential object at 0x7f3a2c1b9d50>", "<keras.src.models.Sequential object at 0xADDRESS>")],
        ["<Figure size 630x234 with 1 Axes>", "an array of shape 3x4", "0xG is not hex"],
    ),
    "durations": (
        [("32/32 - 1s - 18ms/step", "32/32 - DURATION - DURATION"), ("trained in 12.5 s", "trained in DURATION"),
         ("Epoch 1: 250us/step", "Epoch 1: DURATION")],
        ["3 steps", "64 samples", "float64s", "2 seeds", "units=16"],
    ),
    "rounding-level differences such as 8.2e-08, which vary between CPUs": (
        [("max error 8.2e-08", "max error TINY"), ("3e-12 apart", "TINY apart")],
        ["learning rate 3e-3", "1e-5 tolerance", "1.5e-04", "12e-08"],
    ),
}


def test_every_rule_has_cases():
    assert set(rules()) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_rewrites_what_varies_and_keeps_the_rest(name):
    pattern, replacement = rules()[name]
    rewrite, keep = CASES[name]
    for before, after in rewrite:
        assert pattern.sub(replacement, before) == after, (name, before)
    for text in keep:
        assert pattern.sub(replacement, text) == text, (name, text)
