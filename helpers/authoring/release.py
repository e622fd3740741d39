"""``course-build --release DIR``: the public student repository, with no solution in it.

The course lives in two repositories (see ``docs/instructors.md``):

- the **source** (private): lesson masters with solutions and hidden tests (``lessons/``), the
  test suite with its wrong answers (``tests/``), the build and grading tools;
- the **release** (public): what students clone or open on Colab, written by this module::

      README.md            Korean student README: lessons with Colab badges, set-up, how to check
      LICENSE              the source's LICENSE file (or the pyproject licence's text)
      GLOSSARY.md          lessons/GLOSSARY.md, when the source has one
      pyproject.toml       the source's, without instructor entry points and extras; its
                           [project.urls] Repository is the release URL
      environment.yml      conda users: Python + pip, then ``pip install -e .``
      helpers/             the course package, without its instructor tools (helpers/authoring:
                           build and grading; helpers/site: the course website)
      notebooks/           student notebooks and public tests, built afresh from the masters
      .gitignore, .course-release.json (what was released, from which source commit)

The notebooks are built again (``build_lessons``) with the release URL, so the Colab badges and
the set-up cell's ``git clone`` point at the release. Before anything is reported as written,
:func:`scan_release` checks the whole tree against what the build just produced: no otter
solution/test markup, no line that only a solution cell or a hidden test contains, no
``lessons/``, ``tests/``, autograder zip or solution notebook. A finding fails the release.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from helpers.authoring import notebook_io
from helpers.authoring.build import (
    BuildError,
    badge_source,
    build_lessons,
    find_lessons,
    find_pyproject,
    github_owner_repo,
    read_release_url,
)

MARKER = ".course-release.json"
#: text that only otter masters, solution notebooks and autograders contain
FORBIDDEN_TEXT = (
    "BEGIN SOLUTION", "END SOLUTION", "BEGIN QUESTION", "END QUESTION", "BEGIN TESTS", "END TESTS",
    "BEGIN TEST CONFIG", "ASSIGNMENT CONFIG", "otter_assign_solution_cell", "'hidden': True", '"hidden": true',
)
#: subpackages of ``helpers`` that are instructor tools (build/grading, the course website)
INSTRUCTOR_PACKAGES = ("authoring", "site")
FORBIDDEN_PATHS = ("lessons", "tests", "build", "docs/instructors.md") + tuple(f"helpers/{p}" for p in INSTRUCTOR_PACKAGES)
FORBIDDEN_SUFFIXES = (".zip",)
#: pyproject sections a student does not need (instructor tools, test extras, pytest config)
DROPPED_SECTIONS = (
    "project.scripts", "project.optional-dependencies", "tool.pytest", "tool.course-build", "tool.ruff", "tool.mypy",
    "tool.coverage",
)

MIN_SNIPPET = 12  # shorter lines ("return x", "import torch") say nothing about a leak

GITIGNORE = """__pycache__/
*.egg-info/
.ipynb_checkpoints/
.venv/
venv/
/data/
.OTTER_LOG
"""

MIT_TEXT = """MIT License

Copyright (c) the {name} authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


@dataclass
class Secrets:
    """What must not appear in a release: lines only solutions or hidden tests contain."""

    #: per lesson: lines of its solution cells that its master shows nowhere else
    solution_lines: dict[str, set[str]] = field(default_factory=dict)
    hidden_lines: set[str] = field(default_factory=set)
    hidden_messages: set[str] = field(default_factory=set)
    #: lines every lesson shows students anyway (all cells of all masters outside solution cells)
    common_lines: set[str] = field(default_factory=set)


