"""Tampering checks, part 1: the static scan of a submitted notebook (no code is run).

otter-grader runs the tests inside the student's own kernel, in the student's global namespace,
after the student's code has run. Whatever that code changed is still changed when the tests
run. Two layers make a faked score visible instead of silent:

**Static scan** (:func:`scan_notebook`): every code cell is turned into plain Python by IPython's
own input transformer (so ``%%writefile`` and ``!cmd`` are seen as calls) and walked as an AST;
cells that still do not parse fall back to regular expressions. Flagged (Korean reasons):

- assigning, deleting or ``setattr``-ing attributes of numpy/np, torch, math, builtins, otter,
  operator, unittest, doctest, pickle (any alias they were imported as), e.g.
  ``np.allclose = lambda *a, **k: True``, ``torch.testing.assert_close = ...``;
  writing ``__class__``/``__dict__``/``__code__``/``__globals__`` attributes;
  ``globals()[...] =``, ``vars(x).update(...)``;
- rebinding ``grader`` or its attributes (``grader.check = lambda *a: None``), touching
  ``grader``'s private attributes or otter internals (``otter.execute``, ``Checker``), creating
  another ``otter.Notebook(...)`` or one whose ``tests_dir`` is not ``"tests"``;
- shadowing builtins the tests use (``def isinstance(*a): return True``, ``len = ...``);
- writing, copying, moving or deleting files under ``tests/`` (``open("tests/q.py", "w")``,
  ``%%writefile tests/...``, ``!cp ... tests/``), ``%cd tests``;
- a class whose ``__eq__``/``__bool__``/ordering methods always return ``True`` (``__ne__``
  always ``False``), comparison methods on subclasses of float/int/ndarray/Tensor, and
  ``__array_ufunc__``/``__array_function__``/``__torch_function__``/``__instancecheck__``;
- ``sys.modules``, ``ctypes``, ``gc``, ``unittest.mock``, frame access (``sys._getframe``,
  ``f_globals``, ``f_back``), ``exec``/``eval``/``compile``/``__import__``.

Limits, honestly: a submission runs arbitrary Python with the grader's privileges (inside a time
limit and, where the OS allows, without network). Code that patches and restores inside a single
cell, obfuscates beyond what an AST shows (e.g. builds the attribute name at run time and passes
it to a function not in the list), patches C-level state through ``ctypes``, reads this probe's
closure, or forges otter's results pickle can defeat the probe; the scan then remains, and it
can be evaded by sufficiently indirect code. Hidden tests should also check types and shapes
(``type(x) is np.ndarray``), not only ``==``. Flags are reasons for a human to look (status
``review``), not proof of cheating; a flagged submission keeps its computed score.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from helpers.authoring.notebook_io import ANSWER_TAGS, cell_source

PROTECTED_MODULES = (
    "numpy", "torch", "math", "builtins", "__builtins__", "otter", "operator", "unittest",
    "doctest", "pickle",
)
DEFAULT_ALIASES = {"np": "numpy", "npt": "numpy", **{m: m for m in PROTECTED_MODULES}}
SHADOWED_BUILTINS = frozenset({
    "isinstance", "issubclass", "type", "len", "abs", "all", "any", "bool", "float", "int",
    "round", "hasattr", "getattr", "callable", "repr", "str", "AssertionError", "Exception",
    "__import__", "exec", "eval", "compile", "globals", "print", "open",
})
DANGEROUS_ATTRS = frozenset({
    "__class__", "__dict__", "__code__", "__globals__", "__builtins__", "__defaults__",
    "__kwdefaults__", "__closure__",
})
GRADER_METHODS = frozenset({"check", "check_all", "export", "to_pdf", "submit"})
COMPARE_DUNDERS = {
    "__eq__": True, "__ne__": False, "__bool__": True, "__lt__": True, "__le__": True,
    "__gt__": True, "__ge__": True, "__contains__": True,
}
OVERRIDE_DUNDERS = frozenset({
    "__array_ufunc__", "__array_function__", "__torch_function__", "__instancecheck__",
    "__subclasscheck__",
})
NUMERIC_BASES = frozenset({"float", "int", "complex", "ndarray", "Tensor", "float64", "float32", "bool"})
BANNED_IMPORTS = ("ctypes", "_ctypes", "gc", "unittest.mock", "mock")
SYS_MODULES_MUTATORS = frozenset({"pop", "popitem", "update", "setdefault", "clear", "__setitem__", "__delitem__"})
FRAME_ATTRS = frozenset({"_getframe", "f_globals", "f_locals", "f_back", "currentframe", "tb_frame"})
FILE_FUNCS = frozenset({
    "open", "write_text", "write_bytes", "touch", "unlink", "remove", "rmtree", "rename", "replace",
    "copy", "copy2", "copyfile", "copytree", "move", "mkdir", "makedirs", "symlink", "link", "chmod",
    "chdir", "system", "popen", "run", "Popen", "call", "check_call", "check_output",
    "run_cell_magic", "run_line_magic", "getoutput", "savetxt", "save", "dump", "to_csv", "writefile",
})
IPYTHON_LABELS = {"run_cell_magic": "%%셀 매직", "run_line_magic": "%매직", "system": "!셸 명령", "getoutput": "!셸 명령"}
TESTS_PATH_RE = re.compile(r"(^|[\s/\\'\"=>])\.?[/\\]?tests([/\\]|$|\s)")


@dataclass(frozen=True)
class Finding:
    """One suspicious construct: the code cell index in the notebook and a Korean reason."""

    cell: int
    reason: str

    def __str__(self) -> str:
        return f"셀 {self.cell}: {self.reason}"


# --------------------------------------------------------------------------------------------
# Static scan
# --------------------------------------------------------------------------------------------
def _to_python(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` → ``["a", "b", "c"]``; subscripts are skipped (``a[0].b`` → ``["a", "b"]``)."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call):
            parts.append("()")
            node = node.func
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return parts[::-1]
        else:
            return None


def collect_aliases(sources: Iterable[str]) -> dict[str, str]:
    """Names bound to protected modules anywhere in the notebook (``import numpy as np`` …)."""
    aliases = dict(DEFAULT_ALIASES)
    for source in sources:
        try:
            tree = ast.parse(_to_python(source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    root = alias.name.split(".")[0]
                    if root in PROTECTED_MODULES:
                        aliases[alias.asname or root] = root
            elif isinstance(node, ast.ImportFrom) and node.module:
                root = node.module.split(".")[0]
                if root in PROTECTED_MODULES:
                    for alias in node.names:
                        # `from numpy import testing as npt` binds a submodule: protect it;
                        # `from numpy import allclose` binds a function: rebinding it is harmless
                        if alias.name in _SUBMODULES.get(root, ()):
                            aliases[alias.asname or alias.name] = root
    return aliases


_SUBMODULES = {
    "numpy": ("testing", "linalg", "random", "ma", "lib", "core"),
    "torch": ("testing", "nn", "linalg", "functional", "Tensor", "autograd", "special"),
    "otter": ("check", "execute", "test_files", "run", "utils", "Notebook"),
    "unittest": ("mock", "case", "TestCase"),
}


class _Scanner(ast.NodeVisitor):
    def __init__(self, aliases: Mapping[str, str], strict: bool = False) -> None:
        self.aliases = aliases
        self.strict = strict  # an answer cell: no comparison override and no type(...) class at all
        self.reasons: list[str] = []
        self.notebook_calls = 0

    def flag(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    # --- targets of assignment / deletion ----------------------------------------------------
    def _target(self, target: ast.AST, value: ast.AST | None, verb: str) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, None, verb)
            return
        if isinstance(target, ast.Starred):
            self._target(target.value, None, verb)
            return
        if isinstance(target, ast.Name):
            self._name_binding(target.id, value)
            return
        parts = _dotted(target)
        if isinstance(target, ast.Subscript):
            base = target.value
            if isinstance(base, ast.Call) and isinstance(base.func, ast.Name) and base.func.id in ("globals", "vars", "locals"):
                self.flag(f"{base.func.id}()[...] 로 이름공간을 직접 {verb}")
                return
            base_parts = _dotted(base)
            if base_parts and base_parts[-1] == "__dict__":
                self.flag(f"{'.'.join(base_parts)}[...] 를 직접 {verb}")
                return
            if base_parts and base_parts[:2] == ["sys", "modules"]:
                self.flag(f"sys.modules 를 {verb}")
                return
        if not parts:
            return
        text = ".".join(parts)
        if self.aliases.get(parts[0]) == "torch" and parts[1:2] == ["backends"]:
            return  # torch.backends.cudnn.benchmark = True: configuration, not tampering
        if parts[0] in self.aliases and len(parts) > 1:
            self.flag(f"모듈 속성 {text} 을(를) {verb} (테스트가 쓰는 함수를 바꿀 수 있음)")
        elif parts[0] == "grader":
            self.flag(f"{text} 을(를) {verb} (채점기 grader 를 바꿈)")
        elif any(p in DANGEROUS_ATTRS for p in parts[1:]):
            self.flag(f"{text} 을(를) {verb} (객체 내부 속성을 바꿈)")
        elif parts[:2] == ["sys", "modules"]:
            self.flag(f"sys.modules 를 {verb}")

    def _name_binding(self, name: str, value: ast.AST | None) -> None:
        if name == "grader":
            if value is not None and self._is_allowed_notebook(value):
                return
            self.flag("이름 grader 를 다른 값으로 바꿈 (채점기를 바꿈)")
        elif name in SHADOWED_BUILTINS:
            self.flag(f"내장 이름 {name} 을(를) 다시 정의함 (테스트가 쓰는 내장 함수를 가림)")
        elif name in self.aliases and name not in ("builtins", "__builtins__") and value is not None:
            self.flag(f"모듈 이름 {name} 에 다른 값을 넣음")
        elif name == "__builtins__":
            self.flag("__builtins__ 를 바꿈")

    def _is_allowed_notebook(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        parts = _dotted(node.func)
        if parts not in (["otter", "Notebook"], ["Notebook"]):
            return False
        keywords = {k.arg: k.value for k in node.keywords}
        tests_dir = keywords.get("tests_dir")
        return (
            not node.args and set(keywords) == {"tests_dir"}
            and isinstance(tests_dir, ast.Constant) and tests_dir.value in ("tests", "./tests", "tests/")
        )

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target, node.value, "바꿈")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target, None, "바꿈")
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value, "바꿈")
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._target(node.target, node.value, "바꿈")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._target(target, None, "지움")
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._target(node.target, None, "바꿈")
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._target(item.optional_vars, None, "바꿈")
        self.generic_visit(node)

    # --- definitions -------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name in SHADOWED_BUILTINS or node.name == "grader":
            self._name_binding(node.name, None)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in SHADOWED_BUILTINS or node.name == "grader":
            self._name_binding(node.name, None)
        bases = {(_dotted(b) or [""])[-1] for b in node.bases}
        numeric = bool(bases & NUMERIC_BASES)
        for item in node.body:
            methods: list[tuple[str, ast.AST]] = []
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append((item.name, item))
            elif isinstance(item, ast.Assign):
                for target in item.targets:
                    if isinstance(target, ast.Name):
                        methods.append((target.id, item.value))
            for name, body in methods:
                if name in OVERRIDE_DUNDERS:
                    self.flag(f"클래스 {node.name} 가 {name} 를 정의함 (numpy/torch/isinstance 동작을 바꿀 수 있음)")
                elif name in COMPARE_DUNDERS:
                    if self.strict:
                        self.flag(f"답안 셀의 클래스 {node.name} 가 비교 메서드 {name} 를 정의함 (답의 비교를 바꿀 수 있음)")
                    elif _always_returns(body, COMPARE_DUNDERS[name]):
                        self.flag(f"클래스 {node.name} 의 {name} 가 항상 {COMPARE_DUNDERS[name]} 를 돌려줌 (비교를 속임)")
                    elif numeric:
                        self.flag(f"숫자/배열 타입을 상속한 클래스 {node.name} 가 {name} 를 바꿈 (비교를 속일 수 있음)")
        self.generic_visit(node)

    # --- imports and names --------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in BANNED_IMPORTS or alias.name.split(".")[0] in ("ctypes", "_ctypes", "gc"):
                self.flag(f"{alias.name} 를 import 함 (메모리/객체를 직접 조작할 수 있음)")
            elif alias.name.startswith("otter.") :
                self.flag(f"otter 내부 모듈 {alias.name} 를 import 함")
            bound = alias.asname or alias.name.split(".")[0]
            if alias.asname and (bound in SHADOWED_BUILTINS or bound == "grader"):
                self._name_binding(bound, None)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        names = [a.name for a in node.names]
        if module.split(".")[0] in ("ctypes", "_ctypes", "gc") or module in ("unittest.mock", "mock") or (
            module == "unittest" and "mock" in names
        ):
            self.flag(f"{module} 에서 import 함 (객체/테스트를 조작할 수 있음)")
        if module == "sys" and any(n in ("modules", "_getframe") for n in names):
            self.flag(f"sys 에서 {', '.join(names)} 를 import 함")
        if module.split(".")[0] == "otter" and (module != "otter" or set(names) - {"Notebook"}):
            self.flag(f"otter 내부({module}: {', '.join(names)})를 import 함")
        for alias in node.names:
            bound = alias.asname or alias.name
            if bound in SHADOWED_BUILTINS or bound == "grader":
                self._name_binding(bound, None)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        parts = _dotted(node) or []
        if node.attr in FRAME_ATTRS:
            self.flag(f"실행 프레임({node.attr})에 접근함")
        if parts and parts[0] == "grader" and len(parts) > 1 and parts[1] not in GRADER_METHODS:
            self.flag(f"grader.{parts[1]} 에 접근함 (채점기 내부)")
        if parts and self.aliases.get(parts[0]) == "otter" and len(parts) > 1 and parts[1] not in ("Notebook", "()"):
            self.flag(f"otter 내부({'.'.join(parts[:3])})에 접근함")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in ("Checker", "GradingResults", "OKTestFile"):
            self.flag(f"otter 내부 클래스 {node.id} 를 사용함")

    # --- calls ---------------------------------------------------------------------------------
    def _dynamic_class(self, node: ast.Call, parts: list[str]) -> None:
        """``type(name, bases, namespace)`` / ``types.new_class(...)``: a class built at run time."""
        if parts == ["type"] and len(node.args) == 3:
            bases, namespace = node.args[1], node.args[2]
            base_names = {(_dotted(b) or [""])[-1] for b in getattr(bases, "elts", [])}
            keys = set()
            if isinstance(namespace, ast.Dict):
                keys = {k.value for k in namespace.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            elif isinstance(namespace, ast.Call) and (_dotted(namespace.func) or [""])[-1] == "dict":
                keys = {k.arg for k in namespace.keywords if k.arg}
            risky = sorted(keys & (set(COMPARE_DUNDERS) | OVERRIDE_DUNDERS))
            if risky or base_names & NUMERIC_BASES or self.strict:
                what = ", ".join(risky) or ", ".join(sorted(base_names & NUMERIC_BASES)) or "클래스"
                self.flag(f"type(...) 으로 클래스를 만듦 ({what}; 답의 타입이나 비교를 바꿀 수 있음)")
        elif parts[-2:] == ["types", "new_class"] or parts == ["new_class"]:
            self.flag("types.new_class(...) 로 클래스를 만듦 (답의 타입이나 비교를 바꿀 수 있음)")

    def visit_Call(self, node: ast.Call) -> None:
        parts = _dotted(node.func) or []
        name = parts[-1] if parts else ""
        self._dynamic_class(node, parts)
        if name in ("setattr", "delattr", "__setattr__", "__delattr__"):
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Name) and first.id == "self"):
                self.flag(f"{name}(...) 로 속성을 바꿈")
        if parts in (["exec"], ["eval"], ["compile"], ["__import__"]):
            self.flag(f"{name}(...) 로 코드를 동적으로 실행함")
        if parts[:1] == ["importlib"] or name in ("import_module", "reload"):
            self.flag(f"{'.'.join(parts)}(...) 로 모듈을 다시 불러옴")
        if parts[:2] == ["sys", "modules"] and name in SYS_MODULES_MUTATORS:
            self.flag(f"sys.modules.{name}(...) 로 모듈을 바꿔치기함")
        if name == "update" and len(parts) >= 2:
            owner = parts[:-1]
            if owner[-1] in ("()", "__dict__") or owner[:2] == ["sys", "modules"]:
                self.flag(f"{'.'.join(parts)}(...) 로 이름공간을 한꺼번에 바꿈")
        aliased_notebook = len(parts) >= 2 and parts[-1] == "Notebook" and self.aliases.get(parts[0]) == "otter"
        if parts in (["otter", "Notebook"], ["Notebook"]) or aliased_notebook:
            self.notebook_calls += 1
            if not self._is_allowed_notebook(node):
                self.flag("otter.Notebook(...) 을 다른 설정(tests_dir 등)으로 만듦")
        if parts and parts[0] == "type" and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "grader":
            self.flag("type(grader) 로 채점기 클래스에 접근함")
        if name in FILE_FUNCS and _mentions_tests_path(node):
            label = IPYTHON_LABELS.get(name) if parts[:1] == ["get_ipython"] else None
            label = label or ".".join(p for p in parts if p != "()") + "(...)"
            self.flag(f"{label} 로 tests/ 폴더를 건드림 (테스트 파일을 바꿀 수 있음)")
        self.generic_visit(node)


def _mentions_tests_path(node: ast.Call) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            if child.value.strip() in ("tests", "./tests") or TESTS_PATH_RE.search(child.value):
                return True
    return False


def _always_returns(node: ast.AST, constant: bool) -> bool:
    """True when every ``return`` of a method (or a lambda body) is the given constant."""
    if isinstance(node, ast.Lambda):
        return isinstance(node.body, ast.Constant) and node.body.value == constant
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
    if not returns:
        return False
    return all(
        isinstance(r.value, ast.Constant) and r.value.value == constant and type(r.value.value) in (bool, int)
        for r in returns
    )


_REGEX_RULES = [
    (re.compile(r"\b(np|numpy|torch|math|builtins|__builtins__|otter|operator|unittest|doctest|pickle)(\.\w+)+\s*=(?!=)"),
     "모듈 속성을 바꾸는 코드 (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"^\s*grader\s*(\.\s*\w+\s*)?=(?!=)", re.MULTILINE), "grader 를 바꾸는 코드 (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"sys\s*\.\s*modules"), "sys.modules 사용 (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"\bimport\s+(ctypes|gc)\b"), "ctypes/gc import (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"\b(setattr|delattr)\s*\("), "setattr/delattr 사용 (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"def\s+__(eq|ne|bool|lt|le|gt|ge)__"), "비교 메서드 재정의 (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"\btype\s*\([^()]*,[^()]*\(\s*(float|int|complex)\b"),
     "type(...) 으로 숫자 타입을 상속한 클래스 (문법 오류 셀, 정규식 검사)"),
    (re.compile(r"""['"]\.?/?tests[/\\]"""), "tests/ 경로 사용 (문법 오류 셀, 정규식 검사)"),
]


