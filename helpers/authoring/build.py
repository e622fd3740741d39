"""``course-build``: lesson masters (``lessons/NN_slug.md``) → student notebooks and autograders.

For each master (jupytext Markdown in otter-grader's format, see ``lessons/README.md``):

1. jupytext turns it into a notebook; right after the ``# ASSIGNMENT CONFIG`` cell the build
   inserts the "Colab에서 열기" badge (with a reminder to save a copy to Drive) and the set-up
   cell (clone + install on Colab only, with Korean advice when either fails, then
   ``helpers.preflight()``, ``feedback.install()`` and ``grader = otter.Notebook(tests_dir="tests")``).
   The repository URL is ``[tool.course-build] release-repository`` of the repository's
   ``pyproject.toml`` when set (the public student release), else ``[project.urls] Repository``;
   ``--repo-url`` overrides both.
2. ``otter assign --no-pdfs`` (a subprocess, ``COURSE_PROFILE=quick``, ``MPLBACKEND=Agg``) strips
   the solutions and runs every public and hidden test against them: a failing solution fails the
   build and otter's output is shown.
3. Outputs, normalised so that two builds are byte-identical::

       notebooks/NN_slug.ipynb            student copy: no solutions, no hidden tests, no outputs
       notebooks/tests/<question>.py      public tests (shared folder: names are course-unique)
       build/solutions/NN_slug.ipynb      solution copy (+ build/solutions/tests/ with hidden tests)
       build/autograder/NN_slug.zip       otter's autograder (stable name, fixed zip timestamps)
       build/autograder/NN_slug.json      manifest: questions in notebook order with their points

``course-build --check`` builds into a temporary folder and compares it with ``notebooks/``.
``course-build --release DIR`` writes the public student repository (see
:mod:`helpers.authoring.release`): notebooks, public tests, ``helpers``, packaging, README and
licence, and no solution or hidden test anywhere.
Python API: :func:`build_lessons`, :func:`check_up_to_date` and
:func:`helpers.authoring.release.write_release`.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from helpers import checks
from helpers.authoring import notebook_io, runtime

LESSON_RE = re.compile(r"^(\d\d)_.+\.md$")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MARKERS = ("QUESTION", "SOLUTION", "TESTS", "PROMPT")
DEFAULT_OTTER_TIMEOUT = 1800


class BuildError(RuntimeError):
    """A lesson could not be built; the message names the lesson file and what to fix."""


@dataclass
class LessonBuild:
    """What one lesson produced."""

    lesson: str
    source: Path
    questions: list[str]
    student_notebook: Path
    public_tests: list[Path]
    solution_notebook: Path
    autograder_zip: Path
    manifest: Path
    seconds: float
    otter_output: str = ""


@dataclass
class BuildResult:
    """Everything a :func:`build_lessons` call wrote (paths are absolute)."""

    lessons: list[LessonBuild]
    out_dir: Path
    build_dir: Path
    removed: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def by_lesson(self, lesson: str) -> LessonBuild:
        for item in self.lessons:
            if item.lesson == lesson:
                return item
        raise KeyError(lesson)


@dataclass
class CheckResult:
    """Difference between a fresh build and the committed ``notebooks/`` folder."""

    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.stale or self.missing or self.extra)

    def report(self) -> str:
        if self.ok:
            return "notebooks/ 가 레슨 원본(lessons/)과 일치합니다."
        lines = ["notebooks/ 가 레슨 원본(lessons/)과 다릅니다:"]
        lines += [f"  바뀜(stale):   {p}" for p in self.stale]
        lines += [f"  없음(missing): {p}" for p in self.missing]
        lines += [f"  남는 파일(extra): {p}" for p in self.extra]
        lines.append("`course-build` 를 실행해 다시 만든 뒤 커밋하세요 (notebooks/ 는 손으로 고치지 않습니다).")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Lessons and the repository URL
# --------------------------------------------------------------------------------------------
def find_lessons(lessons_dir: str | Path, only: Sequence[str] | None = None) -> list[Path]:
    """Lesson masters ``NN_slug.md`` in ``lessons_dir`` (sorted), optionally only some.

    ``only`` items match a lesson by its number (``"01"``) or its full name (``"01_logits_softmax"``).
    """
    lessons_dir = Path(lessons_dir)
    if not lessons_dir.is_dir():
        raise BuildError(f"레슨 폴더 {str(lessons_dir)!r} 가 없습니다. --lessons-dir 를 확인하세요.")
    masters = sorted(p for p in lessons_dir.iterdir() if p.is_file() and LESSON_RE.match(p.name))
    if only:
        wanted = [str(o).strip() for o in only]
        chosen = [p for p in masters if p.stem[:2] in wanted or p.stem in wanted or p.name in wanted]
        known = {p.stem[:2] for p in masters} | {p.stem for p in masters} | {p.name for p in masters}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise BuildError(
                f"--only 로 고른 레슨 {unknown} 을(를) {lessons_dir} 에서 찾을 수 없습니다 "
                f"(있는 레슨: {[p.stem for p in masters]})."
            )
        masters = chosen
    return masters


def find_pyproject(start: Path | None) -> Path | None:
    """The repository's ``pyproject.toml``: looked up from ``start`` upwards, then from this
    package's location upwards; ``None`` when there is none."""
    candidates: list[Path] = []
    if start is not None:
        candidates += [start.resolve(), *start.resolve().parents]
    here = Path(__file__).resolve()
    candidates += list(here.parents)
    for folder in candidates:
        path = folder / "pyproject.toml"
        if path.is_file():
            return path
    return None