@dataclass
class Finding:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class ReleaseResult:
    target: Path
    lessons: list[str]
    url: str
    files: list[str]
    warnings: list[Finding] = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"학생용 릴리스를 {self.target} 에 썼습니다: 레슨 {len(self.lessons)}개, 파일 {len(self.files)}개.",
            f"Colab 배지와 준비 셀이 가리키는 저장소: {self.url}",
            "솔루션·숨은 테스트·레슨 원본 검사: 통과.",
        ]
        for warning in self.warnings:
            lines.append(f"  참고: {warning}")
        lines.append(f"이 폴더를 {self.url} 저장소에 커밋하고 push 하세요.")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# What counts as secret
# --------------------------------------------------------------------------------------------
def code_lines(text: str) -> set[str]:
    """Stripped code lines of a test case or cell (doctest prompts removed), long enough to matter."""
    lines = set()
    for raw in text.splitlines():
        line = raw.strip()
        for prompt in (">>> ", "... "):
            if line.startswith(prompt):
                line = line[len(prompt):].strip()
        if len(line) >= MIN_SNIPPET and not line.startswith(("import ", "from ", "#")) and line not in ('"""', "'''"):
            lines.add(line)
    return lines


def otter_cases(text: str) -> list[dict[str, Any]]:
    """The cases (``code``, ``hidden``, ``failure_message`` …) of an otter OK-format test file.

    The text is executed: only for the test files of the course's own build.
    """
    scope: dict[str, Any] = {}
    exec(compile(text, "<otter test>", "exec"), scope)
    spec: dict[str, Any] = scope["test"]
    return [case for suite in spec.get("suites", []) for case in suite.get("cases", [])]


def collect_secrets(build_dir: str | Path, public_tests: Iterable[Path], student_notebooks: Iterable[Path]) -> Secrets:
    """Lines that only solutions or hidden tests contain, from a build's solutions and autograders.

    A solution line of lesson X is a line of X's solution cells that X's master shows nowhere
    else (not in the student's skeleton of that cell, not in any other cell). A hidden line is a
    line of a hidden test case (or its failure message) that no public test and no cell outside
    the solution cells of any lesson contains. Lines shorter than :data:`MIN_SNIPPET`, imports and
    comments are ignored.
    """
    build_dir = Path(build_dir)
    public: set[str] = set()
    for path in public_tests:
        for case in otter_cases(Path(path).read_text(encoding="utf-8")):
            public |= code_lines(case.get("code", ""))
    students = {Path(p).stem: notebook_io.read_notebook(p) for p in student_notebooks}
    secrets = Secrets()
    for lesson, student in students.items():
        for cell in student.cells:
            secrets.common_lines |= code_lines(notebook_io.cell_source(cell))
        solution_path = build_dir / "solutions" / f"{lesson}.ipynb"
        if not solution_path.is_file():
            continue
        solution = notebook_io.read_notebook(solution_path)
        answer_idx = {i for idx in notebook_io.answer_cells(solution).values() for i in idx}
        outside: set[str] = set()
        for i, cell in enumerate(solution.cells):
            if i not in answer_idx:
                outside |= code_lines(notebook_io.cell_source(cell))
        skeleton: set[str] = set()
        for idx in notebook_io.answer_cells(student).values():
            for i in idx:
                skeleton |= code_lines(notebook_io.cell_source(student.cells[i]))
        secrets.common_lines |= outside
        lines: set[str] = set()
        for i in answer_idx:
            lines |= code_lines(notebook_io.cell_source(solution.cells[i]))
        secrets.solution_lines[lesson] = lines - outside - skeleton
    for zip_path in sorted((build_dir / "autograder").glob("*.zip")):
        with zipfile.ZipFile(zip_path) as zf:
            for name in zf.namelist():
                if not (name.startswith("tests/") and name.endswith(".py")):
                    continue
                for case in otter_cases(zf.read(name).decode("utf-8")):
                    if case.get("hidden"):
                        secrets.hidden_lines |= code_lines(case.get("code", ""))
                        message = str(case.get("failure_message") or "").strip()
                        if len(message) >= MIN_SNIPPET:
                            secrets.hidden_messages.add(message)
    shown = public | secrets.common_lines
    secrets.hidden_lines -= shown
    secrets.hidden_messages = {m for m in secrets.hidden_messages if not any(m in line for line in shown)}
    return secrets


