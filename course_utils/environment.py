"""One call at the top of every chapter: seeds, determinism, plot style, device report."""

from __future__ import annotations

import os
import platform
import random

import numpy as np

from .validation import MAX_SEED, require_int

#: Environment variable that changes the course's seed everywhere at once.
SEED_ENV = "COURSE_SEED"
DEFAULT_SEED = 42

COLAB_GPU_HINT = (
    "no GPU found, so the chapter runs on CPU (fine, only slower).\n"
    "In Colab, switch with Runtime > Change runtime type > T4 GPU, then run all cells again."
)


def course_seed() -> int:
    """The seed every chapter uses: $COURSE_SEED if set, else 42 (read by setup)."""
    raw = os.environ.get(SEED_ENV, "").strip()
    if not raw:
        return DEFAULT_SEED
    try:
        return require_int(int(raw), SEED_ENV, minimum=0, maximum=MAX_SEED)
    except ValueError as error:
        raise ValueError(f"{SEED_ENV} must be a non-negative integer, got {raw!r}.") from error


def describe_device() -> str:
    """Name the accelerator TensorFlow will use, or say how to get one (reported by setup)."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "Device: CPU, " + COLAB_GPU_HINT
    details = tf.config.experimental.get_device_details(gpus[0])
    name = details.get("device_name", gpus[0].name)
    return f"Device: GPU ({name})" + (f" and {len(gpus) - 1} more" if len(gpus) > 1 else "")


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow/Keras and make TensorFlow ops deterministic (called by setup)."""
    import keras
    import tensorflow as tf

    seed = require_int(seed, "seed", minimum=0, maximum=MAX_SEED)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def setup(seed: int | None = None, *, verbose: bool = True) -> int:
    """Seed everything, apply the plot style and report versions and device; returns the seed (chapter 1)."""
    import keras
    import tensorflow as tf

    from .plots import set_plot_style

    seed = course_seed() if seed is None else require_int(seed, "seed", minimum=0, maximum=MAX_SEED)
    seed_everything(seed)
    set_plot_style()
    if verbose:
        print(
            f"Python {platform.python_version()}, TensorFlow {tf.__version__}, "
            f"Keras {keras.__version__}, seed {seed}"
        )
        print(describe_device())
    return seed
