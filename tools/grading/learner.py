"""The learner side of grading: runs the exercise setup and the solution cells, then answers calls.

    python -m tools.grading.learner READ_FD WRITE_FD GUARD_JSON

Started by the grader, in a sandbox, for one submission. Before any learner code
runs, an audit hook (PEP 578: it cannot be removed once installed) refuses to
import or open the modules GUARD_JSON names (the course's package, whose checks
and helpers would answer exercises, and the libraries the checks use as their
answer key: Keras, TensorFlow), to open files
in the folders it names (the instructor's notebooks), and to start processes or
signal others. Learner code never shares a process with the checks, so nothing
it patches, prints or redefines can change a grade: the grader only receives
plain data from here.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from tools.grading import wire

# Auditing events refused outright: reaching the hook itself through the garbage collector,
# and starting or signalling processes (a child process would not carry the hook).
_REFUSED_EVENTS = {
    "gc.get_objects", "gc.get_referrers", "gc.get_referents",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.kill", "os.killpg", "signal.pthread_kill",
}


class GradingRestriction(ImportError):
    """What learner code sees when it reaches for something the grader blocks."""


def _package_dirs(names: list[str]) -> list[str]:
    """Folders of the blocked packages, found without importing them."""
    dirs = []
    for name in names:
        top, _, rest = name.partition(".")
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            path = Path(location).joinpath(*rest.split(".")) if rest else Path(location)
            dirs.append(str(path.resolve()) + os.sep)
    return dirs


def install_guard(blocked: list[str], blocked_dirs: list[str] = ()) -> None:
    """Refuse, for the rest of this process, imports of ``blocked`` modules and opening their files or ``blocked_dirs``."""
    prefixes = tuple(blocked)
    dirs = tuple(_package_dirs(blocked)) + tuple(str(Path(d).resolve()) + os.sep for d in blocked_dirs)
    message = ("{} is not available while grading: exercise solutions use NumPy (and scikit-learn where "
               "the exercise says so); the checks use Keras as their answer key.")

    def hook(event: str, args: tuple) -> None:
        if event == "import":
            name = args[0]
            if any(name == p or name.startswith(p + ".") for p in prefixes):
                raise GradingRestriction(message.format(name))
        elif event == "open" and dirs and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if any((path + os.sep).startswith(d) for d in dirs):
                raise GradingRestriction(message.format(path))
        elif event in _REFUSED_EVENTS:
            raise RuntimeError(f"{event} is not available while grading")

    for name in list(sys.modules):  # nothing blocked may be loaded already
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            del sys.modules[name]
    sys.addaudithook(hook)


def serve(read_fd: int, write_fd: int) -> None:
    """Run the setup and solutions sent by the grader, then answer its calls until it closes the pipe."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    sink = io.StringIO()  # the learner's prints go nowhere the grader reads

    def receive() -> Any:
        return wire.decode_trusted(wire.receive_bytes(read_fd, wire.read_blocking))

    def run(source: str) -> str | None:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            result = shell.run_cell(source, store_history=False, silent=True)
        if result.error_before_exec is not None:
            return f"{type(result.error_before_exec).__name__}: {result.error_before_exec}"
        if result.error_in_exec is not None:
            error = result.error_in_exec
            return f"{type(error).__name__}: {str(error)[:300]}"
        return None

    def with_callbacks(value: Any) -> Any:
        if isinstance(value, wire.Callback):
            index = value.index

            def forward(*args: Any) -> Any:
                wire.send(write_fd, ("callback", index, wire.to_plain(args)))
                kind, payload = receive()
                if kind == "callback_error":
                    raise RuntimeError(payload)
                return payload

            return forward
        if type(value) in (tuple, list):
            return type(value)(with_callbacks(v) for v in value)
        if type(value) is dict:
            return {k: with_callbacks(v) for k, v in value.items()}
        return value

    kind, setup, solutions = receive()
    assert kind == "run"
    setup_error = run(setup)
    cell_errors = {ident: run(source) for ident, source in solutions}
    wire.send(write_fd, ("ready", setup_error, cell_errors))
    while True:
        try:
            message = receive()
        except EOFError:
            return
        if message[0] == "has":
            wire.send(write_fd, ("has", callable(shell.user_ns.get(message[1]))))
        elif message[0] == "call":
            _, name, args, kwargs = message
            function = shell.user_ns.get(name)
            try:
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    result = function(*with_callbacks(args), **with_callbacks(kwargs))
                reply = ("return", wire.to_plain(result))
            except NotImplementedError:
                reply = ("not_attempted",)
            except BaseException as error:  # noqa: BLE001 - any learner failure is reported, never fatal
                reply = ("raise", type(error).__name__, str(error)[:500])
            sink.seek(0)
            sink.truncate()
            wire.send(write_fd, reply)


def main(argv: list[str]) -> int:
    read_fd, write_fd, guard = int(argv[0]), int(argv[1]), json.loads(argv[2])
    install_guard(guard["modules"], guard["dirs"])
    try:
        serve(read_fd, write_fd)
    except Exception:  # noqa: BLE001 - the grader reads the log only when something went wrong
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
