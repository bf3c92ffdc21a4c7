"""The operating system's sandbox around one learner process: bubblewrap, resource limits, seccomp.

Nothing here runs inside the learner's process: the kernel enforces it all.

- **bubblewrap** (Debian's ``bubblewrap``) gives the learner its own mount, PID,
  network, IPC and UTS namespaces. Its filesystem is a read-only minimal root:
  ``/usr``, the Python interpreter and its packages, and the two grading files
  it runs; a private, size-limited ``/tmp`` and home folder; its own ``/proc``.
  The course's book, its checks and every installed copy of ``course_utils``,
  the submissions folder and the grader's files are not there at all; nor are
  the libraries an exercise may not use (Keras, TensorFlow, JAX, PyTorch unless
  its check module says ``SOLUTIONS_MAY_IMPORT``).
- **An unprivileged user**: as root, the learner runs as a user id of its own
  (one per grading slot, so one submission's processes never count against
  another's limit) with no capabilities; otherwise as the instructor's user in
  a user namespace that cannot make further ones.
- **Limits** (``prlimit``): memory, threads, CPU time, file size, open files.
- **seccomp** (libseccomp, where installed): no new processes (threads only),
  no ptrace, mounts, namespaces, kernel keyrings, BPF or io_uring, and no
  shared memory (``memfd_create``, System V segments, shared anonymous
  mappings), which no resource limit would count.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Where the learner's code lives inside the sandbox (the learner's home and working folder).
HOME = "/home/learner"
#: Where the two grading modules the learner process runs are mounted inside the sandbox.
GRADER_CODE = "/opt/grader"
#: Libraries hidden from solutions unless a chapter's check module lists them in SOLUTIONS_MAY_IMPORT:
#: the checks' answer keys (Keras computes the reference outputs) and the other backends' autodiff.
ANSWER_KEYS = ("keras", "tensorflow", "tf_keras", "jax", "jaxlib", "torch")
#: Always hidden: the course's package holds the checks and helpers that answer exercises.
COURSE_PACKAGE = "course_utils"
#: As root, the learner of grading slot k runs as user id UID_BASE + k: ids no account or container uses.
UID_BASE = 1_900_000_000
#: Slots per grading run: each run takes its own block of user ids (see slot_base), JOBS at most this many.
SLOTS_PER_RUN = 64


def slot_base() -> int:
    """The first slot of this grading run: two runs at once (two terminals, two test workers) never share
    a user id, so one's thread limit never counts the other's processes."""
    return (os.getpid() % 100_000) * SLOTS_PER_RUN

INSTALL_HINT = ("grading runs every submission in a bubblewrap sandbox: install Debian's `bubblewrap` "
                "package (sudo apt-get install bubblewrap)")


class SandboxUnavailable(RuntimeError):
    """The operating system cannot sandbox learner code here; grading refuses rather than run it bare."""


@dataclass(frozen=True)
class Limits:
    """What one learner process may use (enforced by the kernel)."""

    memory: int = 2 << 30  # bytes of private memory (RLIMIT_DATA: heap and writable mappings)
    threads: int = 256  # processes and threads of the learner's user id (RLIMIT_NPROC)
    cpu_seconds: int = 300  # RLIMIT_CPU; the grader's wall-clock limit usually stops it first
    file_size: int = 64 << 20  # bytes: the largest file it may write, its log included (RLIMIT_FSIZE)
    open_files: int = 256  # RLIMIT_NOFILE
    scratch: int = 64 << 20  # bytes of its home folder and of /tmp (tmpfs, in memory)


def _ancestors(path: Path) -> list[Path]:
    return list(reversed(path.parents))[1:]


def _site_dirs() -> list[Path]:
    """Every folder of installed packages this interpreter (or another on the machine) could import from."""
    found = {Path(p) for p in site.getsitepackages()}
    found |= {Path(sysconfig.get_path(key)) for key in ("purelib", "platlib")}
    for base in {sys.prefix, sys.base_prefix, "/usr", "/usr/local"}:
        for pattern in ("lib/python3*/site-packages", "lib/python3*/dist-packages", "lib/python3/dist-packages",
                        "lib64/python3*/site-packages"):
            found |= set(Path(base).glob(pattern))
    return sorted(p.resolve() for p in found if p.is_dir())


def _hidden_entries(directory: Path, names: tuple[str, ...]) -> tuple[list[Path], list[Path]]:
    """(folders, files) in a site folder that would import ``names``: packages, modules, editable finders, .pth."""
    folders, files = [], []
    for entry in directory.iterdir():
        stem = entry.name.split(".")[0].split("-")[0]
        if entry.is_dir() and entry.name in names:
            folders.append(entry)
        elif entry.is_file() and entry.suffix in (".py", ".so") and stem in names:
            files.append(entry)
        elif entry.is_file() and entry.suffix in (".pth", ".egg-link") or entry.name.startswith("__editable__"):
            try:
                text = entry.read_text(errors="replace")
            except OSError:
                continue
            if any(name in text for name in names) or str(ROOT) in text:
                files.append(entry)
    return folders, files


def _mounted_trees() -> list[Path]:
    """The host folders bound read-only into the sandbox: /usr and the interpreter's prefixes."""
    trees = {Path("/usr"), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    executable = Path(sys.executable).resolve()
    if not any(executable.is_relative_to(t) for t in trees):
        trees.add(executable.parent)
    # A tree inside another is bound with it.
    return sorted(t for t in trees if not any(t != o and t.is_relative_to(o) for o in trees))


@functools.lru_cache(maxsize=None)
def _blocker_dir() -> str:
    """A folder mounted over a hidden package: importing it says why, instead of failing obscurely."""
    folder = Path(tempfile.mkdtemp(prefix="grader-hidden-"))
    (folder / "__init__.py").write_text(
        "raise ImportError(f'{__name__} is not available while grading this exercise section: solutions use '\n"
        "                  'what its setup cell imports')\n")
    folder.chmod(0o755)
    (folder / "__init__.py").chmod(0o644)
    return str(folder)


@functools.lru_cache(maxsize=None)
def _empty_dir() -> str:
    folder = Path(tempfile.mkdtemp(prefix="grader-empty-"))
    folder.chmod(0o555)
    return str(folder)


def filesystem(hidden: tuple[str, ...], also_hide: tuple[Path, ...] = ()) -> list[str]:
    """bubblewrap arguments for the read-only minimal root, hiding ``hidden`` packages and the course."""
    # A /dev of three devices: no /dev/shm or /dev/zero to map shared memory from.
    args = ["--proc", "/proc", "--perms", "0755", "--dir", "/dev"]
    for device in ("null", "urandom", "random"):
        args.extend(["--dev-bind", f"/dev/{device}", f"/dev/{device}"])
    made: set[Path] = set()

    def bind(source: Path, dest: Path | None = None) -> None:
        dest = dest or source
        for parent in _ancestors(dest):  # bubblewrap would make them private (0700) to the learner's user
            if parent not in made and str(parent) not in ("/", "", "/tmp", HOME):
                made.add(parent)
                args.extend(["--perms", "0755", "--dir", str(parent)])
        args.extend(["--ro-bind", str(source), str(dest)])

    for name in ("bin", "lib", "lib64", "sbin"):
        top = Path("/") / name
        if top.is_symlink():
            args.extend(["--symlink", os.readlink(top), str(top)])
        elif top.is_dir():
            bind(top)
    trees = _mounted_trees()
    for tree in trees:
        bind(tree)
    for name in ("ld.so.cache", "ld.so.conf", "localtime"):
        if (Path("/etc") / name).exists():
            bind(Path("/etc") / name)
    # The course (book, checks, notebooks) and anything else given must not show through a mounted tree.
    for path in (ROOT, *also_hide):
        path = path.resolve()
        if any(path.is_relative_to(t) for t in trees) and not any(t.is_relative_to(path) for t in trees):
            args.extend(["--ro-bind", _empty_dir(), str(path)])
    for directory in _site_dirs():
        if not any(directory.is_relative_to(t) for t in trees):
            continue
        folders, files = _hidden_entries(directory, (COURSE_PACKAGE, *hidden))
        for folder in folders:
            args.extend(["--ro-bind", _blocker_dir(), str(folder)])
        for file in files:
            args.extend(["--ro-bind", "/dev/null", str(file)])
    here = Path(__file__).resolve().parent
    for name in ("__init__.py", "wire.py", "learner.py"):
        bind(here / name, Path(GRADER_CODE) / "tools" / "grading" / name)
    bind(here.parent / "__init__.py", Path(GRADER_CODE) / "tools" / "__init__.py")
    return args


# ---------------------------------------------------------------- seccomp, through libseccomp

_CLONE_THREAD = 0x00010000
_CLONE_NEWUSER = 0x10000000
_DENIED_SYSCALLS = (
    "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root",
    "chroot", "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "open_by_handle_at",
    "name_to_handle_at", "fsopen", "fsmount", "fsconfig", "move_mount", "open_tree",
    # Shared memory is counted by no resource limit: the memory limit holds only without it.
    "memfd_create", "shmget", "shmat", "shmctl",
    # Disk space the file-size limit would not count (FALLOC_FL_KEEP_SIZE).
    "fallocate",
)
_MAP_SHARED, _MAP_ANONYMOUS, _MAP_GROWSDOWN = 0x01, 0x20, 0x0100


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


@functools.lru_cache(maxsize=None)
def seccomp_program() -> bytes | None:
    """The compiled BPF filter (libseccomp exports it), or None where libseccomp is not installed."""
    name = ctypes.util.find_library("seccomp")
    if not name:
        return None
    lib = ctypes.CDLL(name, use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                           ctypes.POINTER(_ArgCmp)]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    allow, eperm, enosys = 0x7FFF0000, 0x00050000 | 1, 0x00050000 | 38
    masked_eq = 7
    ctx = lib.seccomp_init(allow)
    if not ctx:
        return None
    try:
        def rule(action: int, syscall: str, *cmps: _ArgCmp) -> None:
            number = lib.seccomp_syscall_resolve_name(syscall.encode())
            if number < 0:  # not a syscall on this architecture
                return
            array = (_ArgCmp * len(cmps))(*cmps) if cmps else None
            if lib.seccomp_rule_add_array(ctx, action, number, len(cmps), array) != 0:
                raise SandboxUnavailable(f"libseccomp refused the rule for {syscall}")

        for syscall in _DENIED_SYSCALLS:
            rule(eperm, syscall)
        # Threads are clone(CLONE_THREAD); a new process or namespace is refused. clone3 hides its flags
        # in memory a filter cannot read: ENOSYS makes the C library fall back to clone.
        rule(eperm, "clone", _ArgCmp(0, masked_eq, _CLONE_THREAD, 0))
        rule(eperm, "clone", _ArgCmp(0, masked_eq, _CLONE_NEWUSER, _CLONE_NEWUSER))
        rule(enosys, "clone3")
        rule(eperm, "mmap", _ArgCmp(3, masked_eq, _MAP_SHARED | _MAP_ANONYMOUS, _MAP_SHARED | _MAP_ANONYMOUS))
        rule(eperm, "mmap", _ArgCmp(3, masked_eq, _MAP_GROWSDOWN, _MAP_GROWSDOWN))  # not counted by RLIMIT_DATA
        with tempfile.TemporaryFile() as handle:
            if lib.seccomp_export_bpf(ctx, handle.fileno()) != 0:
                return None
            handle.seek(0)
            return handle.read()
    finally:
        lib.seccomp_release(ctx)


def _program_fd(program: bytes) -> int:
    """A fresh readable descriptor holding the filter, for bubblewrap's --seccomp."""
    fd = os.memfd_create("grader-seccomp", 0)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


# ---------------------------------------------------------------- the command


@functools.lru_cache(maxsize=None)
def _tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("bwrap", "prlimit", "setpriv")}
    missing = [name for name in ("bwrap", "prlimit") if not found[name]]
    if os.geteuid() == 0 and not found["setpriv"]:
        missing.append("setpriv")
    if "bwrap" in missing:
        raise SandboxUnavailable(INSTALL_HINT)
    if missing:
        raise SandboxUnavailable(f"grading needs util-linux's {' and '.join(missing)} (sudo apt-get install util-linux)")
    return found


