"""The grader against a dishonest class: no attack earns credit, harms a classmate, or outlives its sandbox.

Every attack is a chapter 1 submission. Two kinds:

- CHEATS hand in a wrong answer (exercise 1.1 returning 0) and try to turn it
  into credit: read the answer key, switch a guard off, copy a classmate, take
  over the grader, forge the reply. None may pass.
- PROBES hand in the right answer only if every forbidden thing they try is
  refused (network, writes outside the scratch folder, memory, processes...):
  each must pass, which proves the refusal and that grading still worked.

The whole class, with honest classmates graded before and after the attackers,
is graded with JOBS=1 and with JOBS=2: the classmates' rows must equal their
rows graded alone, every file must get its rows, and nothing outside the
sandbox's scratch folders may change. Network probes use loopback only.
"""

from __future__ import annotations

import csv
import os
import socket
import threading
from pathlib import Path

import nbformat
import pytest
from grading_support import (CHAPTER, EXERCISES, RIGHT_1_1, WRONG_1_1, all_right, needs_sandbox, read_rows,
                             submission)

from tools import grade
from tools.course_config import ROOT
from tools.grading import sandbox

needs_sandbox()

SECRET = "grader-secret-7d1f"  # in the grader's environment while the class is graded

# A search of the learner's whole filesystem: what it can see is all it can use.
WALK = (
    "import os\n"
    "def everything(limit=400_000):\n"
    "    tops = [os.path.join('/', d) for d in os.listdir('/') if d not in ('proc', 'sys', 'dev', 'usr')]\n"
    "    seen = 0\n"
    "    for start in [*tops, '/usr/local', '/usr/lib']:\n"
    "        for top, dirs, files in os.walk(start):\n"
    "            for name in files:\n"
    "                seen += 1\n"
    "                if seen > limit:\n"
    "                    return\n"
    "                yield os.path.join(top, name)\n"
)
# Use any notebook holding a solution of 1.1 (the instructor's, a classmate's) as our own.
STEAL = (
    "def steal(path):\n"
    "    import json\n"
    "    try:\n"
    "        cells = json.load(open(path))['cells']\n"
    "    except Exception:\n"
    "        return False\n"
    "    for cell in cells:\n"
    "        source = ''.join(cell.get('source', ''))\n"
    "        if 'def simple_rnn_param_count' in source and 'return 0' not in source:\n"
    "            exec(source, globals())\n"
    "            return True\n"
    "    return False\n"
)
# Write one framed pickle straight into the grader's pipe, as the reply to the grader's call.
FORGE = (
    "import os, pickle, struct, sys, time\n"
    "import numpy as np\n"
    "from tools.grading import wire\n"
    "def forge(data, size=None):\n"
    "    fd = int(sys.argv[2])\n"
    "    os.write(fd, struct.pack('!Q', len(data) if size is None else size) + data)\n"
    "    time.sleep(20)\n"
)


def forged(payload: str, size: str = "None") -> str:
    """A submission whose function answers with ``payload`` (the body of a function returning bytes)."""
    body = "".join(f"    {line}\n" for line in payload.splitlines())
    return FORGE + f"def payload():\n{body}" + (
        f"def simple_rnn_param_count(features, units):\n    forge(payload(), {size})\n")


# What a cheat defines when its attack works: the right answer.
SUCCEED = "def simple_rnn_param_count(features, units):\n    return units * (features + units + 1)\n"


def indented(code: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in code.splitlines())