def scan_source(source: str, aliases: Mapping[str, str] | None = None, *, answer: bool = False) -> list[str]:
    """Korean reasons why one code cell looks like tampering (empty list: nothing found).

    ``answer``: the cell is an answer cell, where any comparison method (``__eq__``, ``__ne__``,
    ``__bool__``, ``__lt__``…) and any class built with ``type(name, bases, dict)`` is flagged:
    an answer is a value or a function, and an object that decides its own comparisons can make
    any ``==`` in a test true.
    """
    aliases = collect_aliases([source]) if aliases is None else aliases
    python = _to_python(source)
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return [reason for pattern, reason in _REGEX_RULES if pattern.search(source)]
    scanner = _Scanner(aliases, strict=answer)
    scanner.visit(tree)
    return scanner.reasons


def scan_notebook(nb: Mapping[str, Any]) -> list[Finding]:
    """Scan every code cell of a notebook; more than one ``otter.Notebook(...)`` is flagged too."""
    cells = nb.get("cells", [])
    sources = [(i, cell_source(c)) for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    answers = {i for i, c in enumerate(cells) if set(c.get("metadata", {}).get("tags", []) or []) & set(ANSWER_TAGS)}
    aliases = collect_aliases(s for _, s in sources)
    findings: list[Finding] = []
    notebook_cells = []
    for index, source in sources:
        python = _to_python(source)
        try:
            tree = ast.parse(python)
        except SyntaxError:
            findings += [Finding(index, r) for p, r in _REGEX_RULES if p.search(source)]
            continue
        scanner = _Scanner(aliases, strict=index in answers)
        scanner.visit(tree)
        findings += [Finding(index, r) for r in scanner.reasons]
        if scanner.notebook_calls:
            notebook_cells.append(index)
    if len(notebook_cells) > 1:
        findings.append(Finding(notebook_cells[1], f"otter.Notebook(...) 을 여러 번 만듦 (셀 {notebook_cells})"))
    return findings
