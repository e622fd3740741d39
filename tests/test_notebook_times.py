"""benchmarks.notebook_times: runs a notebook in a fresh kernel, appends a CSV row, keeps outputs."""
import csv

import nbformat

from benchmarks import notebook_times


def _notebook(path, source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)
    return path


def test_times_a_notebook_and_saves_the_executed_copy(tmp_path):
    good = _notebook(tmp_path / "good.ipynb", "import os; print('프로파일', os.environ['COURSE_PROFILE'])")
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('고장')")
    table, saved = tmp_path / "times.csv", tmp_path / "executed"
    code = notebook_times.main(["--profile", "quick", "--append", str(table), "--save-executed", str(saved),
                                str(good), str(bad)])
    assert code == 1  # one notebook failed
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [(r["notebook"], r["profile"]) for r in rows] == [("good.ipynb", "quick"), ("bad.ipynb", "quick")]
    assert rows[0]["status"] == "ok" and float(rows[0]["seconds"]) > 0
    assert rows[1]["status"].startswith("error") and "고장" in rows[1]["status"]
    executed = nbformat.read(saved / "good.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "프로파일 quick\n"
    assert not nbformat.read(good, as_version=4).cells[0].outputs  # the source notebook is untouched
