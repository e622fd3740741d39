"""course-grade's jail: nothing lost, nothing leaked, limits reported as their own statuses.

One run (jobs=2, feedback files written) grades, next to a correct and a wrong notebook:

- an adversarial submission that knows the absolute paths of the submissions folder and the
  build folder (as if guessed from argv/env/cwd/proc) and tries to delete and overwrite the
  other submissions and the autograder zips, to find hidden tests anywhere it can read
  (``/tmp``, ``/grading``, the home folder, the folders around the ones it knows, ``/proc``) and
  print them, to put them in a public test's failure message and in the integrity probe's
  record, and to rewrite ``tests/*.py`` as always-passing tests;
(memory and output limits: ``tests/test_grade.py``'s main run).

Expected: the submissions folder and the build folder byte-for-byte unchanged, no hidden-test
text in any feedback file or in the gradebook, the adversary's real score (that of the wrong
answers) with flags (tests rewritten, probe record forged), the correct notebook at full marks.
The jail tests skip where bubblewrap is missing, except under ``COURSE_REQUIRE_JAIL=1``
(set by ``.ci/run``), where a missing jail is a failure.
"""
from __future__ import annotations

import csv
import hashlib
import os
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from fixtures import pipeline
from helpers.authoring import grade, notebook_io, sandbox

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade_jail")]  # one worker builds and grades once

DEMO = pipeline.DEMO
HIDDEN_TEXTS = ["입력을 바꾸지 않고", "값이 기대와 다릅니다", "before = x.copy()", "0.375", "array_equal(x, before)"]
REQUIRE_JAIL = os.environ.get("COURSE_REQUIRE_JAIL") == "1"


def jail_or_skip() -> sandbox.Isolation:
    isolation = sandbox.detect_isolation()
    if not isolation.fs_isolated:
        message = f"bubblewrap 격리를 쓸 수 없습니다 ({isolation.description}): apt-get install bubblewrap"
        if REQUIRE_JAIL:
            pytest.fail(message + " — COURSE_REQUIRE_JAIL=1 에서는 실패입니다")
        pytest.skip(message)
    return isolation


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


ADVERSARY = r'''
import glob, json, os, sys, time, zipfile
SUBS, BUILD = {subs!r}, {build!r}
MARKERS = ["[0.375, " + "0.125", "입력을 바꾸지" + " 않고", "before = " + "x.copy()"]  # not literally in this notebook
found, damage = [], []
def look(path):
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    text = z.read(name).decode("utf-8", "replace")
                    if any(m in text for m in MARKERS):
                        found.append((path + ":" + name, text))
        elif os.path.getsize(path) < 5_000_000:
            text = open(path, encoding="utf-8", errors="replace").read()
            if any(m in text for m in MARKERS):
                found.append((path, text))
    except Exception:
        pass
# 1. destroy what it can reach: other submissions, the build folder
for target in glob.glob(os.path.join(SUBS, "*")) + glob.glob(os.path.join(BUILD, "**", "*"), recursive=True):
    for attack in (lambda t: open(t, "w").write("gone"), os.remove, lambda t: os.rename(t, t + ".moved")):
        try:
            attack(target); damage.append(target)
        except Exception:
            pass
for folder in (SUBS, BUILD, os.path.join(BUILD, "autograder")):
    try:
        open(os.path.join(folder, "planted.ipynb"), "w").write("{{}}"); damage.append(folder)
    except Exception:
        pass
# 2. look for hidden tests wherever it can read
roots = {{"/tmp", "/grading", "/var/tmp", "/dev/shm", os.path.expanduser("~"), os.getcwd(),
          os.path.dirname(SUBS), os.path.dirname(BUILD), os.path.dirname(os.path.dirname(BUILD))}}
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for link in ("cwd", "root"):
            try:
                roots.add(os.readlink(f"/proc/{{pid}}/{{link}}"))
            except OSError:
                pass
        look(f"/proc/{{pid}}/environ"); look(f"/proc/{{pid}}/cmdline")
start, seen = time.time(), 0
for root in sorted(r for r in roots if r and r != "/"):
    for folder, dirs, files in os.walk(root):
        if folder.startswith(("/proc", "/sys", "/usr")) or seen > 20000 or time.time() - start > 30:
            dirs[:] = []
            continue
        for name in files:
            seen += 1
            look(os.path.join(folder, name))
# 3. rewrite every tests/*.py it can find as an always-passing test
PASS = ("OK_FORMAT = True\ntest = {{'name': '%s', 'points': 2, 'suites': [{{'cases': [{{'code': '>>> True\\nTrue', "
        "'hidden': False, 'locked': False}}], 'scored': True, 'setup': '', 'teardown': '', 'type': 'doctest'}}]}}\n")
folders = {{"tests", "/grading/tests"}} | {{os.path.dirname(p.split(":")[0]) for p, _ in found if ".py" in p}}
for folder in folders:
    for path in glob.glob(os.path.join(folder, "*.py")):
        try:
            open(path, "w").write(PASS % os.path.basename(path)[:-3]); damage.append(path)
        except Exception:
            pass
LEAK = "\n".join(text for _, text in found)[:20000]
print("LEAK", len(found), [p for p, _ in found][:20], "DAMAGE", damage[:20])
print(LEAK)
# 4. put the leak where feedback and gradebook text come from: the probe record, stderr
for record in ("/tmp/course-grade-probe.jsonl",):
    try:
        with open(record, "a") as f:
            f.write(json.dumps({{"cell": 0, "problems": [LEAK[:3000]], "restored": []}}) + "\n")
    except Exception:
        pass
sys.stderr.write(LEAK[:3000])
'''

