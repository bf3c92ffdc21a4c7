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
        add("synthetic", "dilated stack", "course", 0.005, 20.0)
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


@pytest.mark.rule
def test_the_course_recipes_are_the_chapters_own():
    """Every course-side recipe calls a recipe saved from a chapter; none is written in the benchmark."""
    from course_utils.recipes import SAVED_FROM
    from tools.bench import pairs

    for task in run.tasks():
        for pair in task.pairs:
            assert getattr(pair.course, "saved", None) in SAVED_FROM, f"{task.name} {pair.model}: not a chapter recipe"
    assert pairs.sunspots_source.saved in SAVED_FROM and pairs.damped_source("LSTM", 1000).saved in SAVED_FROM


def test_task_titles_name_the_chapters_that_save_their_recipes(monkeypatch):
    from course_utils import recipes as saved

    titles = {task.name: task.title for task in run.tasks()}
    assert titles["damped"] == "Damped curve (chapters 3, 5)" and titles["sunspots"] == "Sunspots (chapter 4)"
    monkeypatch.setitem(saved.SAVED_FROM, "gru_recipe", "09_new_chapter")          # a recipe moved to chapter 9
    assert next(t for t in run.tasks() if t.name == "synthetic").title.endswith("(chapters 5, 7, 9)")