def _read_pyproject(start: str | Path | None) -> tuple[Path, dict[str, Any]]:
    path = find_pyproject(Path(start) if start is not None else None)
    if path is None:
        raise BuildError("pyproject.toml 을 찾을 수 없어 저장소 주소를 알 수 없습니다.")
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib  # Python ≥ 3.11
    except ImportError:  # pragma: no cover - Python 3.10
        tomllib = None
    if tomllib is not None:
        return path, tomllib.loads(text)
    data: dict[str, Any] = {}  # pragma: no cover - Python 3.10: only the two keys this module reads
    match = re.search(r'^\s*Repository\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match:
        data.setdefault("project", {}).setdefault("urls", {})["Repository"] = match.group(1)
    match = re.search(r'^\s*release-repository\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match:
        data.setdefault("tool", {}).setdefault("course-build", {})["release-repository"] = match.group(1)
    return path, data


def read_repository_url(start: str | Path | None = None) -> str:
    """``[project.urls] Repository`` of the repository's ``pyproject.toml``.

    The file is looked up from ``start`` upwards, then from this package's location upwards.
    """
    path, data = _read_pyproject(start)
    url = data.get("project", {}).get("urls", {}).get("Repository")
    if not url:
        raise BuildError(f"{path} 에 [project.urls] Repository 가 없습니다. 저장소 주소를 적어 주세요.")
    return str(url)


def read_release_url(start: str | Path | None = None) -> str:
    """The URL students open: ``[tool.course-build] release-repository``, else ``[project.urls] Repository``.

    In the two-repository workflow (private source, public student release; see
    ``docs/instructors.md``) the source's ``pyproject.toml`` names the public release here, so the
    Colab badges and the set-up cell's ``git clone`` of every build point at the release.
    """
    path, data = _read_pyproject(start)
    url = data.get("tool", {}).get("course-build", {}).get("release-repository")
    if url is not None and not (isinstance(url, str) and url.strip()):
        raise BuildError(f"{path} 의 [tool.course-build] release-repository 는 GitHub 주소 문자열이어야 합니다: {url!r}.")
    return str(url).strip() if url else read_repository_url(start)


def github_owner_repo(url: str) -> tuple[str, str]:
    """``("owner", "repo")`` of a GitHub URL such as ``https://github.com/owner/repo(.git)``."""
    match = re.match(r"^https?://github\.com/([^/\s]+)/([^/\s]+?)(?:\.git)?/?$", url.strip())
    if not match:
        raise BuildError(
            f"저장소 주소 {url!r} 가 GitHub 주소(https://github.com/<owner>/<repo>) 형식이 아닙니다. "
            "Colab 배지는 GitHub 저장소에서만 동작합니다."
        )
    return match.group(1), match.group(2)


DRIVE_REMINDER = (
    "Colab에서 열었다면 먼저 **파일 > Drive에 사본 저장**을 누르고 그 사본에서 작업하세요. "
    "사본 없이 고친 내용은 런타임이 끝나면 사라집니다."
)


def badge_source(url: str, lesson: str) -> str:
    """Markdown of the "Colab에서 열기" badge for ``notebooks/<lesson>.ipynb`` and the Drive reminder."""
    owner, repo = github_owner_repo(url)
    target = f"https://colab.research.google.com/github/{owner}/{repo}/blob/main/notebooks/{lesson}.ipynb"
    badge = f"[![Colab에서 열기](https://colab.research.google.com/assets/colab-badge.svg)]({target})"
    return f"{badge}\n\n{DRIVE_REMINDER}"


def setup_source(url: str) -> str:
    """The set-up code cell: on Colab clone + install the course; everywhere preflight + grader.

    On Colab a failed ``git clone`` or ``pip install`` prints the tail of the tool's output and
    raises a Korean ``RuntimeError`` that says what failed and what to do; a half-finished clone
    is removed so that running the cell again starts over (``.course_installed`` marks success).
    ``feedback.install()`` makes ``grader.check`` print its Korean hint in a few lines (see
    :mod:`helpers.feedback`); the grader itself is a plain ``otter.Notebook``.
    """
    _, repo = github_owner_repo(url)
    clone_url = url.strip().rstrip("/")
    return (
        "# 준비 셀: 먼저 실행하세요. Colab에서는 코스 저장소를 내려받아 설치하고(처음 한 번, 1~2분),\n"
        "# 어디서든 실행 환경을 점검한 뒤 채점기(grader)를 준비합니다.\n"
        "import os, subprocess, sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    REPO_URL, REPO_DIR = "{clone_url}", "/content/{repo}"\n'
        '    print("💾 작업을 잃지 않으려면 \'파일 > Drive에 사본 저장\'으로 사본을 만들어 그 사본에서 작업하세요.")\n'
        '    if not os.path.isfile(os.path.join(REPO_DIR, ".course_installed")):\n'
        "        import shutil\n"
        "        shutil.rmtree(REPO_DIR, ignore_errors=True)  # 지난번에 중간에 멈춘 내려받기를 지웁니다\n"
        "        for step, command in [\n"
        '            ("코스 저장소 내려받기(git clone)", ["git", "clone", "--depth", "1", REPO_URL, REPO_DIR]),\n'
        '            ("코스 패키지 설치(pip install)", [sys.executable, "-m", "pip", "install", "--quiet", "-e", REPO_DIR]),\n'
        "        ]:\n"
        '            print(f"{step} 중…")\n'
        "            done = subprocess.run(command, capture_output=True, text=True)\n"
        "            if done.returncode != 0:\n"
        '                print((done.stdout + done.stderr)[-2000:])\n'
        "                raise RuntimeError(\n"
        '                    f"{step}에 실패했습니다 (위 출력의 마지막 줄이 원인입니다). 인터넷 연결을 확인하고, "\n'
        '                    "\'런타임\' 메뉴에서 세션(런타임)을 다시 시작한 뒤 이 셀을 다시 실행하세요. "\n'
        '                    "디스크나 메모리가 부족하다는 메시지라면 \'런타임 > 런타임 연결 해제 및 삭제\' 후 다시 실행하세요."\n'
        "                )\n"
        '        open(os.path.join(REPO_DIR, ".course_installed"), "w").close()\n'
        "    if REPO_DIR not in sys.path:\n"
        "        sys.path.insert(0, REPO_DIR)\n"
        '    os.chdir(os.path.join(REPO_DIR, "notebooks"))\n'
        "\n"
        "import helpers, otter\n"
        "from helpers import feedback\n"
        "\n"
        "helpers.preflight()\n"
        "feedback.install()  # grader.check 결과를 힌트 먼저, 짧게 보여 줍니다 (전체 출력: feedback.show_details())\n"
        'grader = otter.Notebook(tests_dir="tests")'
    )


# --------------------------------------------------------------------------------------------
# Reading and checking a master
# --------------------------------------------------------------------------------------------
def _yaml_body(text: str) -> dict[str, Any]:
    import yaml

    body = "\n".join(text.splitlines()[1:])
    loaded = yaml.safe_load(body) if body.strip() else {}
    return loaded if isinstance(loaded, dict) else {}


def read_master(path: str | Path) -> tuple[nbformat.NotebookNode, list[str]]:
    """Read a lesson master and check its otter markup; return ``(notebook, question names)``.

    Raises :class:`BuildError` naming the file for a missing/misnamed ``ASSIGNMENT CONFIG``,
    unbalanced or misplaced ``BEGIN``/``END`` cells and questions without a name.
    """
    import jupytext

    path = Path(path)
    try:
        nb = jupytext.read(str(path), fmt="md")
    except Exception as exc:  # malformed YAML header etc.
        raise BuildError(f"{path}: jupytext 로 읽을 수 없습니다: {exc}") from exc

    def fail(message: str) -> BuildError:
        return BuildError(f"{path}: {message}")

    raw_cells = [(i, notebook_io.cell_source(c).strip()) for i, c in enumerate(nb.cells) if c.cell_type == "raw"]
    if not raw_cells or not raw_cells[0][1].startswith("# ASSIGNMENT CONFIG"):
        raise fail("첫 raw 셀이 '# ASSIGNMENT CONFIG' 가 아닙니다 (lessons/README.md 의 뼈대를 따르세요).")
    try:
        config = _yaml_body(raw_cells[0][1])
    except Exception as exc:
        raise fail(f"ASSIGNMENT CONFIG 의 YAML 을 읽을 수 없습니다: {exc}") from exc
    if config.get("name") != path.stem:
        raise fail(
            f"ASSIGNMENT CONFIG 의 name 은 파일 이름과 같아야 합니다: 기대 {path.stem!r}, 받은 값 {config.get('name')!r}."
        )

    questions: list[str] = []
    stack: list[str] = []
    current = "(문항 밖)"
    for index, text in raw_cells[1:]:
        first = text.splitlines()[0].strip() if text else ""
        match = re.match(r"^#\s*(BEGIN|END)\s+([A-Z]+)\b", first)
        if not match:
            continue
        kind, marker = match.groups()
        if marker not in MARKERS:
            continue
        where = f"셀 {index} ('{first}', 문항 {current})"
        if kind == "BEGIN":
            if marker == "QUESTION":
                if stack:
                    raise fail(f"{where}: 앞 문항이 '# END {stack[-1]}' 로 닫히지 않았습니다.")
                try:
                    qconfig = _yaml_body(text)
                except Exception as exc:
                    raise fail(f"{where}: 문항 설정 YAML 을 읽을 수 없습니다: {exc}") from exc
                name = qconfig.get("name")
                if not isinstance(name, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                    raise fail(f"{where}: 문항에 name(영문, 숫자, _)이 없습니다: {name!r}.")
                if name in questions:
                    raise fail(f"{where}: 문항 이름 {name!r} 이 이 레슨에 두 번 나옵니다.")
                questions.append(name)
                current = name
            elif stack != ["QUESTION"]:
                raise fail(f"{where}: '# BEGIN {marker}' 는 문항(# BEGIN QUESTION … # END QUESTION) 안에 있어야 합니다.")
            stack.append(marker)
        else:
            if not stack or stack[-1] != marker:
                expected = f"'# END {stack[-1]}'" if stack else "여는 '# BEGIN'"
                raise fail(f"{where}: '# END {marker}' 앞에 {expected} 가 필요합니다.")
            stack.pop()
            if marker == "QUESTION":
                current = "(문항 밖)"
    if stack:
        raise fail(f"파일 끝까지 '# END {stack[-1]}' 가 없습니다 (문항 {current}).")
    return nb, questions


def check_unique_questions(masters: dict[Path, list[str]]) -> None:
    """Raise :class:`BuildError` when a question name appears in two lessons."""
    seen: dict[str, Path] = {}
    for path, names in masters.items():
        for name in names:
            if name in seen and seen[name] != path:
                raise BuildError(
                    f"문항 이름 {name!r} 이 두 레슨에 있습니다: {seen[name]} 와 {path}. "
                    "학생 노트북은 tests/ 폴더를 함께 쓰므로 문항 이름은 코스 전체에서 유일해야 합니다 "
                    "(레슨 번호 접두사 lNN_ 을 붙이세요)."
                )
            seen[name] = path


def prepare_master(nb: nbformat.NotebookNode, lesson: str, url: str) -> nbformat.NotebookNode:
    """Insert the badge and the set-up cell right after the ``ASSIGNMENT CONFIG`` cell."""
    nb = nbformat.from_dict(nb)
    position = next(
        i for i, c in enumerate(nb.cells)
        if c.cell_type == "raw" and notebook_io.cell_source(c).strip().startswith("# ASSIGNMENT CONFIG")
    )
    nb.cells[position + 1:position + 1] = [
        nbformat.v4.new_markdown_cell(badge_source(url, lesson)),
        nbformat.v4.new_code_cell(setup_source(url)),
    ]
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat, nb.nbformat_minor = 4, 4  # otter assigns its own cell ids
    return nb


# --------------------------------------------------------------------------------------------
# Running otter assign and collecting its outputs
# --------------------------------------------------------------------------------------------
def _tail(text: str, lines: int = 80) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _assign_one(
    master: Path, nb: nbformat.NotebookNode, url: str, work: Path, *,
    run_tests: bool, profile: str, timeout: float,
) -> tuple[Path, str, float]:
    lesson = master.stem
    start = time.perf_counter()
    folder = work / lesson
    folder.mkdir(parents=True)
    master_ipynb = folder / f"{lesson}.ipynb"
    nbformat.write(prepare_master(nb, lesson, url), str(master_ipynb))
    command = [sys.executable, "-c", runtime.OTTER_CLI, "assign", "--no-pdfs"]
    if not run_tests:
        command.append("--no-run-tests")
    command += [master_ipynb.name, "dist"]
    try:
        proc = subprocess.run(
            command, cwd=folder, env=runtime.subprocess_env(profile, work / f"{lesson}-env"), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace", timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout if isinstance(exc.stdout, str) else (exc.stdout or b"").decode("utf-8", "replace")
        raise BuildError(f"{master}: otter assign 이 {timeout:.0f}초 안에 끝나지 않았습니다.\n{_tail(out)}") from exc
    output = proc.stdout or ""
    if proc.returncode != 0:
        hint = "솔루션이 자기 테스트를 통과하지 못했거나 otter 표기가 잘못되었습니다."
        raise BuildError(f"{master}: otter assign 실패 (종료 코드 {proc.returncode}). {hint}\n--- otter 출력 ---\n{_tail(output)}")
    return folder / "dist", output, time.perf_counter() - start


def _repack_zip(source: Path, target: Path) -> None:
    """Copy a zip with sorted entries and fixed timestamps, so identical content → identical bytes."""
    with zipfile.ZipFile(source) as zin:
        entries = sorted((info for info in zin.infolist() if not info.is_dir()), key=lambda i: i.filename)
        blobs = [(info, zin.read(info.filename)) for info in entries]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in blobs:
            fresh = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            mode = (info.external_attr >> 16) & 0o777 or 0o644
            fresh.external_attr = (0o100000 | mode) << 16
            fresh.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fresh, data)


#: The kernel every notebook names: ipykernel's "python3" spec, as ipykernel ≥ 6 installs it.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: The Python of the course's CI image: the one version for which JupyterLab finds nothing to update.
REFERENCE_PYTHON = "3.11.7"
#: ipykernel's ``language_info`` (kernel_info reply) for :data:`REFERENCE_PYTHON`.
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": REFERENCE_PYTHON,
}


def as_jupyterlab_saves(nb: nbformat.NotebookNode, lesson: str) -> nbformat.NotebookNode:
    """The normalised notebook with the metadata JupyterLab 4 would otherwise add when it opens it.

    Measured with JupyterLab 4.6 and ipykernel (headless Chromium): on opening a notebook and
    starting its kernel, JupyterLab replaces ``metadata.kernelspec`` by the kernel's spec (display
    name "Python 3 (ipykernel)") and ``metadata.language_info`` by the kernel's reply, and marks the
    notebook modified if either differs. With both written here the notebook opens unmodified
    when the learner's Python is :data:`REFERENCE_PYTHON`; on another Python only
    ``language_info.version`` differs (JupyterLab records the learner's version; nothing else in
    the file changes). The JSON itself is what jupyter_server writes (``nbformat.write``).
    """
    nb = notebook_io.normalise(nb, lesson)
    nb.metadata["kernelspec"] = nbformat.from_dict(KERNELSPEC)
    nb.metadata["language_info"] = nbformat.from_dict(LANGUAGE_INFO)
    return nb


def question_points(test_file: Path) -> dict[str, Any]:
    """Points and case counts of one otter test file (points resolved the way otter does)."""
    import warnings

    with warnings.catch_warnings():  # traitlets deprecation noise from otter's imports
        warnings.simplefilter("ignore", DeprecationWarning)
        from otter.test_files import OKTestFile

    tf = OKTestFile.from_file(str(test_file))
    return {
        "name": tf.name,
        "points": float(sum(tc.points for tc in tf.test_cases)),
        "public_cases": sum(1 for tc in tf.test_cases if not tc.hidden),
        "hidden_cases": sum(1 for tc in tf.test_cases if tc.hidden),
    }


def _collect(
    master: Path, dist: Path, out_dir: Path, build_dir: Path, questions: list[str], seconds: float, output: str
) -> LessonBuild:
    lesson = master.stem
    student_nb = notebook_io.read_notebook(dist / "student" / f"{lesson}.ipynb")
    solution_nb = notebook_io.read_notebook(dist / "autograder" / f"{lesson}.ipynb")
    student_path = notebook_io.write_notebook(as_jupyterlab_saves(student_nb, lesson), out_dir / f"{lesson}.ipynb")
    solution_path = notebook_io.write_notebook(
        as_jupyterlab_saves(solution_nb, lesson), build_dir / "solutions" / f"{lesson}.ipynb"
    )

    public_tests = []
    (out_dir / "tests").mkdir(parents=True, exist_ok=True)
    for test in sorted((dist / "student" / "tests").glob("*.py")):
        target = out_dir / "tests" / test.name
        target.write_bytes(test.read_bytes())
        public_tests.append(target)
    (build_dir / "solutions" / "tests").mkdir(parents=True, exist_ok=True)
    for test in sorted((dist / "autograder" / "tests").glob("*.py")):
        (build_dir / "solutions" / "tests" / test.name).write_bytes(test.read_bytes())

    zips = sorted((dist / "autograder").glob(f"{lesson}-autograder_*.zip"))
    if len(zips) != 1:
        raise BuildError(f"{master}: otter 가 만든 autograder zip 을 찾을 수 없습니다 ({zips}).")
    zip_path = build_dir / "autograder" / f"{lesson}.zip"
    _repack_zip(zips[0], zip_path)

    order = notebook_io.question_order(student_nb)
    missing = [q for q in questions if q not in order]
    if missing:
        raise BuildError(f"{master}: 학생 노트북에 grader.check 셀이 없는 문항이 있습니다: {missing}.")
    manifest = {
        "lesson": lesson,
        "source": master.name,
        "questions": [question_points(dist / "autograder" / "tests" / f"{q}.py") for q in order],
    }
    manifest_path = build_dir / "autograder" / f"{lesson}.json"
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return LessonBuild(
        lesson=lesson, source=master, questions=order, student_notebook=student_path,
        public_tests=public_tests, solution_notebook=solution_path, autograder_zip=zip_path,
        manifest=manifest_path, seconds=seconds, otter_output=output,
    )


def _remove_stale(out_dir: Path, full: bool, produced: set[Path]) -> list[Path]:
    """Remove generated files nobody produces any more; never touches other kinds of files."""
    removed = []
    if full:
        for path in sorted(out_dir.glob("*.ipynb")):
            if re.match(r"^\d\d_", path.name) and path.resolve() not in produced:
                path.unlink()
                removed.append(path)
    claimed: set[str] = set()
    for path in sorted(out_dir.glob("*.ipynb")):
        try:
            claimed.update(notebook_io.question_order(notebook_io.read_notebook(path)))
        except Exception:
            continue
    for path in sorted((out_dir / "tests").glob("*.py")):
        if path.stem not in claimed and path.resolve() not in produced:
            path.unlink()
            removed.append(path)
    return removed


def build_lessons(
    lessons_dir: str | Path = "lessons",
    out_dir: str | Path = "notebooks",
    build_dir: str | Path = "build",
    only: Sequence[str] | None = None,
    run_tests: bool = True,
    *,
    profile: str = "quick",
    repo_url: str | None = None,
    jobs: int = 1,
    timeout: float = DEFAULT_OTTER_TIMEOUT,
    verbose: bool = False,
) -> BuildResult:
    """Build lesson masters into student notebooks, public tests, solutions and autograders.

    Args:
        lessons_dir: folder with ``NN_slug.md`` masters (``README.md``/``GLOSSARY.md`` are skipped).
        out_dir: where student notebooks and ``tests/`` go (the committed ``notebooks/``).
        build_dir: where solutions and autograder zips go (git-ignored ``build/``).
        only: lesson numbers (``"01"``) or names to build; question names are still checked for
            uniqueness against every master.
        run_tests: run otter's tests against the solutions (``False`` = ``--no-run-tests``).
        profile: ``COURSE_PROFILE`` for otter's test run.
        repo_url: repository URL for the badge and set-up cell (default: :func:`read_release_url`).
        jobs: lessons built in parallel.
        timeout: seconds allowed for one ``otter assign``.

    Nothing is written unless every selected lesson builds. Raises :class:`BuildError`.
    """
    start = time.perf_counter()
    try:
        jobs = checks.positive_int("jobs", jobs, hint="동시에 빌드할 레슨 수입니다 (1 이상).")
        timeout = checks.positive_number("timeout", timeout, hint="otter assign 한 번의 제한 시간(초)입니다.")
    except (TypeError, ValueError) as exc:
        raise BuildError(str(exc)) from None
    lessons_dir, out_dir, build_dir = Path(lessons_dir), Path(out_dir).resolve(), Path(build_dir).resolve()
    all_masters = find_lessons(lessons_dir)
    selected = find_lessons(lessons_dir, only) if only else all_masters
    url = repo_url or read_release_url(lessons_dir)
    github_owner_repo(url)

    parsed = {path: read_master(path) for path in all_masters}
    check_unique_questions({path: names for path, (_, names) in parsed.items()})

    with tempfile.TemporaryDirectory(prefix="course-build-") as tmp:
        work = Path(tmp)

        def one(master: Path) -> tuple[Path, str, float]:
            nb, _ = parsed[master]
            return _assign_one(master, nb, url, work, run_tests=run_tests, profile=profile, timeout=timeout)

        with ThreadPoolExecutor(max_workers=min(jobs, len(selected) or 1)) as pool:
            futures = [(m, pool.submit(one, m)) for m in selected]
            done = []
            errors = []
            for master, future in futures:
                try:
                    done.append((master, *future.result()))
                except BuildError as exc:
                    errors.append(str(exc))
        if errors:
            raise BuildError("\n\n".join(errors))

        out_dir.mkdir(parents=True, exist_ok=True)
        results = []
        for master, dist, output, seconds in done:
            item = _collect(master, dist, out_dir, build_dir, parsed[master][1], seconds, output)
            results.append(item)
            if verbose:
                print(f"  {item.lesson}: 문항 {len(item.questions)}개, {seconds:.1f}초")
    produced = {p.resolve() for item in results for p in [item.student_notebook, *item.public_tests]}
    # with no masters at all, keep out_dir as it is (a wrong --lessons-dir must not wipe it)
    removed = _remove_stale(out_dir, full=not only, produced=produced) if all_masters else []
    return BuildResult(results, out_dir, build_dir, removed, time.perf_counter() - start)


# --------------------------------------------------------------------------------------------
# Staleness check
# --------------------------------------------------------------------------------------------
def _tracked_files(folder: Path) -> set[str]:
    """Relative paths of the files in ``folder`` that a build could have produced or left over."""
    if not folder.is_dir():
        return set()
    files = set()
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        files.add(rel.as_posix())
    return files


def compare_outputs(expected_dir: str | Path, actual_dir: str | Path, *, full: bool = True) -> CheckResult:
    """Compare a fresh build (``expected_dir``) with a committed folder (``actual_dir``).

    With ``full=False`` (an ``--only`` build) files the fresh build did not produce are not
    reported as extra.
    """
    expected_dir, actual_dir = Path(expected_dir), Path(actual_dir)
    expected, actual = _tracked_files(expected_dir), _tracked_files(actual_dir)
    result = CheckResult()
    for rel in sorted(expected):
        if rel not in actual:
            result.missing.append(rel)
        elif (expected_dir / rel).read_bytes() != (actual_dir / rel).read_bytes():
            result.stale.append(rel)
    if full:
        result.extra = sorted(actual - expected)
    return result


def check_up_to_date(
    lessons_dir: str | Path = "lessons",
    out_dir: str | Path = "notebooks",
    only: Sequence[str] | None = None,
    run_tests: bool = False,
    **build_kwargs: Any,
) -> CheckResult:
    """Build into a temporary folder and compare it with ``out_dir`` (nothing is written there)."""
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        fresh = Path(tmp) / "notebooks"
        build_lessons(lessons_dir, fresh, Path(tmp) / "build", only=only, run_tests=run_tests, **build_kwargs)
        return compare_outputs(fresh, out_dir, full=not only)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------
def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-build",
        description="레슨 원본(lessons/NN_*.md)으로 학생 노트북(notebooks/)과 채점기(build/)를 만듭니다.",
    )
    parser.add_argument("--lessons-dir", default="lessons", help="레슨 원본 폴더 (기본: lessons)")
    parser.add_argument("--out-dir", default="notebooks", help="학생 노트북 폴더 (기본: notebooks)")
    parser.add_argument("--build-dir", default="build", help="솔루션·채점기 폴더 (기본: build)")
    parser.add_argument("--only", nargs="+", metavar="NN", help="이 레슨만 빌드 (번호 또는 이름)")
    parser.add_argument("--check", action="store_true", help="notebooks/ 가 최신인지 확인만 합니다 (다르면 종료 코드 1)")
    parser.add_argument("--no-run-tests", action="store_true", help="솔루션으로 테스트를 돌리지 않습니다 (otter --no-run-tests)")
    parser.add_argument("--profile", choices=["quick", "full"], default="quick", help="테스트 실행 프로파일 (기본: quick)")
    parser.add_argument("--jobs", type=int, default=1, help="동시에 빌드할 레슨 수 (기본: 1)")
    parser.add_argument(
        "--repo-url", metavar="URL",
        help="Colab 배지와 준비 셀이 가리킬 GitHub 저장소 (기본: pyproject.toml 의 "
             "[tool.course-build] release-repository, 없으면 [project.urls] Repository)",
    )
    parser.add_argument(
        "--release", metavar="DIR",
        help="학생용 공개 저장소를 DIR 에 씁니다 (노트북, 공개 테스트, helpers, 패키지 설정, README, 라이선스; "
             "솔루션·숨은 테스트·레슨 원본 없음). DIR 은 없거나 비어 있거나 이전 릴리스여야 합니다 (.git 은 남깁니다).",
    )
    args = parser.parse_args(None if argv is None else list(argv))

    try:
        if args.release:
            if args.check or args.only:
                raise BuildError("--release 는 --check, --only 와 함께 쓸 수 없습니다 (릴리스에는 모든 레슨이 들어갑니다).")
            from helpers.authoring import release

            written = release.write_release(
                args.release, lessons_dir=args.lessons_dir, repo_url=args.repo_url,
                run_tests=not args.no_run_tests, profile=args.profile, jobs=args.jobs, verbose=True,
            )
            print(written.report())
            return 0
        if args.check:
            checked = check_up_to_date(
                args.lessons_dir, args.out_dir, only=args.only, run_tests=not args.no_run_tests,
                profile=args.profile, jobs=args.jobs, repo_url=args.repo_url,
            )
            print(checked.report())
            return 0 if checked.ok else 1
        result = build_lessons(
            args.lessons_dir, args.out_dir, args.build_dir, only=args.only, run_tests=not args.no_run_tests,
            profile=args.profile, jobs=args.jobs, verbose=True, repo_url=args.repo_url,
        )
    except BuildError as exc:
        print(f"빌드 실패:\n{exc}", file=sys.stderr)
        return 1
    if not result.lessons:
        print(f"{args.lessons_dir} 에 레슨 원본(NN_이름.md)이 없습니다.")
    for path in result.removed:
        print(f"  지움(더 이상 만들지 않는 파일): {path}")
    print(f"레슨 {len(result.lessons)}개 빌드 완료 ({result.seconds:.1f}초): {result.out_dir}, {result.build_dir}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
