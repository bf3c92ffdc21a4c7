"""Run the benchmark and write its results (make bench; make bench QUICK=1 for the smoke test).

    python -m tools.bench.run [--quick] [--seeds 0 1 2] [--out DIR] [--workers 2]

Every measurement (a recipe under one seed, or one chapter) is a job. Jobs
dominated by per-step overhead (damped curve, sunspots, chapters) run in
``--workers`` processes, each pinned to one CPU core with one TensorFlow
thread; compute-bound jobs (the two-sines recipes) then run one at a time on
every core. A source recipe and its course recipe always share conditions,
and the run takes about 32 minutes on a 2-core machine.

A full run writes book/results/{results.json,results.md,benchmark.png}, which
the book's results page shows. A quick run (one seed, one epoch each, 500
training series) only proves the code works: it writes to _build/bench-quick/
and refuses to write into book/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


from tools.bench import pairs as r
from tools.course_config import BOOK, ROOT, chapter_notebooks

RESULTS = BOOK / "results"
QUICK_OUT = ROOT / "_build" / "bench-quick"


@dataclass
class Pair:
    model: str
    source: Callable[[bool], r.Outcome] | None
    course: Callable[[bool], r.Outcome]


@dataclass
class Task:
    name: str
    subject: str
    metric: str
    pairs: list[Pair]
    baselines: dict[str, Callable[[bool], r.Outcome]] = field(default_factory=dict)
    floor: float | None = None
    target: float | None = None      # the absolute target set for the task's best course model

    @property
    def title(self) -> str:
        """The subject and the chapters whose recipes the task runs, from where those recipes are saved."""
        numbers = r.chapters_of([pair.course for pair in self.pairs] + [pair.source for pair in self.pairs])
        label = "chapter" if len(numbers) == 1 else "chapters"
        return f"{self.subject} ({label} {', '.join(map(str, numbers))})"


def tasks() -> list[Task]:
    import course_utils as cu

    return [
        Task("damped", "Damped curve", "closed-loop max abs error",
             [Pair("SimpleRNN", r.damped_source("SimpleRNN", 500), r.damped_course("SimpleRNN")),
              Pair("LSTM", r.damped_source("LSTM", 1000), r.damped_course("LSTM"))], target=0.02),
        Task("sunspots", "Sunspots", "test RMSE (scaled)",
             [Pair("SimpleRNN", r.sunspots_source, r.sunspots_course)],
             baselines={"persistence": r.sunspots_persistence}),
        Task("synthetic", "Two sines, 10 steps ahead", "validation MSE",
             [Pair(kind, r.synthetic_source(kind), r.synthetic_course(kind))
              for kind in ["SimpleRNN", "LSTM", "GRU", "Conv1D+GRU"]]
             + [Pair("dilated stack", None, r.synthetic_course("dilated stack"))],
             baselines={"naive": r.synthetic_naive}, floor=cu.synthetic_noise_variance(), target=0.0015),
    ]


def _recipe(task_name: str, model: str, side: str) -> Callable[[bool], r.Outcome]:
    task = next(t for t in tasks() if t.name == task_name)
    if side == "baseline":
        return task.baselines[model]
    pair = next(p for p in task.pairs if p.model == model)
    return pair.source if side == "source" else pair.course


def jobs(seeds: list[int], quick: bool) -> list[tuple]:
    """Every measurement as a picklable job: recipes (task, model, side, seed) and chapters ("chapter", path)."""
    todo = []
    for task in tasks():
        for seed in seeds:
            todo += [("recipe", task.name, name, "baseline", seed) for name in task.baselines]
            for pair in task.pairs:
                todo += [("recipe", task.name, pair.model, side, seed)
                         for side, recipe in (("source", pair.source), ("course", pair.course)) if recipe]
    chapters = chapter_notebooks()[:1] if quick else chapter_notebooks()
    todo += [("chapter", str(path)) for path in chapters]
    return sorted(todo, key=_expected_seconds, reverse=True)      # longest first: the workers finish together


def _expected_seconds(job: tuple) -> float:
    """A rough cost per job (measured once), only to start the long ones first."""
    if job[0] == "chapter":
        return 60.0
    costs = {("damped", "LSTM", "source"): 200, ("damped", "SimpleRNN", "source"): 70,
             ("synthetic", "GRU", "source"): 75, ("synthetic", "LSTM", "source"): 50}
    return costs.get(job[1:4], 0.0 if job[3] == "baseline" else 30.0)


def _pin_worker(cores: list[int]) -> None:
    """Give each worker process one core and one TensorFlow thread, so parallel jobs do not compete.

    Source and course recipes run under the same conditions, so their ratios stay fair; the
    children (a chapter's kernel) inherit the core and the thread settings.
    """
    import multiprocessing

    index = multiprocessing.current_process()._identity[0] - 1 if multiprocessing.current_process()._identity else 0
    if hasattr(os, "sched_setaffinity") and cores:
        os.sched_setaffinity(0, {cores[index % len(cores)]})
    os.environ.update(TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", OMP_NUM_THREADS="1")
    warm_up()


def run_job(job: tuple, quick: bool) -> dict:
    """Run one job in this process; a recipe is seeded and starts from a clean Keras session."""
    if job[0] == "chapter":
        from tools.execute import execute

        path = Path(job[1])
        return {"chapter": path.stem, "seconds": execute(path, write=False)}
    import keras

    _, task, model, side, seed = job
    keras.utils.set_random_seed(seed)
    keras.backend.clear_session()
    outcome = _recipe(task, model, side)(quick)
    return {"task": task, "model": model, "side": side, "seed": seed,
            "quality": outcome.quality, "seconds": outcome.seconds}


def warm_up() -> None:
    """One tiny fit, so TensorFlow's one-off start-up cost is not charged to the first recipe."""
    import keras
    import numpy as np

    model = keras.Sequential([keras.Input(shape=(4, 1)), keras.layers.SimpleRNN(2), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((8, 4, 1)), np.zeros((8, 1)), epochs=1, verbose=0)


def _exclusive(job: tuple) -> bool:
    """Jobs whose speed depends on how many cores they get: run alone, on every core.

    The two-sines recipes are compute-bound (the course's larger models use both
    cores, the sources' small ones barely do), so pinning them to one core each
    would change their time ratios. The damped-curve and sunspot recipes and the
    chapters are dominated by per-step overhead and run two at a time.
    """
    return job[0] == "recipe" and job[1] == "synthetic"


def measure(seeds: list[int], quick: bool, workers: int, log=print) -> tuple[list[dict], dict[str, float]]:
    """Run every job; return recipe runs and chapter times.

    Phase 1: overhead-bound jobs in ``workers`` processes pinned to one core each.
    Phase 2: compute-bound jobs one at a time in one process with every core.
    A source recipe and its course recipe always run in the same phase.
    """
    import functools
    import multiprocessing

    todo = jobs(seeds, quick)
    runs, chapters = [], {}

    def record(result):
        if "chapter" in result:
            chapters[result["chapter"]] = result["seconds"]
            log(f"chapter {result['chapter']}: {result['seconds']:.1f} s", flush=True)
        else:
            runs.append(result)
            log(f"{result['task']:9s} {result['model']:11s} {result['side']:8s} seed {result['seed']}: "
                f"{result['quality']:.5f} in {result['seconds']:.1f} s", flush=True)

    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    context = multiprocessing.get_context("spawn")
    run = functools.partial(run_job, quick=quick)
    with context.Pool(workers, initializer=_pin_worker, initargs=(cores,)) as pool:
        for result in pool.imap_unordered(run, [job for job in todo if not _exclusive(job)]):
            record(result)
    with context.Pool(1, initializer=warm_up) as pool:
        for result in pool.imap(run, [job for job in todo if _exclusive(job)]):
            record(result)
    order = {path.stem: i for i, path in enumerate(chapter_notebooks())}
    return runs, dict(sorted(chapters.items(), key=lambda item: order[item[0]]))


def _stats(values: list[float]) -> dict:
    return {"mean": statistics.fmean(values), "min": min(values), "max": max(values)}


def summarise(runs: list[dict], chapter_seconds: dict[str, float]) -> dict:
    """Per task and model: quality and time of both sides, and the course/source ratios per seed."""
    rows = []
    for task in tasks():
        for pair in task.pairs:
            mine = {x["seed"]: x for x in runs if (x["task"], x["model"], x["side"]) == (task.name, pair.model, "course")}
            theirs = {x["seed"]: x for x in runs if (x["task"], x["model"], x["side"]) == (task.name, pair.model, "source")}
            row = {"task": task.name, "model": pair.model,
                   "course_quality": _stats([x["quality"] for x in mine.values()]),
                   "course_seconds": _stats([x["seconds"] for x in mine.values()])}
            if theirs:
                row["source_quality"] = _stats([x["quality"] for x in theirs.values()])
                row["source_seconds"] = _stats([x["seconds"] for x in theirs.values()])
                row["quality_ratio"] = _stats([mine[s]["quality"] / theirs[s]["quality"] for s in mine])
                row["time_ratio"] = _stats([mine[s]["seconds"] / theirs[s]["seconds"] for s in mine])
            for name in task.baselines:
                base = {x["seed"]: x["quality"] for x in runs if (x["task"], x["model"]) == (task.name, name)}
                row[f"vs_{name}"] = _stats([mine[s]["quality"] / base[s] for s in mine])
            rows.append(row)
    baselines = {f"{x['task']}/{x['model']}": x["quality"] for x in runs if x["side"] == "baseline"}
    source_total = sum(row["source_seconds"]["mean"] for row in rows if "source_seconds" in row)
    return {"rows": rows, "baselines": baselines, "chapters": chapter_seconds,
            "course_seconds_total": sum(chapter_seconds.values()), "source_training_seconds_total": source_total}


def targets(summary: dict) -> list[dict]:
    """The benchmark's targets, each with the measured value and whether it is met."""
    rows = {(x["task"], x["model"]): x for x in summary["rows"]}
    checks = []

    def add(name, value, limit):
        checks.append({"target": name, "measured": value, "limit": limit, "met": bool(value <= limit)})

    for (task, model), row in rows.items():
        if "quality_ratio" in row:
            if task == "sunspots":
                add(f"sunspots {model}: course RMSE / persistence (mean over seeds)", row["vs_persistence"]["mean"], 0.95)
            else:
                add(f"{task} {model}: course / source quality (mean)", row["quality_ratio"]["mean"], 0.5)
            time_limit = 0.5 if (task, model) == ("damped", "SimpleRNN") else 1.0   # the course's recipe must train in half the source's time
            add(f"{task} {model}: course / source training time (mean)", row["time_ratio"]["mean"], time_limit)
    target = {task.name: task.target for task in tasks()}        # each limit is written once, in tasks()
    add("damped SimpleRNN: closed-loop max error (mean)", rows[("damped", "SimpleRNN")]["course_quality"]["mean"],
        target["damped"])
    for model in ("LSTM", "GRU"):
        add(f"synthetic {model}: validation MSE (mean)", rows[("synthetic", model)]["course_quality"]["mean"], 0.0025)
    best = min((rows[("synthetic", m)]["course_quality"]["mean"], m) for m in ("Conv1D+GRU", "dilated stack"))
    where = ", ".join(map(str, r.chapters_of([r.synthetic_course(m) for m in ("Conv1D+GRU", "dilated stack")])))
    add(f"synthetic best of chapter {where} ({best[1]}): validation MSE (mean)", best[0], target["synthetic"])
    if summary["chapters"]:
        add("whole course execution time / sources' training time (s)", summary["course_seconds_total"],
            summary["source_training_seconds_total"])
    return checks


def _fmt(stats: dict, digits: int) -> str:
    return f"{stats['mean']:.{digits}f} ({stats['min']:.{digits}f}-{stats['max']:.{digits}f})"


def markdown(summary: dict, checks: list[dict], meta: dict) -> str:
    lines = [f"Measured on {meta['when']} on {meta['machine']}, seeds {', '.join(map(str, meta['seeds']))}, "
             f"in one run of `make bench` ({meta['minutes']:.0f} minutes). The damped-curve and sunspot recipes "
             f"and the chapters ran {meta.get('workers', 1)} at a time, each pinned to one CPU core with one "
             "TensorFlow thread; the two-sines recipes ran one at a time on every core. A source recipe and its "
             "course recipe always ran under the same conditions. "
             "Each cell: mean (min-max) over seeds; times in seconds.", ""]
    lines += ["| task | model | source quality | course quality | quality ratio | source s | course s | time ratio |",
              "|---|---|---|---|---|---|---|---|"]
    for row in summary["rows"]:
        digits = 5 if row["task"] == "synthetic" else 4
        if "source_quality" in row:
            lines.append(f"| {row['task']} | {row['model']} | {_fmt(row['source_quality'], digits)} | "
                         f"{_fmt(row['course_quality'], digits)} | {_fmt(row['quality_ratio'], 2)} | "
                         f"{_fmt(row['source_seconds'], 1)} | {_fmt(row['course_seconds'], 1)} | {_fmt(row['time_ratio'], 2)} |")
        else:
            lines.append(f"| {row['task']} | {row['model']} | (no source) | {_fmt(row['course_quality'], digits)} | | | "
                         f"{_fmt(row['course_seconds'], 1)} | |")
    lines += ["", "Baselines (same data): " + "; ".join(f"{k} {v:.5f}" for k, v in sorted(set(summary["baselines"].items())))
              + "; noise floor of the synthetic task 0.00083.", ""]
    if summary["chapters"]:
        lines += ["| chapter | seconds in a fresh kernel |", "|---|---|"]
        lines += [f"| {name} | {seconds:.0f} |" for name, seconds in summary["chapters"].items()]
        lines += [f"| **whole course** | **{summary['course_seconds_total']:.0f}** |",
                  f"| sources' recipes, training only (one seed each) | {summary['source_training_seconds_total']:.0f} |", ""]
    lines += ["| target | measured | limit | met |", "|---|---|---|---|"]
    lines += [f"| {c['target']} | {c['measured']:.4g} | {c['limit']:.4g} | {'yes' if c['met'] else '**no**'} |" for c in checks]
    return "\n".join(lines) + "\n"


def _plain_log_formatter(**kwargs):
    """Matplotlib's choice of which log ticks to label, written as plain numbers."""
    from matplotlib.ticker import LogFormatterSciNotation

    class PlainLogFormatter(LogFormatterSciNotation):
        def __call__(self, x, pos=None):
            return f"{x:g}" if super().__call__(x, pos) else ""

    return PlainLogFormatter(**kwargs)


def chart(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import course_utils as cu

    all_tasks = tasks()
    fig, axes = plt.subplots(1, len(all_tasks), figsize=(13, 5.2))
    for ax, task in zip(axes, all_tasks):
        for i, pair in enumerate(task.pairs):
            for side, marker in (("source", "o"), ("course", "*")):
                points = [(x["seconds"], x["quality"]) for x in runs
                          if (x["task"], x["model"], x["side"]) == (task.name, pair.model, side)]
                if points:
                    xs, ys = zip(*points)
                    ax.scatter(xs, ys, marker=marker, s=70 if marker == "*" else 30, color=f"C{i}",
                               label=f"{pair.model} ({side})", alpha=0.85)
        for j, name in enumerate(task.baselines):
            values = [x["quality"] for x in runs if (x["task"], x["model"]) == (task.name, name)]
            ax.axhline(statistics.fmean(values), color="C3", linestyle="--", lw=1, label=name)
        if task.floor:
            ax.axhline(task.floor, color="0.2", linestyle=":", lw=1, label="noise floor")
        if task.target:
            ax.axhline(task.target, color="C2", linestyle="-.", lw=1, label=f"target {task.target}")
        ax.set(xscale="log", yscale="log", xlabel="training time (s, log)", ylabel=task.metric, title=task.title)
        for axis in (ax.xaxis, ax.yaxis):                       # "20", not "2 x 10^1": labels that do not collide
            axis.set_major_formatter(_plain_log_formatter())
            axis.set_minor_formatter(_plain_log_formatter(labelOnlyBase=False))
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)   # below: no point hidden
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import tensorflow as tf

    gpu = "a GPU present" if tf.config.list_physical_devices("GPU") else "no GPU"
    return f"{os.cpu_count()} CPU cores ({cpu}), TensorFlow {tf.__version__}, {gpu}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one seed, tiny budgets: tests the code, not the recipes")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--workers", type=int, default=2,
                        help="parallel processes, each pinned to one core with one TensorFlow thread")
    args = parser.parse_args(argv)
    out = args.out or (QUICK_OUT if args.quick else RESULTS)
    if args.quick and out.resolve().is_relative_to(BOOK.resolve()):
        parser.error("a quick run must not write into book/: its numbers are not results")
    seeds = args.seeds[:1] if args.quick else args.seeds
    start = time.perf_counter()
    runs, chapter_seconds = measure(seeds, args.quick, args.workers)
    summary = summarise(runs, chapter_seconds)
    checks = targets(summary)
    meta = {"when": dt.date.today().isoformat(), "machine": machine(), "seeds": seeds, "quick": args.quick,
            "workers": args.workers,
            "minutes": (time.perf_counter() - start) / 60}
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"meta": meta, "runs": runs, "summary": summary, "targets": checks},
                                                 indent=1) + "\n")
    (out / "results.md").write_text(markdown(summary, checks, meta))
    chart(runs, out / "benchmark.png")
    print(f"wrote {out}/results.json, results.md, benchmark.png in {meta['minutes']:.1f} min")
    for c in checks:
        print(f"{'met    ' if c['met'] else 'NOT MET'} {c['target']}: {c['measured']:.4g} (limit {c['limit']:.4g})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