LEAKY_NORMALIZE = '''def normalize(x):
    raise AssertionError(f"FOUND={len(found)} LEAK " + LEAK[:3000].replace("\\n", " "))
'''


@pytest.fixture(scope="module")
def jail_run(tmp_path_factory):
    isolation = jail_or_skip()
    return pipeline.once_per_run("grade-jail-run", lambda: _jail_run(tmp_path_factory, isolation))


def _jail_run(tmp_path_factory, isolation):
    demo = pipeline.demo_build()
    student = pipeline.student_notebook(demo)
    solution = pipeline.solution_filled(demo)
    wrong_answers = pipeline.demo_wrong()
    wrong = notebook_io.fill_answers(student, wrong_answers)
    folder = tmp_path_factory.mktemp("adversarial-submissions")
    build_dir = Path(demo.build_dir)

    adversary = notebook_io.fill_answers(student, {**wrong_answers, "l99_normalize": LEAKY_NORMALIZE})
    adversary = pipeline.with_cell(adversary, ADVERSARY.format(subs=str(folder), build=str(build_dir)))
    pipeline.write(adversary, folder / f"adversary_{DEMO}.ipynb")
    pipeline.write(solution, folder / f"correct_{DEMO}.ipynb")
    pipeline.write(wrong, folder / f"wrong_{DEMO}.ipynb")

    before, build_before = tree_digest(folder), tree_digest(build_dir)
    out = tmp_path_factory.mktemp("adversarial-grading")
    report = grade.grade_submissions(
        folder, build_dir=build_dir, out=out / "gradebook.csv", detail=out / "detail.csv",
        feedback_dir=out / "feedback", timeout=600, jobs=2,
    )
    with open(out / "gradebook.csv", newline="", encoding="utf-8-sig") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    for row in rows.values():
        print(f"{row['file']}: {row['status']} {row['total']}/{row['max_total']} in {row['seconds']} s; {row['note']}")
    return SimpleNamespace(report=report, rows=rows, folder=folder, before=before, after=tree_digest(folder),
                           build_before=build_before, build_after=tree_digest(build_dir), out=out,
                           isolation=isolation)


def test_nothing_is_lost(jail_run):
    assert jail_run.after == jail_run.before, "제출 폴더가 바뀌었습니다"
    assert jail_run.build_after == jail_run.build_before, "build 폴더가 바뀌었습니다"


def test_rows_record_the_jail(jail_run):
    for row in jail_run.rows.values():
        assert (row["network_isolated"], row["fs_isolated"]) == ("True", "True"), row
        assert row["user_isolated"] == str(os.geteuid() == 0), row


def test_adversary_gets_its_real_score_and_a_flag(jail_run):
    row = jail_run.rows[f"adversary_{DEMO}.ipynb"]
    wrong = jail_run.rows[f"wrong_{DEMO}.ipynb"]
    assert (row["l99_normalize"], row["l99_relu"]) == ("0", "1") == (wrong["l99_normalize"], wrong["l99_relu"]), row
    assert row["status"] == "review", row
    assert "tests/" in row["flags"], row  # the scan saw the rewrite; the worker saw the changed copy
    assert "테스트 파일을 바꿈" in row["flags"], row
    assert "기록 파일이 조작됨" in row["flags"], row  # its forged probe line is not copied


def test_hidden_tests_were_nowhere_while_the_students_cells_ran(jail_run):
    # the adversary searched everything it could read during its cells; its normalize() reports the
    # count when the tests call it (after the release): the scoring run's messages say FOUND=0
    cases = jail_run.report.by_file(f"adversary_{DEMO}.ipynb").cases["l99_normalize"]
    messages = " ".join(c.get("message", "") for c in cases)
    assert "FOUND=0 LEAK" in messages and "FOUND=1" not in messages, messages[:2000]