# --------------------------------------------------------------------------------------------
# Scanning a tree
# --------------------------------------------------------------------------------------------
def _release_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    )


def scan_release(root: str | Path, secrets: Secrets | None = None) -> tuple[list[Finding], list[Finding]]:
    """``(errors, warnings)`` for a release tree.

    Errors: a forbidden path (``lessons/``, ``tests/``, ``build/``, ``helpers/authoring``, a zip),
    otter markup (``BEGIN SOLUTION`` …), a hidden test's line or message anywhere, a solution line
    in its own lesson's notebook, or anywhere else when no lesson shows that line outside its
    solution cells. Warnings: such lines inside ``helpers/`` (the course's own code may implement
    the same function for a demo; reported so an instructor can look).
    """
    root = Path(root)
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for path in _release_files(root):
        rel = path.relative_to(root).as_posix()
        if any(rel == bad or rel.startswith(bad + "/") for bad in FORBIDDEN_PATHS):
            errors.append(Finding(rel, "릴리스에 있으면 안 되는 경로입니다 (레슨 원본, 테스트, 빌드 산출물 또는 강사용 도구)"))
            continue
        if rel.endswith(FORBIDDEN_SUFFIXES) or "autograder" in path.name:
            errors.append(Finding(rel, "채점기(autograder) 파일은 릴리스에 넣지 않습니다"))
            continue
        if path.name == "wrong_answers" or "wrong_answers" in path.parts:
            errors.append(Finding(rel, "오답 모음(tests/wrong_answers)은 릴리스에 넣지 않습니다"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":  # JSON escapes quotes and newlines: compare the cells' sources
            try:
                text = "\n".join(notebook_io.cell_source(c) for c in nbformat.reads(text, as_version=4).cells) + "\n" + text
            except Exception:
                pass
        for marker in FORBIDDEN_TEXT:
            if marker in text:
                errors.append(Finding(rel, f"otter 원본/솔루션 표시 {marker!r} 가 들어 있습니다"))
        if secrets is None:
            continue
        # whole lines are compared (a helper may by chance contain a short test expression as part
        # of a longer line); hidden failure messages are sentences and are searched as substrings
        lines = {line.strip() for line in text.splitlines()}
        found = [("숨은 테스트의 코드", line) for line in sorted(secrets.hidden_lines) if line in lines]
        found += [("숨은 테스트의 메시지", m) for m in sorted(secrets.hidden_messages) if m in text]
        for what, line in found:
            finding = Finding(rel, f"{what}이(가) 들어 있습니다: {line[:80]!r}")
            # helpers/ is the course's own code: it may contain the same expression on purpose
            (warnings if rel.startswith("helpers/") and what != "숨은 테스트의 메시지" else errors).append(finding)
        for lesson, solution_lines in sorted(secrets.solution_lines.items()):
            own = rel == f"notebooks/{lesson}.ipynb"
            for line in sorted(solution_lines & lines):
                if not own and line in secrets.common_lines:
                    continue  # another lesson shows the same line (e.g. `loss.backward()`) on purpose
                finding = Finding(rel, f"레슨 {lesson} 의 솔루션 줄이 들어 있습니다: {line[:80]!r}")
                (warnings if rel.startswith("helpers/") else errors).append(finding)
    return errors, warnings


# --------------------------------------------------------------------------------------------
# Packaging files
# --------------------------------------------------------------------------------------------
_SECTION_RE = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]\s*(#.*)?$")


def _dropped(section: str) -> bool:
    """A section listed in :data:`DROPPED_SECTIONS`, or one of its subsections."""
    return any(section == d or section.startswith(d + ".") for d in DROPPED_SECTIONS)


def release_pyproject(text: str, url: str) -> str:
    """The source ``pyproject.toml`` made fit for the release.

    Drops :data:`DROPPED_SECTIONS` (``course-build``/``course-grade`` entry points, the test and
    site extras, pytest/linter settings, release settings), points ``[project.urls] Repository`` at ``url`` and
    leaves the instructor subpackages (:data:`INSTRUCTOR_PACKAGES`) out of the package.
    """
    out: list[str] = []
    section = ""
    for line in text.splitlines():
        match = _SECTION_RE.match(line)
        if match:
            section = match.group(1)
            while out and out[-1].lstrip().startswith("#"):  # a comment block introducing a dropped section
                if not _dropped(section):
                    break
                out.pop()
            if _dropped(section):
                continue
            out.append(line)
            if section == "project.urls":
                out.append("# The student repository (written by `course-build --release`).")
            if section == "tool.setuptools.packages.find":
                out.append("exclude = [" + ", ".join(f'"helpers.{p}*"' for p in INSTRUCTOR_PACKAGES) + "]")
            continue
        if _dropped(section):
            continue
        if section == "project.urls":
            if line.lstrip().startswith("#"):
                continue
            if re.match(r"^\s*Repository\s*=", line):
                line = f'Repository = "{url}"'
        if section == "tool.setuptools.packages.find" and re.match(r"^\s*exclude\s*=", line):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(out)) + "\n"
    import tomllib

    data = tomllib.loads(result)
    if data.get("project", {}).get("scripts") or data.get("project", {}).get("urls", {}).get("Repository") != url:
        raise BuildError("릴리스용 pyproject.toml 을 만들지 못했습니다 (스크립트 또는 저장소 주소가 남아 있음).")
    return result


def release_environment(text: str) -> str:
    """environment.yml for the release: the package without the test extra."""
    return re.sub(r'-e\s+"?\.\[[^\]]*\]"?', "-e .", text)


def _lesson_title(nb: nbformat.NotebookNode, lesson: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in notebook_io.cell_source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return lesson


def student_readme(url: str, lessons: list[tuple[str, str]], has_glossary: bool) -> str:
    """The release's Korean README: lessons with Colab badges, set-up, checking answers."""
    owner, repo = github_owner_repo(url)
    rows = "\n".join(
        f"| [{title}](notebooks/{lesson}.ipynb) | {badge_source(url, lesson).splitlines()[0]} |"
        for lesson, title in lessons
    )
    glossary = "\n용어는 [`GLOSSARY.md`](GLOSSARY.md)에 한글(English)로 모아 두었습니다.\n" if has_glossary else ""
    return f"""# 비전 딥러닝 실습 코스 (학생용)

로짓(logit)에서 객체 탐지(object detection)까지, 직접 실행하며 배우는 한국어 컴퓨터 비전 딥러닝
실습 코스입니다. 레슨마다 Jupyter 노트북이 하나씩 있고, 노트북이 함께 쓰는 코드는 파이썬 패키지
`helpers`에 있습니다.

## 레슨

| 노트북 | Colab |
|---|---|
{rows}
{glossary}
## 시작하기

### 1) Google Colab — 설치 없이
1. 위 표의 **Colab에서 열기** 배지를 누릅니다.
2. **파일 > Drive에 사본 저장**으로 사본을 만들고 그 사본에서 작업합니다. 사본 없이 고친 내용은
   런타임이 끝나면 사라집니다.
3. 맨 위의 "준비 셀"을 실행합니다. 코스 저장소를 내려받아 설치하고(처음 한 번, 1~2분) 환경을 점검합니다.
   내려받기나 설치가 실패하면 셀이 무엇이 실패했는지 한국어로 알려 줍니다: 인터넷 연결을 확인하고
   '런타임' 메뉴에서 세션을 다시 시작한 뒤 셀을 다시 실행하세요.
4. GPU를 쓰려면 `런타임 > 런타임 유형 변경 > GPU`를 고릅니다(CPU로도 모든 레슨이 끝까지 실행됩니다).

### 2) 내 컴퓨터 — JupyterLab
Python 3.10 이상이 필요합니다. 가상 환경을 권장합니다
(`python -m venv .venv` 후 macOS/Linux는 `source .venv/bin/activate`, Windows는 `.venv\\Scripts\\activate`).

```bash
git clone {url.rstrip('/')} && cd {repo}
python -m pip install -e . && jupyter lab notebooks/
```

**내려받는 양**: Linux에서 위 명령은 CUDA(GPU)용 PyTorch를 받으므로 내려받기가 약 3 GB, 설치된
환경이 약 6 GB입니다. GPU가 없다면 먼저 CPU 전용 PyTorch를 설치하세요(훨씬 작습니다):

```bash
python -m pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu
python -m pip install -e .
```

macOS와 Windows에서 PyPI의 PyTorch는 원래 CPU(또는 Apple MPS) 빌드라 이 단계가 필요 없습니다.

## 연습문제 확인하기
1. 노트북을 위에서부터 차례로 실행합니다(`Shift+Enter`).
2. `...` 이 있는 연습문제 셀에 답을 씁니다.
3. 바로 아래의 `grader.check("문제이름")` 셀을 실행합니다. 통과하면 한 줄, 통과하지 못하면 테스트마다
   한국어 힌트가 먼저 나오고 몇 줄로 끝납니다. 테스트의 전체 출력(어느 줄에서 어떤 값이 나왔는지)이
   필요하면 `feedback.show_details("문제이름")`을 실행하세요.
4. 공개 테스트를 통과해도, 채점 때는 숨은 테스트(예: 아주 큰 값, 빈 입력)가 더 돌아갑니다.

## 라이선스
[LICENSE](LICENSE)를 보세요. 이 저장소는 `{owner}/{repo}` 코스의 학생용 배포본이며, `course-build --release`가
만듭니다. 노트북을 고쳐 제안하려면 강사에게 알려 주세요.
"""


# --------------------------------------------------------------------------------------------
# Writing the release
# --------------------------------------------------------------------------------------------
def _prepare_target(target: Path) -> None:
    """Empty ``target`` for a new release, keeping ``.git``; refuse folders that are not releases."""
    if target.exists() and not target.is_dir():
        raise BuildError(f"--release {target}: 폴더가 아니라 파일입니다.")
    if not target.exists():
        target.mkdir(parents=True)
        return
    entries = [p for p in target.iterdir() if p.name != ".git"]
    if entries and not (target / MARKER).is_file():
        raise BuildError(
            f"--release {target}: 비어 있지 않고 이전 릴리스({MARKER})도 아닌 폴더에는 쓰지 않습니다 "
            "(덮어쓸 파일이 지워질 수 있습니다). 빈 폴더나 공개 저장소를 clone 한 폴더를 주세요."
        )
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _copy_package(source: Path, target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == "__pycache__" or n.startswith(".") or n.endswith((".pyc", ".pyo"))}
        if Path(folder).resolve() == source.resolve():
            skip.update(INSTRUCTOR_PACKAGES)
        return skip

    shutil.copytree(source, target, ignore=ignore)


def _source_commit(root: Path) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def write_release(
    target: str | Path,
    *,
    lessons_dir: str | Path = "lessons",
    repo_url: str | None = None,
    run_tests: bool = True,
    profile: str = "quick",
    jobs: int = 1,
    verbose: bool = False,
    build_dir: str | Path | None = None,
) -> ReleaseResult:
    """Write the student repository to ``target`` and scan it; raise :class:`BuildError` on a leak.

    ``repo_url`` defaults to :func:`~helpers.authoring.build.read_release_url` (the source's
    ``[tool.course-build] release-repository``, else ``[project.urls] Repository``).
    ``build_dir`` keeps the build's solutions and autograders (default: a temporary folder);
    they belong to the instructor and never go into ``target``.
    """
    import helpers

    target = Path(target).resolve()
    lessons_dir = Path(lessons_dir)
    url = (repo_url or read_release_url(lessons_dir)).strip().rstrip("/")
    github_owner_repo(url)
    masters = find_lessons(lessons_dir)
    if not masters:
        raise BuildError(f"{lessons_dir} 에 레슨 원본(NN_이름.md)이 없어 릴리스를 만들 수 없습니다.")
    pyproject = find_pyproject(lessons_dir)
    if pyproject is None:
        raise BuildError("pyproject.toml 을 찾을 수 없어 릴리스의 패키지 설정을 만들 수 없습니다.")
    source_root = pyproject.parent
    package = Path(helpers.__file__).resolve().parent
    root = source_root.resolve()
    protected = [root / name for name in ("lessons", "helpers", "notebooks", "tests", "docs", "build")]
    if target == root or target in root.parents or any(target == p or p in target.parents for p in protected):
        raise BuildError(f"--release {target}: 원본 저장소나 그 폴더에는 쓸 수 없습니다. 저장소 밖의 폴더를 주세요.")

    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        build_dir = Path(build_dir).resolve() if build_dir is not None else Path(tmp) / "build"
        stage = Path(tmp) / "release"
        result = build_lessons(
            lessons_dir, stage / "notebooks", build_dir, run_tests=run_tests, profile=profile,
            repo_url=url, jobs=jobs, verbose=verbose,
        )
        _copy_package(package, stage / "helpers")
        (stage / "pyproject.toml").write_text(release_pyproject(pyproject.read_text(encoding="utf-8"), url), encoding="utf-8")
        environment = source_root / "environment.yml"
        if environment.is_file():
            (stage / "environment.yml").write_text(release_environment(environment.read_text(encoding="utf-8")), encoding="utf-8")
        licence = next((source_root / n for n in ("LICENSE", "LICENSE.md", "LICENSE.txt") if (source_root / n).is_file()), None)
        if licence is not None:
            shutil.copyfile(licence, stage / licence.name)
        else:
            import tomllib

            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
            licence_field = project.get("license", {})
            licence_name = licence_field.get("text") if isinstance(licence_field, dict) else str(licence_field)
            if str(licence_name).strip().upper() != "MIT":
                raise BuildError(
                    f"{source_root} 에 LICENSE 파일이 없고 pyproject 의 license({licence_name!r})가 MIT 가 아닙니다. "
                    "LICENSE 파일을 저장소에 추가하세요."
                )
            (stage / "LICENSE").write_text(MIT_TEXT.format(name=project.get("name", "course")), encoding="utf-8")
        glossary = lessons_dir / "GLOSSARY.md"
        if glossary.is_file():
            shutil.copyfile(glossary, stage / "GLOSSARY.md")
        titles = [
            (item.lesson, _lesson_title(notebook_io.read_notebook(item.student_notebook), item.lesson))
            for item in result.lessons
        ]
        (stage / "README.md").write_text(student_readme(url, titles, glossary.is_file()), encoding="utf-8")
        (stage / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        (stage / MARKER).write_text(
            json.dumps({"lessons": [t[0] for t in titles], "repository": url, "source_commit": _source_commit(source_root)},
                       indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )

        secrets = collect_secrets(
            build_dir, [p for item in result.lessons for p in item.public_tests],
            [item.student_notebook for item in result.lessons],
        )
        errors, warnings = scan_release(stage, secrets)
        if errors:
            shown = "\n".join(f"  {e}" for e in errors[:20])
            raise BuildError(f"릴리스 검사에서 솔루션/숨은 테스트가 발견되어 아무것도 쓰지 않았습니다:\n{shown}")

        _prepare_target(target)
        for entry in sorted(stage.iterdir()):
            destination = target / entry.name
            if entry.is_dir():
                shutil.copytree(entry, destination)
            else:
                shutil.copy2(entry, destination)
    files = [p.relative_to(target).as_posix() for p in _release_files(target)]
    return ReleaseResult(target, [t[0] for t in titles], url, files, warnings)
