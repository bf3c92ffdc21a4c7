"""The grader's handle on one learner process: start it sandboxed, call learner functions, enforce the time limit."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from tools.grading import sandbox, wire


class LearnerStopped(Exception):
    """The learner process is gone (it exited, crashed, was killed at the time limit, or sent garbage)."""


class TimeLimitExceeded(LearnerStopped):
    """The learner's code ran past the submission's time limit."""


def _text_or_none(value: Any) -> bool:
    return value is None or type(value) is str


def _learner_exception(type_name: str, message: str) -> Exception:
    """An exception named like the learner's, carrying its message (its class never crosses over)."""
    name = "".join(ch for ch in type_name if ch.isalnum() or ch == "_")[:60] or "Exception"
    return type(name, (Exception,), {})(message)


class LearnerSession:
    """One sandboxed learner process running an exercise setup and a submission's solution cells."""

    def __init__(self, setup: str, solutions: list[tuple[str, str]], *, timeout: float, log: Path,
                 slot: int = 0, hidden: tuple[str, ...] = sandbox.ANSWER_KEYS, also_hide: tuple[Path, ...] = ()):
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.stopped: str | None = None
        self.log = log
        to_learner, self._to_learner = os.pipe()
        self._from_learner, from_learner = os.pipe()
        limits = sandbox.Limits(cpu_seconds=int(2 * timeout) + 10)
        command = sandbox.wrap(
            [sys.executable, "-s", "-m", "tools.grading.learner", str(to_learner), str(from_learner)],
            keep_fds=(to_learner, from_learner), slot=slot, limits=limits, hidden=hidden, also_hide=also_hide)
        try:
            with self.log.open("w") as out:
                # Own session, so the whole group can be killed at the time limit.
                self.process = subprocess.Popen(command.argv, cwd=log.parent, env=sandbox.environment(),
                                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                                pass_fds=command.pass_fds, start_new_session=True)
        finally:
            command.close()
        os.close(to_learner)
        os.close(from_learner)
        os.set_blocking(self._to_learner, False)
        self.setup_error: str | None = None
        self.cell_errors: dict[str, str | None] = {}
        try:
            wire.send(self._to_learner, ("run", setup, solutions))
            reply = self._receive()
            if not (len(reply) == 3 and reply[0] == "ready" and _text_or_none(reply[1])
                    and type(reply[2]) is dict
                    and all(type(k) is str and _text_or_none(v) for k, v in reply[2].items())):
                self._stop("the learner process answered out of turn")
                raise LearnerStopped(self.stopped)
            _, setup_error, cell_errors = reply
            self.setup_error = setup_error and setup_error[:300]
            self.cell_errors = {k[:20]: v and v[:300] for k, v in cell_errors.items()}
        except (TimeLimitExceeded, LearnerStopped, ValueError, TypeError) as error:
            self._stop(f"{error}" if isinstance(error, (TimeLimitExceeded, LearnerStopped)) else "garbled reply")

    # ------------------------------------------------------------------ plumbing

    def _read_exactly(self, fd: int, n: int) -> bytes:
        chunks, left = [], n
        while left:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self._stop(f"time limit exceeded: the solutions ran longer than {self.timeout:g} s")
                raise TimeLimitExceeded(self.stopped)
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                try:
                    code = self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    code = None
                self._stop(f"the solutions stopped the grading process (exit code {code})")
                raise LearnerStopped(self.stopped)
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _receive(self) -> Any:
        if self.stopped:
            raise LearnerStopped(self.stopped)
        try:
            message = wire.decode_untrusted(wire.receive_bytes(self._from_learner, self._read_exactly))
        except wire.UnsafeMessage as error:
            self._stop(f"the solutions sent something other than plain data ({error})")
            raise LearnerStopped(self.stopped) from None
        if not (isinstance(message, tuple) and message and isinstance(message[0], str)):
            self._stop("the learner process answered out of turn")
            raise LearnerStopped(self.stopped)
        return message

    def _send(self, message: Any) -> None:
        if self.stopped:
            raise LearnerStopped(self.stopped)
        data = wire.frame(message)
        view = memoryview(data)
        try:
            while view:  # never blocks past the deadline: a learner that stops reading cannot hold the grader
                remaining = self.deadline - time.monotonic()
                if remaining <= 0:
                    self._stop(f"time limit exceeded: the solutions ran longer than {self.timeout:g} s")
                    raise TimeLimitExceeded(self.stopped)
                _, ready, _ = select.select([], [self._to_learner], [], remaining)
                if ready:
                    view = view[os.write(self._to_learner, view[:65536]):]
        except OSError:
            self._stop("the learner process is gone")
            raise LearnerStopped(self.stopped) from None

    def _stop(self, reason: str) -> None:
        if self.stopped is None:
            self.stopped = reason
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()

    def close(self) -> None:
        for fd in (self._to_learner, self._from_learner):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        self._stop(self.stopped or "closed")

    def __enter__(self) -> LearnerSession:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ what the grader uses

    def defines(self, name: str) -> bool:
        """Whether the solutions define a callable called ``name``."""
        self._send(("has", name))
        reply = self._receive()
        return reply == ("has", True)

    def function(self, name: str) -> Callable[..., Any]:
        """A stand-in for the learner's function: calls run in the learner process; results come back as plain data."""
        session = self

        def learner_function(*args: Any, **kwargs: Any) -> Any:
            return session._call(name, args, kwargs)

        learner_function.__name__ = name
        return learner_function

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        callbacks: list[Callable] = []

        def outgoing(value: Any) -> Any:
            if callable(value) and not isinstance(value, type):
                callbacks.append(value)
                return wire.Callback(len(callbacks) - 1)
            if type(value) in (tuple, list):
                return type(value)(outgoing(v) for v in value)
            if type(value) is dict:
                return {k: outgoing(v) for k, v in value.items()}
            return value

        self._send(("call", name, outgoing(args), outgoing(kwargs)))
        while True:
            reply = self._receive()
            kind = reply[0]
            if kind == "return" and len(reply) == 2:
                return reply[1]
            if kind == "not_attempted":
                raise NotImplementedError()
            if kind == "raise" and len(reply) == 3:
                raise _learner_exception(str(reply[1])[:60], str(reply[2])[:500])
            if kind == "callback" and len(reply) == 3 and type(reply[1]) is int and 0 <= reply[1] < len(callbacks):
                if time.monotonic() > self.deadline:  # the grader's own work for the learner counts too
                    self._stop(f"time limit exceeded: the solutions ran longer than {self.timeout:g} s")
                    raise TimeLimitExceeded(self.stopped)
                if type(reply[2]) not in (tuple, list):
                    self._stop("the learner process answered out of turn")
                    raise LearnerStopped(self.stopped)
                try:
                    self._send(("callback_result", callbacks[reply[1]](*reply[2])))
                except LearnerStopped:
                    raise
                except Exception as error:  # noqa: BLE001 - the learner passed bad values to our callback
                    self._send(("callback_error", f"{type(error).__name__}: {error}"))
                continue
            self._stop("the learner process answered out of turn")
            raise LearnerStopped(self.stopped)
