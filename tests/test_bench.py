"""The benchmark's bookkeeping: ratios per seed, targets, the Markdown table, and quick runs kept off the results page.

The recipes themselves run in `make bench QUICK=1`, part of `make test`.
"""

from __future__ import annotations

import json

import pytest

from tools.bench import run


def fake_runs():
    runs = []
    for seed in (0, 1):
        def add(task, model, side, quality, seconds):
            runs.append({"task": task, "model": model, "side": side, "seed": seed, "quality": quality, "seconds": seconds})
        add("damped", "SimpleRNN", "source", 0.4, 50.0)
        add("damped", "SimpleRNN", "course", 0.01 * (seed + 1), 10.0)
        add("damped", "LSTM", "source", 0.5, 100.0)
        add("damped", "LSTM", "course", 0.05, 20.0)
        add("sunspots", "persistence", "baseline", 0.085, 0.0)
        add("sunspots", "SimpleRNN", "source", 0.1, 10.0)
        add("sunspots", "SimpleRNN", "course", 0.075, 20.0)
        add("synthetic", "naive", "baseline", 0.02, 0.0)
        for model, source, course in [("SimpleRNN", 0.01, 0.011), ("LSTM", 0.009, 0.002), ("GRU", 0.0093, 0.0026),
                                      ("Conv1D+GRU", 0.009, 0.0016)]:
            add("synthetic", model, "source", source, 40.0)
            add("synthetic", model, "course", course, 30.0)
        add("synthetic", "WaveNet", "course", 0.005, 20.0)
    return runs


def test_ratios_are_per_seed_means():
    summary = run.summarise(fake_runs(), {"01": 5.0})
    row = next(r for r in summary["rows"] if (r["task"], r["model"]) == ("damped", "SimpleRNN"))
    assert row["quality_ratio"]["mean"] == pytest.approx((0.01 / 0.4 + 0.02 / 0.4) / 2)
    assert row["time_ratio"]["max"] == pytest.approx(0.2)
    sun = next(r for r in summary["rows"] if r["task"] == "sunspots")
    assert sun["vs_persistence"]["mean"] == pytest.approx(0.075 / 0.085)
    assert summary["source_training_seconds_total"] == pytest.approx(50 + 100 + 10 + 4 * 40)


def test_targets_name_what_is_met_and_what_is_not():
    checks = {c["target"]: c for c in run.targets(run.summarise(fake_runs(), {"01": 5.0}))}
    assert checks["damped SimpleRNN: closed-loop max error (mean)"]["met"] is True       # 0.015 <= 0.02
    assert checks["synthetic GRU: validation MSE (mean)"]["met"] is False               # 0.0026 > 0.0025
    assert checks["sunspots SimpleRNN: course / source training time (mean)"]["met"] is False   # 2.0 > 1.0
    assert checks["synthetic SimpleRNN: course / source quality (mean)"]["met"] is False
    assert checks["synthetic best of chapter 7 (Conv1D+GRU): validation MSE (mean)"]["met"] is False
    assert checks["whole course execution time / sources' training time (s)"]["met"] is True
    damped_time = checks["damped SimpleRNN: course / source training time (mean)"]
    assert (damped_time["limit"], damped_time["met"]) == (0.5, True)                    # half the source's time; 0.2 here
    assert checks["damped LSTM: course / source training time (mean)"]["limit"] == 1.0


def test_markdown_table_has_every_row_and_the_machine():
    summary = run.summarise(fake_runs(), {"01_rnn_fundamentals": 5.0})
    text = run.markdown(summary, run.targets(summary), {"when": "2026-11-23", "machine": "2 CPU cores",
                                                        "seeds": [0, 1], "minutes": 1.0, "workers": 2})
    assert "2026-11-23" in text and "2 CPU cores" in text
    assert text.count("| synthetic |") == 5 and "**no**" in text and "(no source)" in text


def test_a_quick_run_refuses_to_write_the_results_page(capsys):
    before = sorted((p.name, p.stat().st_mtime_ns) for p in run.RESULTS.iterdir())
    with pytest.raises(SystemExit) as stopped:
        run.main(["--quick", "--out", str(run.RESULTS)])
    assert stopped.value.code == 2  # argparse's usage error, not a crash or a finished run
    assert "a quick run must not write into book/" in capsys.readouterr().err
    assert sorted((p.name, p.stat().st_mtime_ns) for p in run.RESULTS.iterdir()) == before


def test_committed_results_are_a_full_run():
    results = json.loads((run.RESULTS / "results.json").read_text())
    assert results["meta"]["quick"] is False and len(results["meta"]["seeds"]) >= 3
    assert (run.RESULTS / "benchmark.png").stat().st_size > 10_000


def _chapter_source(stem: str) -> str:
    import nbformat

    from tools.course_config import BOOK

    nb = nbformat.read(BOOK / f"{stem}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize(
    "stem, fragments",
    [
        ("03_damped_curve", ["repeats, epochs = 50, 150", "simple_rnn(units=64, noise=0.001, unroll=True)", "step_weights[:, :10] = 0.0",
                             "CosineDecay(1e-2", "n_fit = 162"]),
        ("04_sunspots", ["Adam(learning_rate=3e-3)", "epochs=30, batch_size=128", "SimpleRNN(32)", "long_window = 24"]),
        ("05_lstm", ["recurrent_forecaster(keras.layers.LSTM, units=64, n_layers=1)", "epochs=30, learning_rate=1e-2",
                     "epochs=20, learning_rate=5e-3", "warmup = 15", "GaussianNoise(0.001)", "epochs=80, learning_rate=1e-2"]),
        ("06_gru", ["recurrent_forecaster(keras.layers.GRU, units=64, n_layers=1)", "epochs=30, learning_rate=1e-2",
                    "step_weights[:, :15] = 0.0"]),
        ("07_conv1d", ["def conv_gru(filters=64, units=128)", "epochs=30, learning_rate=1e-2, warmup=8",
                       "Conv1D(32, 2", "epochs=20, learning_rate=1e-2, warmup=15"]),
    ],
)
def test_the_benchmark_recipes_are_the_chapters(stem, fragments):
    """The benchmark keeps its own copy of each recipe; this fails when a chapter's recipe changes without it."""
    from tools.bench import recipes

    source = _chapter_source(stem)
    for fragment in fragments:
        assert fragment in source, f"{stem} no longer contains {fragment!r}: update tools/bench/recipes.py and this test"
    settings = recipes.SYNTHETIC_COURSE
    assert settings["LSTM"] == {"units": 64, "layers": 1, "epochs": 30, "lr": 1e-2, "warmup": 15}
    assert settings["GRU"] == {"units": 64, "layers": 1, "epochs": 30, "lr": 1e-2, "warmup": 15}
    assert settings["SimpleRNN"] == {"units": 32, "layers": 2, "epochs": 20, "lr": 5e-3, "warmup": 15}
    assert settings["Conv1D+GRU"] == {"filters": 64, "units": 128, "epochs": 30, "lr": 1e-2, "warmup": 8}
    assert settings["WaveNet"] == {"filters": 32, "epochs": 20, "lr": 1e-2, "warmup": 15}
    assert (recipes.DAMPED_NOISE, recipes.DAMPED_REPEATS, recipes.DAMPED_WARMUP, recipes.DAMPED_TRAIN) == (0.001, 50, 10, 162)
    assert recipes.DAMPED_COURSE == {"SimpleRNN": (64, 150, True), "LSTM": (40, 80, False)}
