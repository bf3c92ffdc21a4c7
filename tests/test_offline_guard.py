"""tools/offline/sitecustomize.py: internet connections refused, loopback allowed (no packet is ever sent)."""

from __future__ import annotations

import importlib.util
import shutil
import socket

import pytest

from tools.course_config import ROOT

GUARD = ROOT / "tools" / "offline" / "sitecustomize.py"


@pytest.fixture
def guarded(monkeypatch):
    """Load the guard over a fake connect that records instead of touching the network."""
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: attempts.append(address) or 0)
    spec = importlib.util.spec_from_file_location("offline_guard", GUARD)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    return attempts


@pytest.mark.parametrize("address", [("151.101.0.223", 443), ("pypi.org", 443), ("2001:db8::1", 80, 0, 0)])
def test_internet_addresses_are_refused(guarded, address):
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises(OSError, match="network access is disabled"):
            sock.connect(address)
        with pytest.raises(OSError, match="network access is disabled"):
            sock.connect_ex(address)
    assert guarded == []


@pytest.mark.parametrize("address", [("127.0.0.1", 5555), ("localhost", 5555)])
def test_loopback_is_allowed(guarded, address):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect(address)
    assert guarded == [address]


@pytest.mark.rule
def test_make_test_runs_the_build_and_the_chapters_offline():
    """The commands make would run (make -n), each loading the guard, and the guard refusing when so loaded."""
    import subprocess
    import sys

    dry = subprocess.run(["make", "-n", "-W", ".venv/.installed", "test"], cwd=ROOT, capture_output=True, text=True)
    commands = [line for line in dry.stdout.splitlines() if "jupyter-book build" in line or "pytest book" in line]
    assert len(commands) == 2, dry.stdout + dry.stderr
    assert all(line.startswith("PYTHONPATH=tools/offline ") for line in commands), commands
    # In a network namespace of its own (loopback only): should the guard fail, no packet can leave.
    isolated = ["unshare", "--user", "--map-root-user", "--net"] if shutil.which("unshare") else []
    if not isolated:
        pytest.skip("util-linux's unshare is needed to probe the guard without any network")
    probe = subprocess.run(
        [*isolated, sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 443), timeout=3)"],
        cwd=ROOT, env={"PYTHONPATH": "tools/offline", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert probe.returncode != 0 and "network access is disabled" in probe.stderr
