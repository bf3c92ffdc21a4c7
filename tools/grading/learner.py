"""The learner side of grading: runs the exercise setup and the solution cells, then answers calls.

    python -m tools.grading.learner READ_FD WRITE_FD

Started by the grader inside the operating system's sandbox
(``tools.grading.sandbox``), for one submission. Nothing here restricts the
learner's code: the sandbox does, from outside this process. Learner code
never shares a process with the checks, so nothing it patches, prints or
redefines can change a grade: the grader only receives plain data from here.
"""

from __future__ import annotations

import contextlib
import io
import sys
import traceback
from typing import Any

from tools.grading import wire


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
    read_fd, write_fd = int(argv[0]), int(argv[1])
    try:
        serve(read_fd, write_fd)
    except Exception:  # noqa: BLE001 - the grader reads the log only when something went wrong
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
