"""Chapter 3's ablation: the course's damped-curve recipe with one change undone at a time, three seeds.

    python -m tools.bench.damped_ablation [--quick] [--seeds 0 1 2]

A closed loop amplifies tiny differences, so one run per row would rank the
changes by luck; three seeds at the full budget take longer than a chapter may
run. This script measures them once, with the chapter's own saved recipe (and,
for the step size, schedule and batch rows, the same model and loss trained by
`variant`), and writes course_utils/data/damped_ablation.csv (shipped with the
package, so the chapter reads it in Colab too). Each run reports the closed-loop
error on the 200 training values, on a held-out continuation beyond them, and
the one-step error on the validation windows (the criterion for choosing SGD's
learning rate). A quick run
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

#: (row label, the changes that undo one part of the recipe). Keys of damped_recipe go to it; the keys
#: learning_rate, constant, batch_size, epochs and repeats train the same model through `variant` below.
ROWS: list[tuple[str, dict]] = [
    ("none: the course's recipe", {}),
    ("plain SGD, learning rate 0.01 (Adam's)", {"optimizer": "SGD"}),
    ("plain SGD, learning rate 0.1", {"optimizer": "SGD", "learning_rate": 0.1}),
    ("plain SGD, learning rate 0.3", {"optimizer": "SGD", "learning_rate": 0.3}),
    ("plain SGD, learning rate 1", {"optimizer": "SGD", "learning_rate": 1.0}),
    ("constant learning rate, no cosine decay", {"constant": True}),
    ("batches of 10, same 7,497 updates", {"batch_size": 10, "repeats": 3, "epochs": 153}),
    ("1,700 updates instead of 7,500", {"epochs": 34}),
    ("no input noise", {"noise": 0.0}),
    ("loss on all 20 steps", {"unscored_steps": 0}),
    ("40 units instead of 64", {"units": 40}),
]

#: how far the held-out continuation runs beyond the 200 training values, in steps of the same size
HELD_OUT = 100

#: the saved code the ablation runs: when what it does changes, the shipped table is stale
#: (rnn_next runs too, in held_out_error and pairs._closed_loop_error, but adding it changes the hash and
#: would mark the shipped table stale: add it at the next full run of this script)
FINGERPRINTED = ("next_value_model", "step_weights", "fit", "damped_recipe", "generate", "closed_loop_error")


def recipe_fingerprint() -> str:
    """A hash of what the saved code the ablation runs does (tools/bench/fingerprint.py)."""
    return fingerprint([getattr(cu, name) for name in FINGERPRINTED])


def held_out_curve() -> np.ndarray:
    """The damped curve continued HELD_OUT steps beyond 5 pi, on the same grid as the training curve."""
    n = 200 + HELD_OUT
    return cu.damped_curve(n_samples=n, stop=5 * np.pi * (n - 1) / 199, tau=5.0)[1]


def held_out_error(model) -> float:
    """Largest absolute error of the closed loop on the continuation only, seeded with the last true window."""
    longer = held_out_curve()
    w = pairs.DAMPED_WINDOW
    generated = cu.generate(cu.rnn_next(model), longer[200 - w:200], w + HELD_OUT)
    return cu.closed_loop_error(generated, longer[200 - w:], w)


def _recipe_defaults() -> dict:
    """damped_recipe's own keyword defaults, so a variant cannot drift from the recipe it undoes."""
    import inspect

    return {name: p.default for name, p in inspect.signature(cu.damped_recipe).parameters.items()
            if p.default is not inspect.Parameter.empty}


def variant(X, Y, *, n_fit=162, learning_rate=1e-2, optimizer="Adam", constant=False,
            batch_size=162, epochs=150, repeats=50):
    """damped_recipe's model, noise and loss weights, trained with another step size, schedule or batch."""
    import keras

    recipe = _recipe_defaults()

    make = getattr(keras.optimizers, optimizer)
    if constant:                       # fit hands over a cosine schedule: ignore it, keep the rate fixed
        def make(learning_rate, _make=make, _rate=learning_rate):
            return _make(learning_rate=_rate)
    model = cu.next_value_model(units=recipe["units"], window=X.shape[1], noise=recipe["noise"],
                                unroll=recipe["unroll"])
    tiled = [np.tile(a[:n_fit], (repeats, 1, 1)) for a in (X, Y)]
    per_epoch = int(np.ceil(len(tiled[0]) / batch_size))
    history, seconds = cu.fit(model, *tiled, epochs=epochs, learning_rate=learning_rate, optimizer=make,
                              batch_size=batch_size, unscored_steps=recipe["unscored_steps"],
                              steps_per_execution=per_epoch,
                              validation_data=(X[n_fit:], Y[n_fit:]), validation_freq=10)
    return model, history, seconds


VARIANT_KEYS = {"learning_rate", "constant", "batch_size", "epochs", "repeats"}


def run_row(changes: dict, seed: int, epochs: int | None) -> dict:
    import keras

    cu.seed_everything(seed)              # as the chapters do (deterministic ops)
    changes = dict(changes)
    y, X, Y = pairs._damped_data()                  # the benchmark's damped curve and windows
    n_fit = 162
    if epochs:
        changes["epochs"] = epochs
    if VARIANT_KEYS & set(changes) - {"epochs"}:
        model, history, seconds = variant(X, Y, n_fit=n_fit, **changes)
    else:
        if changes.get("optimizer") == "SGD":
            changes["optimizer"] = keras.optimizers.SGD
        model, history, seconds = cu.damped_recipe(X, Y, n_fit=n_fit, **changes)
    one_step = model.predict(X[n_fit:], verbose=0)[:, 10:] - Y[n_fit:, 10:]
    diverged = not np.all(np.isfinite(one_step))       # a step size too large: the weights overflowed
    return {"closed_loop_error": np.inf if diverged else pairs._closed_loop_error(model, y),
            "held_out_error": np.inf if diverged else held_out_error(model),
            "one_step_rmse": np.inf if diverged else float(np.sqrt(np.mean(one_step ** 2))),
            "final_loss": float(history.history["loss"][-1]), "seconds": seconds,
            "parameters": model.count_params()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one seed, two epochs, into _build/")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    seeds = args.seeds[:1] if args.quick else args.seeds
    recipe = recipe_fingerprint()      # before the runs: the code they run
    start = time.perf_counter()
    lines = []
    for label, changes in ROWS:
        for seed in seeds:
            row = run_row(changes, seed, 2 if args.quick else None)
            lines.append(f'"{label}",{seed},{row["closed_loop_error"]:.6g},{row["held_out_error"]:.6g},'
                         f'{row["one_step_rmse"]:.6g},{row["final_loss"]:.6g},{row["seconds"]:.2f},'
                         f'{row["parameters"]}')
            print(lines[-1], flush=True)
    out = QUICK_OUT if args.quick else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# python -m tools.bench.damped_ablation, recipe {recipe}, {dt.date.today()}, {platform.processor() or platform.machine()}, "
              f"{len(seeds)} seeds, {(time.perf_counter() - start) / 60:.1f} minutes in all, one process, "
              f"load average at the end {os.getloadavg()[0]:.1f}\n"
              "change,seed,closed_loop_error,held_out_error,one_step_rmse,final_loss,seconds,parameters\n")
    out.write_text(header + "\n".join(lines) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