CHEATS = {
    # Reading what the checks compare against.
    "instructor_notebook": (
        WRONG_1_1 + STEAL + f"steal({str(ROOT / 'book' / CHAPTER)!r})\n"),
    "instructor_notebook_via_proc_root": (
        WRONG_1_1 + STEAL + f"steal('/proc/self/root' + {str(ROOT / 'book' / CHAPTER)!r})\n"
        f"steal('/proc/1/root' + {str(ROOT / 'book' / CHAPTER)!r})\n"),
    "instructor_notebook_via_dir_fd": (
        WRONG_1_1 + STEAL + "import os\ntry:\n"
        f"    fd = os.open({str(ROOT / 'book')!r}, os.O_RDONLY)\n"
        f"    os.symlink('/proc/self/fd/%d/{CHAPTER}' % fd, 'nb.ipynb')\n"
        "    steal('nb.ipynb')\nexcept OSError:\n    pass\n"),
    "instructor_notebook_via_symlink": (
        WRONG_1_1 + STEAL + "import os\ntry:\n"
        f"    os.symlink({str(ROOT)!r}, 'course')\n    steal('course/book/{CHAPTER}')\nexcept OSError:\n    pass\n"),
    "instructor_notebook_via_libc": (
        WRONG_1_1 + "import ctypes, os\nlibc = ctypes.CDLL(None)\n"
        f"fd = libc.open({str(ROOT / 'book' / CHAPTER).encode()!r}, 0)\n"
        "if fd >= 0:\n    data = os.read(fd, 1 << 24).decode()\n" + indented(SUCCEED, 4)),
    "any_notebook_anywhere": WRONG_1_1 + WALK + STEAL + (
        "for path in everything():\n"
        "    if path.endswith('.ipynb') and steal(path):\n        break\n"),
    "course_package_anywhere": WRONG_1_1 + WALK + (
        "for path in everything():\n"
        "    if path.endswith(('exercises/_core.py', 'exercises/ch01.py')) and open(path).read():\n"
        + indented(SUCCEED, 8) + "        break\n"),
    "course_package_through_editable_finder": WRONG_1_1 + (
        "import glob, sys\n"
        "for finder in glob.glob(sys.prefix + '/lib/python3*/site-packages/__editable__*'):\n"
        "    text = open(finder).read()\n"
        f"    if {str(ROOT)!r} in text:\n"
        f"        sys.path.insert(0, {str(ROOT)!r})\n"
        "import course_utils\n" + SUCCEED),
    "keras_as_answer_key": (
        "def simple_rnn_param_count(features, units):\n"
        "    import keras\n"
        "    layer = keras.layers.SimpleRNN(units)\n"
        "    layer.build((None, None, features))\n"
        "    return layer.count_params()\n"),
    "keras_found_anywhere": WRONG_1_1 + WALK + (
        "for path in everything():\n"
        "    if path.endswith(('keras/__init__.py', 'tensorflow/__init__.py')) \\\n"
        "            and 'not available while grading' not in open(path).read():\n"
        + indented(SUCCEED, 8) + "        break\n"),
    "keras_in_a_subprocess": (
        "import subprocess, sys\n"
        "def simple_rnn_param_count(features, units):\n"
        "    code = f'import keras; l = keras.layers.SimpleRNN({units}); l.build((None, None, {features}));"
        " print(l.count_params())'\n"
        "    return int(subprocess.check_output([sys.executable, '-c', code]))\n"),
    # Switching a guard off: there is none in the learner's process to switch off.
    "patch_the_check": WRONG_1_1 + (
        "import course_utils.exercises.ch01 as m\n"
        "m.check_param_count = lambda f: print('✓ Exercise 1.1 passed: fake')\n"),
    "patch_builtins_and_importlib": WRONG_1_1 + (
        "import builtins, importlib, sys\n"
        "importlib.reload = lambda module: module\n"
        "builtins.AssertionError = type('Quiet', (Exception,), {})\n"
        "sys.modules['importlib'] = None\n"),
    "print_a_pass": WRONG_1_1 + "print('✓ Exercise 1.1 passed: units * (features + units + 1)')\n",
    "permissive_eq_int": (
        "class Anything(int):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\n"
        "def simple_rnn_param_count(features, units):\n    return Anything(0)\n"),
    "permissive_eq_object": (
        "class Anything:\n"
        "    def __eq__(self, other):\n        return True\n"
        "def simple_rnn_param_count(features, units):\n    return Anything()\n"),
    "walk_the_stack": (
        "import sys\n"
        "def simple_rnn_param_count(features, units):\n"
        "    frame = sys._getframe()\n"
        "    while frame:\n"
        "        for value in frame.f_locals.values():\n"
        "            if isinstance(value, int) and value > 0 and value == units * (features + units + 1):\n"
        "                return value\n"
        "        frame = frame.f_back\n"
        "    return 0\n"),
    # Taking over the grader, for this run and the next.
    "fake_keras_in_site_packages": WRONG_1_1 + (
        "import os, site, sysconfig\n"
        "fake = 'import builtins\\nprint(\"✓ passed\")\\n'\n"
        "for folder in {*site.getsitepackages(), sysconfig.get_path('purelib')}:\n"
        "    for name in ('keras/__init__.py', 'fake_keras.py', 'sitecustomize.py'):\n"
        "        try:\n"
        "            open(os.path.join(folder, name), 'w').write(fake)\n"
        "        except OSError:\n"
        "            pass\n"),
    "rewrite_the_check_module": WRONG_1_1 + WALK + (
        "for path in everything():\n"
        "    if path.endswith('exercises/ch01.py'):\n"
        "        try:\n"
        "            open(path, 'a').write('\\ncheck_param_count = lambda f: None\\n')\n"
        "        except OSError:\n"
        "            pass\n"),
    "pth_file_hiding_numpy": WRONG_1_1 + (
        "import site, sys\n"
        "for folder in site.getsitepackages():\n"
        "    try:\n"
        "        open(folder + '/zzz.pth', 'w').write(\"import sys; sys.modules['numpy'] = None\\n\")\n"
        "    except OSError:\n"
        "        pass\n"),
    # Sabotage of classmates graded at the same time.
    "garbage_into_every_pipe": WRONG_1_1 + (
        "import glob, os\n"
        "for path in glob.glob('/proc/[0-9]*/fd/*'):\n"
        "    if path.startswith(f'/proc/{os.getpid()}/'):\n"
        "        continue\n"
        "    try:\n"
        "        with open(path, 'wb', buffering=0) as handle:\n"
        "            handle.write(b'\\xff' * 64)\n"
        "    except OSError:\n"
        "        pass\n"),
    "kill_every_process": WRONG_1_1 + (
        "import os, signal\n"
        "for pid in (-1, os.getppid(), 1):\n"
        "    try:\n"
        "        os.kill(pid, signal.SIGKILL)\n"
        "    except OSError:\n"
        "        pass\n"),
    "exit_the_process": "import os\nos._exit(0)\n",
    "raise_system_exit": "def simple_rnn_param_count(features, units):\n    raise SystemExit(0)\n",
    "raise_keyboard_interrupt": "raise KeyboardInterrupt\n",
    # Forged replies: malformed carriers, endless nesting, cycles, bombs, wrong sizes.
    "forged_malformed_foreign": forged(
        "carrier = wire.Foreign.__new__(wire.Foreign)\n"
        "carrier.__dict__.update(type_name=3)\n"
        "return pickle.dumps(('return', carrier))"),
    "forged_deep_nesting": forged(
        "return b'\\x80\\x05\\x8c\\x06return' + b']' * 100_000 + b'a' * 99_999 + b'\\x86.'"),
    "forged_cycle": forged("return b'\\x80\\x05\\x8c\\x06return]q\\x00h\\x00a\\x86.'"),
    "forged_shared_reference_bomb": forged(
        "x = [1]\nfor _ in range(60):\n    x = [x, x]\nreturn pickle.dumps(('return', x))"),
    "forged_object_array": forged(
        "return pickle.dumps(('return', np.array([165, 'a', None], dtype=object)))"),
    "forged_code_running_pickle": forged("return b'\\x80\\x05cos\\nsystem\\n\\x8c\\x04true\\x85R.'"),
    "forged_huge_frame": forged("return b'x'", size="1 << 62"),
    "forged_estimator": forged("return pickle.dumps(('return', wire.Estimator('os.system', {})))"),
    "forged_huge_integer": forged("return pickle.dumps(('return', 1 << 400_000))"),
    "forged_huge_exception_text": forged("return pickle.dumps(('raise', 'E' * 10**6, '\\n| x |' * 10**6))"),
    "forged_ready_reply": FORGE + "forge(pickle.dumps(('ready', 5, [1])))\n" + WRONG_1_1,
}