def test_nothing_is_leaked_to_feedback_or_gradebook(jail_run):
    texts = {path.name: path.read_text(encoding="utf-8") for path in (jail_run.out / "feedback").iterdir()}
    texts["gradebook.csv"] = (jail_run.out / "gradebook.csv").read_text(encoding="utf-8-sig")
    for name, text in texts.items():
        for hidden in HIDDEN_TEXTS:
            assert hidden not in text, f"{name} 에 숨김 테스트 내용({hidden})이 있습니다"
    assert "[l99_normalize] 0 / 2" in texts[f"adversary_{DEMO}.txt"]
    public = jail_run.report.by_file(f"adversary_{DEMO}.ipynb").public_cases["l99_normalize"]
    assert public and all(not c.get("hidden") for c in public)  # feedback messages: the public-only run


def test_feedback_has_public_messages_only(jail_run):
    wrong = (jail_run.out / "feedback" / f"wrong_{DEMO}.txt").read_text(encoding="utf-8")
    assert "[l99_normalize] 0 / 2" in wrong and "[l99_relu] 1 / 2" in wrong
    assert "확률의 합이 1이 아닙니다" in wrong  # the public test's assertion message
    assert "시간 초과" not in wrong


# --------------------------------------------------------------------------------------------
# The jail itself
# --------------------------------------------------------------------------------------------
VIEW = textwrap.dedent("""\
    import os, sys
    secret, helpers_dir = sys.argv[1], sys.argv[2]
    print("secret", os.path.exists(secret))
    print("lessons", os.path.exists(os.path.join(os.path.dirname(helpers_dir), "lessons")))
    for target in (helpers_dir, os.path.dirname(secret), "/usr"):
        try:
            open(os.path.join(target, "x"), "w").close()
            print("wrote", target)
        except OSError:
            pass
    open("/tmp/mine", "w").write("ok")
    os.makedirs("/tmp/home/.cache/vision-course")          # next to a read-only cache bound under /tmp
    print("cache", open("/tmp/home/.cache/torch/weights.pth").read())
    print("uid", os.getuid(), "cwd", os.getcwd())
    import helpers.authoring
    print("import ok")
    """)


def test_jail_sees_only_the_system_python_and_its_own_tmp(tmp_path):
    isolation = jail_or_skip()
    secret = tmp_path / "secret.txt"
    secret.write_text("instructor only", encoding="utf-8")
    cache = tmp_path / "torch-cache"
    cache.mkdir(mode=0o755)
    (cache / "weights.pth").write_text("w", encoding="utf-8")
    os.chmod(tmp_path, 0o755)
    outcome = sandbox.run_limited(
        [sys.executable, "-c", VIEW, str(secret), str(grade.HELPERS_DIR)], timeout=120, isolation=isolation,
        limits=sandbox.Limits(), readonly=[grade.HELPERS_DIR], binds=[(cache, "/tmp/home/.cache/torch")],
    )
    assert outcome.returncode == 0, outcome.output
    lines = outcome.output.splitlines()
    assert "secret False" in lines and "lessons False" in lines, outcome.output
    assert not any(line.startswith("wrote") for line in lines), outcome.output
    assert "import ok" in lines and "cache w" in lines
    if os.geteuid() == 0:
        assert f"uid {sandbox.JAIL_UID_BASE} cwd /tmp" in lines, outcome.output
    assert sorted(tmp_path.iterdir()) == [secret, cache] and list(cache.iterdir()) == [cache / "weights.pth"]


def test_self_test_rejects_a_jail_that_only_claims_isolation():
    fake = sandbox.Isolation("unshare", ("env",), True, False, "claims the network is cut")
    passed, why = sandbox.self_test(fake)
    assert not passed and "loopback" in why
    fake_fs = sandbox.Isolation("unshare", ("unshare", "--net"), True, False, "claims a private filesystem",
                                fs_isolated=True)
    if sandbox.self_test(sandbox.Isolation("unshare", ("unshare", "--net"), True, False, "net"))[0]:
        passed, why = sandbox.self_test(fake_fs)
        assert not passed and "filesystem" in why


def test_ci_gets_the_jail():
    if not REQUIRE_JAIL:
        pytest.skip("COURSE_REQUIRE_JAIL=1 일 때만 (CI)")
    isolation = sandbox.detect_isolation()
    assert isolation.kind == "bwrap" and isolation.fs_isolated and isolation.network_isolated, isolation


@pytest.mark.parametrize("text, expected", [("8G", 8 * 1024**3), ("512M", 512 * 1024**2), ("64k", 65536),
                                            ("1000", 1000), ("0", None), ("none", None), (None, None),
                                            ("1.5G", int(1.5 * 1024**3)), ("2GiB", 2 * 1024**3)])
def test_parse_size(text, expected):
    assert sandbox.parse_size(text) == expected


def test_parse_size_rejects_nonsense():
    with pytest.raises(ValueError, match="8G"):
        sandbox.parse_size("lots")
    with pytest.raises(grade.GradeError, match="한도"):
        grade.grade_submissions(Path(__file__).parent, build_dir=Path(__file__).parent, memory_limit="lots")
