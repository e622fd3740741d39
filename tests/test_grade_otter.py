"""What course-grade relies on in otter-grader, and otter's own paths for scaling past one machine.

- every otter/numpy/torch internal the integrity probe guards still exists in the installed
  versions (a vanished target would silently leave its function unguarded);
- the autograder zip built by ``course-build`` is complete (tests of every question, otter's
  config, the files otter's Docker image and Gradescope run) and grades with plain
  ``otter run`` in a clean folder, without any of this course's wrappers (the demo lesson).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fixtures import pipeline
from helpers.authoring import grade, tamper_probe

DEMO = pipeline.DEMO


def test_every_probe_target_resolves_in_the_installed_packages():
    missing = tamper_probe.missing_targets()
    assert missing == [], f"무결성 점검이 지키는 함수가 설치된 패키지에 없습니다 (PROBE_TARGETS 를 고치세요): {missing}"


def test_missing_targets_notices_a_vanished_target(monkeypatch):
    monkeypatch.setattr(tamper_probe, "PROBE_TARGETS", (*tamper_probe.PROBE_TARGETS,
                                                        "otter.execute.Checker:no_such_method",
                                                        "otter.no_such_module:thing"))
    assert tamper_probe.missing_targets() == ["otter.execute.Checker.no_such_method", "otter.no_such_module"]


@pytest.mark.slow
@pytest.mark.xdist_group("grade_otter")
def test_autograder_zip_is_complete_and_runs_with_plain_otter_run(tmp_path):
    demo = pipeline.demo_build()
    lesson = demo.by_lesson(DEMO)
    zip_path = Path(lesson.autograder_zip)
    questions = [q["name"] for q in grade.load_lessons(demo.build_dir)[DEMO].questions]
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        config = json.loads(zf.read("otter_config.json"))
    assert {f"tests/{q}.py" for q in questions} <= names, names
    assert {"otter_config.json", "run_autograder", "setup.sh", "run_otter.py"} <= names, names
    assert config.get("assignment_name") == DEMO

    clean = tmp_path / "clean"
    (clean / "out").mkdir(parents=True)
    shutil.copy(zip_path, clean / "autograder.zip")
    pipeline.write(pipeline.solution_filled(demo), clean / "submission.ipynb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(COURSE_PROFILE="quick", MPLBACKEND="Agg")
    otter = Path(sys.executable).with_name("otter")
    done = subprocess.run([str(otter), "run", "-a", "autograder.zip", "-o", "out", "submission.ipynb"],
                          cwd=clean, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((clean / "out" / "results.json").read_text(encoding="utf-8"))
    scores = {t["name"]: (t.get("score"), t.get("max_score")) for t in results["tests"] if t.get("score") is not None}
    assert scores == {q: (2.0, 2.0) for q in questions}, results["tests"]  # Gradescope format, full marks