def probe(code: str) -> str:
    """The right answer for 1.1 if ``code``'s ``got_through()`` finds every forbidden thing refused; else -1."""
    return code + "GOT_THROUGH = got_through()\n" + (
        "def simple_rnn_param_count(features, units):\n"
        "    return -1 if GOT_THROUGH else units * (features + units + 1)\n")


def refused_all(*attempts: str) -> str:
    """``got_through``: True if any of the statements runs without raising."""
    tries = "".join(f"    try:\n        {a}\n        return True\n    except BaseException:\n        pass\n"
                    for a in attempts)
    return "def got_through():\n" + tries + "    return False\n"


PROBES = {
    "network_to_the_graders_loopback": probe(
        "import socket\n" + refused_all("socket.create_connection(('127.0.0.1', PORT), 2)")),
    "network_interfaces": probe(
        "import socket\ndef got_through():\n    return [n for _, n in socket.if_nameindex()] != ['lo']\n"),
    "writes_outside_the_scratch_folder": probe("import sys\n" + refused_all(
        "open('/etc/grader-canary', 'w')", "open('/usr/lib/grader-canary', 'w')",
        "open(sys.prefix + '/grader-canary', 'w')", f"open({str(ROOT / 'grader-canary')!r}, 'w')",
        "open('/opt/grader/tools/grading/wire.py', 'a')")),
    "memory_beyond_the_limit": probe(refused_all("bytearray(4 << 30)")),
    "shared_memory_beyond_the_limit": probe("import ctypes, mmap, os\nlibc = ctypes.CDLL(None)\n" + refused_all(
        "mmap.mmap(-1, 4 << 30)", "os.memfd_create('x')", "open('/dev/shm/x', 'wb')", "open('/dev/zero', 'rb')",
        "assert libc.shmget(0, 4 << 30, 0o1000 | 0o600) != -1")),
    "starting_programs": probe("import ctypes, os, subprocess\nlibc = ctypes.CDLL(None)\n" + refused_all(
        "subprocess.run(['true'], check=True)", "os.fork()", "assert libc.fork() != -1",
        "assert libc.system(b'true') == 0")),
    "privileges": probe("import ctypes, os\nlibc = ctypes.CDLL(None)\n" + refused_all(
        "os.setuid(0)", "assert libc.unshare(0x10000000) == 0", "assert libc.ptrace(16, 1, 0, 0) == 0")),
    "the_graders_secrets": probe(
        "import glob, os\ndef got_through():\n"
        f"    found = {SECRET!r} in os.environ\n"
        "    for path in glob.glob('/proc/*/environ'):\n"
        "        try:\n"
        f"            found = found or {SECRET.encode()!r} in open(path, 'rb').read()\n"
        "        except OSError:\n"
        "            pass\n"
        "    return found\n"),
    "filling_the_disk": probe(refused_all(
        "[open(f'/tmp/fill{i}', 'wb').write(b'x' * (16 << 20)) for i in range(64)]",
        "[open(f'fill{i}', 'wb').write(b'x' * (16 << 20)) for i in range(64)]")),
    "too_many_threads": probe("import threading, time\n" + refused_all(
        "[threading.Thread(target=time.sleep, args=(3,), daemon=True).start() for _ in range(5000)]")),
    "memory_through_a_growsdown_mapping": probe(
        "import ctypes, mmap\nlibc = ctypes.CDLL(None)\nlibc.mmap.restype = ctypes.c_void_p\n"
        "libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, "
        "ctypes.c_long]\n" + refused_all(
            "assert libc.mmap(None, 3 << 30, 3, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | 0x100, -1, 0) "
            "not in (None, ctypes.c_void_p(-1).value)")),
    "disk_past_the_file_size_limit": probe(
        "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.fallocate.argtypes = [ctypes.c_int] * 2 + [ctypes.c_long] * 2\n"
        + refused_all("assert libc.fallocate(1, 1, 0, 2 << 30) == 0")),
    "flooding_the_log": probe("import os\n" + refused_all("assert os.write(2, b'x' * (200 << 20)) == 200 << 20")),
}

