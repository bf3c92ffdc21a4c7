"""The workflow that publishes the website: it lints clean, builds with the user's
command, uploads what that command writes, runs Colab's Python, and deploys with
GitHub's own Pages actions."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
RUNTIME = ROOT / "colab-runtime.txt"


def actionlint() -> str:
    """The actionlint binary that requirements.txt installs next to this Python."""
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(
            f"actionlint is not installed next to {sys.executable}: "
            "requirements.txt installs it (make install)"
        )
    return found


def run_actionlint(*files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-no-color", *map(str, files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(PAGES.read_text())


def steps(workflow: dict) -> list[tuple[str, int, dict]]:
    """Every step as (job id, position in its job, step)."""
    return [(job, i, step) for job, spec in workflow["jobs"].items() for i, step in enumerate(spec["steps"])]


def step_using(workflow: dict, action: str) -> tuple[str, int, dict]:
    """The one step that uses ``action`` (owner/name, any version)."""
    found = [s for s in steps(workflow) if s[2].get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"pages.yml should use {action} exactly once, found {len(found)}"
    return found[0]


def colab_python() -> str:
    match = re.search(r"^#\s*python:\s*(\d+\.\d+)\s*$", RUNTIME.read_text(), flags=re.MULTILINE)
    assert match, "colab-runtime.txt has no '# python: X.Y' line"
    return match[1]


# -- actionlint ------------------------------------------------------------------------


def test_actionlint_passes_every_workflow():
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert PAGES in files
    result = run_actionlint(*files, cwd=ROOT)
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"


# Each breakage is one a person could make; actionlint must name it.
BREAKAGES = {
    "unknown job key": ("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minute: 30", "timeout-minute"),
    "misspelt action input": ("path: _build/html", "pth: _build/html", '"pth"'),
    "missing step output": ("steps.deployment.outputs.page_url", "steps.deployment.outputs.pages_url", "pages_url"),
    "undefined job in needs": ("needs: build", "needs: biuld", "biuld"),
}


@pytest.mark.parametrize("old, new, named", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_actionlint_refuses_a_broken_copy(tmp_path, old, new, named):
    text = PAGES.read_text()
    assert old in text, f"pages.yml no longer contains {old!r}: update this test's breakage"
    broken = tmp_path / ".github" / "workflows" / "x.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1))
    result = run_actionlint(broken, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"actionlint accepted a workflow with a {old!r} -> {new!r} error:\n{output}"
    assert named in output, f"actionlint failed without naming {named}:\n{output}"


# -- the build is `make book`, and the artifact is what it writes ----------------------------


def test_the_build_step_is_make_book(workflow):
    commands = [(job, i, step["run"].strip()) for job, i, step in steps(workflow) if "run" in step]
    builds = [(job, i) for job, i, command in commands if "make" in command.split() or "jupyter-book" in command]
    assert len(builds) == 1, f"expected one build step, found {commands}"
    job, i = builds[0]
    build = workflow["jobs"][job]["steps"][i]["run"].strip()
    assert build == "make book", f"the build step should run the README's command, `make book`, not {build!r}"
    # Checked out and on Colab's Python before the build; uploaded from the same job after it.
    for action in ("actions/checkout", "actions/setup-python"):
        a_job, a_i, _ = step_using(workflow, action)
        assert (a_job, a_i) < (job, i), f"{action} must run before `make book` in job {job!r}"
    up_job, up_i, _ = step_using(workflow, "actions/upload-pages-artifact")
    assert up_job == job and up_i > i, "the artifact must be uploaded after `make book`, in the same job"


def makefile_html_dir() -> Path:
    """Where `make book` writes the site, read from the command make would run."""
    dry = subprocess.run(
        ["make", "--dry-run", "--always-make", "book"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0, dry.stderr
    builds = [line for line in dry.stdout.splitlines() if "jupyter-book build" in line]
    assert len(builds) == 1, f"`make book` should run jupyter-book build once:\n{dry.stdout}"
    argv = shlex.split(builds[0])
    args = argv[argv.index("build") + 1 :]
    source = next(a for a in args if not a.startswith("-"))

    def option(name: str, default: str) -> str:
        return args[args.index(name) + 1] if name in args else default

    assert option("--builder", "html") == "html", builds[0]
    # Jupyter Book writes <path-output>/_build/<builder>, path-output defaulting to the source folder.
    return (ROOT / option("--path-output", source) / "_build" / "html").resolve()


def test_the_artifact_is_the_html_make_book_writes(workflow):
    _, _, upload = step_using(workflow, "actions/upload-pages-artifact")
    path = upload.get("with", {}).get("path")
    assert path, "upload-pages-artifact needs a path (its default, _site/, is not what make book writes)"
    assert (ROOT / path).resolve() == makefile_html_dir(), (
        f"pages.yml uploads {path!r}, but make book writes {makefile_html_dir().relative_to(ROOT)}"
    )


# -- Colab's Python ----------------------------------------------------------------------


def test_setup_python_takes_the_version_from_the_runtime_step(workflow):
    _, _, setup = step_using(workflow, "actions/setup-python")
    version = str(setup.get("with", {}).get("python-version", ""))
    match = re.fullmatch(r"\$\{\{\s*steps\.(\w[\w-]*)\.outputs\.python\s*\}\}", version)
    assert match, f"python-version should come from colab-runtime.txt through a step's output, not {version!r}"
    reader = [s for _, _, s in steps(workflow) if s.get("id") == match[1]]
    assert len(reader) == 1 and "colab-runtime.txt" in reader[0]["run"]


def run_version_step(workflow: dict, cwd: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """Runs the step that reads colab-runtime.txt the way GitHub runs it (bash -eo pipefail)."""
    _, _, setup = step_using(workflow, "actions/setup-python")
    version = str(setup.get("with", {}).get("python-version", ""))
    match = re.search(r"steps\.([\w-]+)\.outputs", version)
    assert match, f"python-version is {version!r}, not read from colab-runtime.txt by a step"
    (script,) = [s["run"] for _, _, s in steps(workflow) if s.get("id") == match[1]]
    output.write_text("")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_workflow_runs_the_python_colab_runs(workflow, tmp_path):
    output = tmp_path / "github_output"
    result = run_version_step(workflow, ROOT, output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert output.read_text().splitlines() == [f"python={colab_python()}"]


def test_the_version_step_fails_without_a_recorded_version(workflow, tmp_path):
    (tmp_path / "colab-runtime.txt").write_text("# Colab's runtime\ntensorflow==2.20.0\n")
    output = tmp_path / "github_output"
    result = run_version_step(workflow, tmp_path, output)
    assert result.returncode != 0, "the workflow would go on with no Python version"
    assert "python" in result.stdout + result.stderr
    assert output.read_text() == ""


# -- GitHub's own Pages actions, permissions, triggers -------------------------------------


def test_it_deploys_with_the_official_pages_actions(workflow):
    for job, _, step in steps(workflow):
        uses = step.get("uses")
        if uses:
            assert re.fullmatch(r"actions/[\w-]+@v\d+", uses), f"{uses}: use GitHub's own actions at a major version"
    upload_job, _, _ = step_using(workflow, "actions/upload-pages-artifact")
    step_using(workflow, "actions/configure-pages")
    deploy_job, _, deploy = step_using(workflow, "actions/deploy-pages")
    spec = workflow["jobs"][deploy_job]
    needs = spec.get("needs") or []
    assert deploy_job != upload_job and upload_job in ([needs] if isinstance(needs, str) else needs), (
        f"job {deploy_job} must wait for job {upload_job}, which uploads the site"
    )
    assert spec["environment"]["name"] == "github-pages"
    assert spec["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % deploy["id"]


def test_permissions_are_the_pages_ones(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    for job, spec in workflow["jobs"].items():
        assert "permissions" not in spec, f"job {job} overrides the workflow's permissions"


def test_it_runs_on_pushes_to_main_and_by_hand_one_at_a_time(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["group"] == "pages"


CLASSROOM = ROOT / "tools" / "classroom" / "grade-submission.yml"


def test_classroom_grading_workflow_lints_clean_and_its_grading_command_works(tmp_path):
    """The per-student workflow the instructor's guide ships: lint-clean, and its grading step, run here on a
    folder laid out like the job's (submission/ beside course/), grades a right answer as passed."""
    import nbformat

    from tools import student
    from tools.exercise_cells import role

    result = run_actionlint(CLASSROOM, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    spec = yaml.safe_load(CLASSROOM.read_text())
    grading = [step for job in spec["jobs"].values() for step in job["steps"] if "-m tools.grade" in step.get("run", "")]
    assert len(grading) == 1 and grading[0]["working-directory"] == "course"
    command = shlex.split(grading[0]["run"])
    assert command[0] == "sudo" and command[1] == ".venv/bin/python"
    chapter = sorted((ROOT / "book").glob("01_*.ipynb"))[0]
    instructor = nbformat.read(chapter, as_version=4)
    nb = student.student_notebook(instructor)
    first = next(c for c in instructor.cells if role(c)[0] == "solution")
    next(c for c in nb.cells if role(c) == role(first)).source = first.source
    (tmp_path / "submission").mkdir()
    nbformat.write(nb, tmp_path / "submission" / chapter.name)
    (tmp_path / "course").symlink_to(ROOT)
    args = [a.replace("../", f"{tmp_path}/") for a in command[2:]]
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    grades = (tmp_path / "grades" / "grades.csv").read_text().splitlines()
    assert grades[1].startswith(f"{chapter.name},01,{role(first)[1]},True,"), grades
    assert (tmp_path / "grades" / "grades_summary.md").is_file()
    guide = (ROOT / "book" / "instructors.md").read_text()
    assert "../tools/classroom/grade-submission.yml" in guide, "the guide must include the workflow file itself"
