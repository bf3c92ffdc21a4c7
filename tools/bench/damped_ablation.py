"""Chapter 3's ablation: the course's damped-curve recipe with one change undone at a time, three seeds.

    python -m tools.bench.damped_ablation [--quick] [--seeds 0 1 2]

Closed-loop errors of this curve move by an order of magnitude between seeds
(the closed loop amplifies tiny differences), so one run per row would rank
the changes by luck, and three seeds at the full budget take about ten minutes:
too long for the chapter itself. This script measures them once, with the
chapter's own saved recipe, and writes course_utils/data/damped_ablation.csv
(shipped with the package, so the chapter reads it in Colab too). A quick run
(one seed, two epochs) only proves the code works and writes to _build/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time

import numpy as np

import course_utils as cu
from tools.bench import pairs
from tools.bench.fingerprint import fingerprint
from tools.course_config import ROOT

OUT = ROOT / "course_utils" / "data" / "damped_ablation.csv"
QUICK_OUT = ROOT / "_build" / "damped-ablation-quick.csv"

#: (row label, the keyword arguments of damped_recipe that undo one change)
ROWS: list[tuple[str, dict]] = [
    ("none: the course's recipe", {}),
    ("plain SGD instead of Adam", {"optimizer": "SGD"}),
    ("no input noise", {"noise": 0.0}),
    ("loss on all 20 steps", {"unscored_steps": 0}),
    ("40 units instead of 64", {"units": 40}),
    ("loop instead of unrolled", {"unroll": False}),
]


#: the saved code the ablation runs: when what it does changes, the shipped table is stale
FINGERPRINTED = ("next_value_model", "step_weights", "fit", "damped_recipe", "generate", "closed_loop_error")


def recipe_fingerprint() -> str:
    """A hash of what the saved code the ablation runs does (tools/bench/fingerprint.py)."""
    return fingerprint([getattr(cu, name) for name in FINGERPRINTED])


def run_row(changes: dict, seed: int, epochs: int | None) -> dict:
    import keras

    cu.seed_everything(seed)              # as the chapters do (deterministic ops)
    changes = dict(changes)
    if changes.get("optimizer") == "SGD":
        changes["optimizer"] = keras.optimizers.SGD
    y, X, Y = pairs._damped_data()                  # the benchmark's damped curve and windows
    n_fit = 162
    model, history, seconds = cu.damped_recipe(X, Y, n_fit=n_fit, **changes,
                                                       **({"epochs": epochs} if epochs else {}))
    one_step = model.predict(X[n_fit:], verbose=0)[:, 10:] - Y[n_fit:, 10:]
    return {"closed_loop_error": pairs._closed_loop_error(model, y),
            "one_step_rmse": float(np.sqrt(np.mean(one_step ** 2))),
            "final_loss": float(history.history["loss"][-1]), "seconds": seconds,
            "parameters": model.count_params()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one seed, two epochs, into _build/")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    seeds = args.seeds[:1] if args.quick else args.seeds
    start = time.perf_counter()
    lines = []
    for seed in seeds:
        for label, changes in ROWS:
            row = run_row(changes, seed, 2 if args.quick else None)
            lines.append(f'"{label}",{seed},{row["closed_loop_error"]:.6g},{row["one_step_rmse"]:.6g},'
                         f'{row["final_loss"]:.6g},{row["seconds"]:.2f},{row["parameters"]}')
            print(lines[-1], flush=True)
    out = QUICK_OUT if args.quick else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# python -m tools.bench.damped_ablation, recipe {recipe_fingerprint()}, {dt.date.today()}, {platform.processor() or platform.machine()}, "
              f"{len(seeds)} seeds, {(time.perf_counter() - start) / 60:.1f} minutes in all, one process, "
              f"load average at the end {os.getloadavg()[0]:.1f}\n"
              "change,seed,closed_loop_error,one_step_rmse,final_loss,seconds,parameters\n")
    out.write_text(header + "\n".join(lines) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