@dataclass
class Command:
    """A learner command line wrapped in the sandbox, and the descriptors it must inherit."""

    argv: list[str]
    pass_fds: tuple[int, ...]
    own_fds: tuple[int, ...]  # opened here for the sandbox (its seccomp filter): closed once it started

    def close(self) -> None:
        for fd in self.own_fds:
            os.close(fd)


def wrap(argv: list[str], *, keep_fds: tuple[int, ...], slot: int, limits: Limits,
         hidden: tuple[str, ...] = ANSWER_KEYS, also_hide: tuple[Path, ...] = ()) -> Command:
    """``argv`` (an interpreter command, paths as inside the sandbox) run inside the sandbox."""
    tools = _tools()
    as_root = os.geteuid() == 0
    limit_args = [tools["prlimit"], f"--data={limits.memory}", f"--cpu={limits.cpu_seconds}",
                  f"--fsize={limits.file_size}", f"--nofile={limits.open_files}", "--core=0"]
    if as_root:  # the learner's own user id: the thread limit counts its processes alone
        limit_args.append(f"--nproc={limits.threads}")
    bwrap = [tools["bwrap"], "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
             "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if not as_root:
        bwrap += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    # The scratch folders first: a course cloned under /tmp is then bound on top of them, not hidden.
    for folder in ("/tmp", HOME):  # world-writable: only this learner's user exists in here
        bwrap += ["--size", str(limits.scratch), "--perms", "1777", "--tmpfs", folder]
    bwrap += filesystem(hidden, also_hide)
    bwrap += ["--chdir", HOME]
    extra: list[int] = []
    program = seccomp_program()
    if program:
        fd = _program_fd(program)
        extra.append(fd)
        bwrap += ["--seccomp", str(fd)]
    inner = list(argv)
    if as_root:
        uid = UID_BASE + slot
        inner = [tools["setpriv"], f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                 "--bounding-set=-all", "--no-new-privs", "--", *inner]
    return Command(limit_args + ["--"] + bwrap + ["--"] + inner, tuple(keep_fds) + tuple(extra), tuple(extra))


def environment() -> dict[str, str]:
    """The learner's whole environment: nothing of the grader's leaks in."""
    env = {"PATH": "/usr/bin:/bin", "HOME": HOME, "PYTHONPATH": GRADER_CODE, "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg", "LANG": "C.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "KERAS_BACKEND"):  # correctness settings, not secrets
        if name in os.environ:
            env[name] = os.environ[name]
    return env


@functools.lru_cache(maxsize=None)
def check_available() -> None:
    """Raise SandboxUnavailable, in one sentence, unless a sandboxed interpreter starts here."""
    command = wrap([sys.executable, "-c", "pass"], keep_fds=(), slot=0, limits=Limits())
    try:
        result = subprocess.run(command.argv, pass_fds=command.pass_fds, capture_output=True, text=True,
                                env=environment(), timeout=60)
    finally:
        command.close()
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise SandboxUnavailable(
            f"bubblewrap could not start a sandbox here ({why}); as a normal user it needs unprivileged user "
            "namespaces (on Ubuntu 24.04: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0), "
            "or run the grader as root")