NAMES = {  # cheats named to attack the output files too
    "formula_in_the_file_name": "=HYPERLINK(\"http-x\")_" + CHAPTER,
    "markdown_in_the_message": "md_" + CHAPTER,
}
MARKDOWN_MESSAGE = ("raise ValueError('line one\\n| injected | row |\\n[click](javascript:x) <img src=x> "
                    "https://evil.example/x $10^{99}$ \\u2028| a | b |')\n")
#: Submissions that try to stop or hang the batch: they may be graded any way, but the batch must finish.
DISRUPTORS = {"pipe_jam": (ROOT / "tests" / "grading_pipe_jam.py").read_text()}
#: A file that is not a notebook nbformat can describe safely: an execution count nested 450 deep.
DEEP_NOTEBOOK = ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", '
                 '"id": "a", "metadata": {}, "outputs": [], "source": "", "execution_count": '
                 + "[" * 450 + "]" * 450 + "}]}")


def classmates() -> dict[str, nbformat.NotebookNode]:
    return {f"aa_right_{CHAPTER}": all_right(), f"zz_right_{CHAPTER}": all_right(),
            f"zz_wrong_{CHAPTER}": submission(ex1_1=WRONG_1_1), f"zz_stub_{CHAPTER}": submission()}


@pytest.fixture(scope="module")
def loopback():
    """A TCP server on the grader's loopback that records every connection (bounded: it stops with the tests)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0].close())
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(5)
    server.close()


def _snapshot() -> dict[str, tuple[int, int]]:
    """What the sandbox must leave alone: the course, the interpreter's packages, /etc, /tmp's top level."""
    watched = [ROOT / "book", ROOT / "course_utils", ROOT / "tools", Path(os.__file__).parent.parent, Path("/etc")]
    seen = {}
    for top in watched:
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                seen[path] = (info.st_mtime_ns, info.st_size)
    for entry in Path("/tmp").iterdir():
        seen[str(entry)] = (0, 0)
    return seen


@pytest.fixture(scope="module")
def graded(tmp_path_factory, loopback):
    port, _ = loopback
    os.environ[SECRET] = SECRET
    try:
        base = tmp_path_factory.mktemp("class")
        alone, subs = base / "alone", base / "with attackers"
        alone.mkdir()
        subs.mkdir()
        for name, nb in classmates().items():
            nbformat.write(nb, alone / name)
            nbformat.write(nb, subs / name)
        for name, source in CHEATS.items():
            nbformat.write(submission(ex1_1=source), subs / f"{name}_{CHAPTER}")
        for name, source in PROBES.items():
            nbformat.write(submission(ex1_1=source.replace("PORT", str(port))), subs / f"{name}_{CHAPTER}")
        nbformat.write(submission(ex1_1=WRONG_1_1), subs / NAMES["formula_in_the_file_name"])
        nbformat.write(submission(ex1_1=MARKDOWN_MESSAGE), subs / NAMES["markdown_in_the_message"])
        for name, source in DISRUPTORS.items():
            nbformat.write(submission(ex1_1=source), subs / f"{name}_{CHAPTER}")
        (subs / f"deep_nesting_{CHAPTER}").write_text(DEEP_NOTEBOOK)
        before = _snapshot()
        baseline = grade.grade(alone, base / "alone.csv", timeout=30)
        runs = {jobs: (grade.grade(subs, base / f"jobs{jobs}" / "grades.csv", timeout=30, jobs=jobs),
                       base / f"jobs{jobs}" / "grades.csv") for jobs in (1, 2)}
        later = grade.grade(alone, base / "later.csv", timeout=30)
        after = _snapshot()
    finally:
        del os.environ[SECRET]
    yield {"baseline": baseline, "runs": runs, "later": later, "before": before, "after": after}


def _row(rows, name, exercise="1.1"):
    return next(r for r in rows if r.student_file == name and r.exercise == exercise)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("attack", sorted([*CHEATS, *NAMES]))
@pytest.mark.rule
def test_no_cheat_earns_credit(graded, jobs, attack):
    rows, _ = graded["runs"][jobs]
    name = NAMES.get(attack, f"{attack}_{CHAPTER}")
    assert not any(r.passed for r in rows if r.student_file == name), [r for r in rows if r.student_file == name]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("attack", sorted(PROBES))
@pytest.mark.rule
def test_every_forbidden_thing_is_refused_and_grading_goes_on(graded, jobs, attack):
    rows, _ = graded["runs"][jobs]
    row = _row(rows, f"{attack}_{CHAPTER}")
    assert row.passed, row


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.rule
def test_classmates_get_the_rows_they_get_alone(graded, jobs):
    rows, _ = graded["runs"][jobs]
    assert [r for r in rows if r.student_file in classmates()] == graded["baseline"]
    assert graded["later"] == graded["baseline"]  # and nothing carried over into the next run
    assert all(r.passed for r in graded["baseline"] if r.student_file.startswith(("aa_right", "zz_right")))


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_file_gets_a_row_per_exercise(graded, jobs):
    rows, out = graded["runs"][jobs]
    names = {r.student_file for r in rows}
    assert len(names) == len(classmates()) + len(CHEATS) + len(PROBES) + len(NAMES) + len(DISRUPTORS) + 1
    deep = [r for r in rows if r.student_file == f"deep_nesting_{CHAPTER}"]
    assert len(deep) == len(EXERCISES) and not any(r.passed for r in deep)
    assert len(rows) == len(names) * len(EXERCISES)
    assert len(read_rows(out)) == len(rows)
    assert graded["runs"][1][0] == graded["runs"][2][0]


def test_the_real_checks_verdict_and_a_clear_reason(graded):
    rows, _ = graded["runs"][1]
    for attack in ("patch_the_check", "patch_builtins_and_importlib", "print_a_pass", "fake_keras_in_site_packages",
                   "garbage_into_every_pipe", "kill_every_process", "pth_file_hiding_numpy"):
        assert "you return 0" in _row(rows, f"{attack}_{CHAPTER}").message, attack
    assert "is not available while grading" in _row(rows, f"keras_as_answer_key_{CHAPTER}").message
    for attack in CHEATS:
        if attack.startswith("forged_") and attack not in ("forged_ready_reply", "forged_huge_exception_text"):
            message = _row(rows, f"{attack}_{CHAPTER}").message
            assert "other than plain data" in message or "answered out of turn" in message, (attack, message)
    assert "stopped the grading process" in _row(rows, f"exit_the_process_{CHAPTER}").message
    assert max(len(r.message) for r in rows) < 2000


@pytest.mark.rule
def test_nothing_outside_the_sandbox_changed(graded, loopback):
    before, after = graded["before"], graded["after"]
    changed = sorted(p for p in before.keys() & after.keys() if before[p] != after[p])
    created = sorted(p for p in after.keys() - before.keys() if not p.startswith("/tmp/"))
    assert not changed and not created, (changed[:5], created[:5])
    tmp_created = {p for p in after.keys() - before.keys() if p.startswith("/tmp/")}
    if os.geteuid() == 0:  # the learners' own user ids own nothing that outlived them
        owned = [p for p in tmp_created if os.lstat(p).st_uid >= sandbox.UID_BASE]
        assert not owned, owned
    assert loopback[1] == [], "a learner reached the grader's loopback"


def test_output_files_are_safe_to_open(graded):
    rows, out = graded["runs"][1]
    with out.open(newline="") as handle:
        cells = [cell for line in csv.reader(handle) for cell in line]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    summary = (out.parent / "grades_summary.md").read_text()
    assert all(line.count("|") - line.count("\\|") == 5 for line in summary.splitlines())
    assert "[click]" not in summary and "<img" not in summary
    assert "https://" not in summary and "$10" not in summary and "\u2028" not in summary


def test_folder_names_never_reach_a_shell(tmp_path):
    subs = tmp_path / "it's \"here\" $(touch pwned) `touch pwned2`; touch pwned3"
    subs.mkdir()
    nbformat.write(all_right(), subs / CHAPTER)
    rows = grade.grade(subs, tmp_path / "grades.csv", timeout=30)
    assert all(r.passed for r in rows), rows
    assert not any(Path(p).exists() for p in ("pwned", "pwned2", "pwned3", ROOT / "pwned", tmp_path / "pwned"))


def test_a_symlinked_submission_is_not_read(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / f"sly_{CHAPTER}").symlink_to(ROOT / "book" / CHAPTER)
    rows = grade.grade(subs, tmp_path / "grades.csv", timeout=30)
    assert not any(r.passed for r in rows) and "symbolic link" in rows[0].message


@pytest.mark.parametrize("make", ["directory", "symlink"])
def test_an_unusable_output_path_is_refused_before_grading(tmp_path, make):
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(all_right(), subs / CHAPTER)
    out = tmp_path / "grades.csv"
    if make == "directory":
        out.mkdir()
    else:
        out.symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(SystemExit, match="--out"):
        grade.grade(subs, out, timeout=30)


def test_the_guide_states_the_sandbox_as_it_is():
    guide = (ROOT / "book" / "instructors.md").read_text()
    limits = sandbox.Limits()
    assert f"class of {len(CHEATS) + len(PROBES) + len(NAMES) + len(DISRUPTORS) + 1} such submissions" in guide
    assert f"`/tmp` of {limits.scratch >> 20} MB each" in guide
    assert f"{limits.memory >> 30} GB of memory, {limits.threads} threads, {limits.file_size >> 20} MB per file" in guide
    assert "twice the time limit of CPU" in guide and "int(2 * timeout)" in (
        ROOT / "tools" / "grading" / "session.py").read_text()
