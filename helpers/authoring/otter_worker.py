"""Grade ONE submission with otter-grader and write its results as JSON (run as a script).

``course-grade`` starts this file in its own process (own session, time limit, network
namespace): ``python otter_worker.py --autograder A.zip --submission S.ipynb --out-dir D``.
It is ``otter run -a A.zip -o D S.ipynb`` (the same ``otter.run.main``) plus one extra file,
``D/course_results.json``, with every test case's outcome (public or hidden, points, message) so
that the grader can separate public feedback from hidden test text without parsing otter's
human-readable summaries.

It is run by path, not as ``helpers.authoring.otter_worker``, so that it does not import the
``helpers`` package (and torch) before the notebook itself does. Standard library + otter only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback


def _case(tcr) -> dict:
    tc = tcr.test_case
    return {
        "name": tc.name,
        "hidden": bool(tc.hidden),
        "points": float(tc.points or 0),
        "passed": bool(tcr.passed),
        "message": tcr.message or "",
        "failure_message": tc.failure_message or "",
        "success_message": tc.success_message or "",
    }


def results_to_dict(results) -> dict:
    """otter ``GradingResults`` → plain JSON-able dict."""
    error = results.catastrophic_error
    questions = {}
    if error is None:
        for name, tf in results.results.items():
            questions[name] = {
                "score": float(tf.score),
                "possible": float(tf.possible),
                "cases": [_case(tcr) for tcr in tf.test_case_results],
            }
    return {
        "catastrophic_error": None if error is None else "".join(traceback.format_exception_only(type(error), error)).strip(),
        "questions": questions,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Grade one submission with otter (course-grade worker).")
    parser.add_argument("--autograder", required=True)
    parser.add_argument("--submission", required=True)
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args(argv)

    # jsonschema (via nbformat) builds an IRI grammar at import when rfc3987-syntax is installed:
    # ~3 s of CPU per process for a format check nbformat never uses
    sys.modules.setdefault("rfc3987_syntax", None)
    from otter.run import main as otter_run

    os.makedirs(args.out_dir, exist_ok=True)
    results = otter_run(args.submission, autograder=args.autograder, output_dir=args.out_dir, no_logo=True)
    payload = results_to_dict(results)
    path = os.path.join(args.out_dir, "course_results.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
