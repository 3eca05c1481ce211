"""What a kata may not do in a graded run, found by reading its source.

A kata is graded on what its own code computes. The grader reads every file
of ``katas/`` (without importing it) and, for each chapter, collects the
findings below; a chapter with a finding scores zero, and the finding is
shown as the reason. The rules are the ways a kata could score without
solving the chapter:

- ``imports-reference``: importing the solved curriculum (``reference``),
  by an import statement or a string naming it (``importlib``, a path);
- ``test-machinery``: importing the tests, their plugins or pytest, to
  reach into the run that checks the kata;
- ``dynamic-code``: ``exec``, ``eval``, ``compile``, ``__import__``,
  ``importlib`` and the like, whose effect a reader cannot see;
- ``introspection``: ``inspect``, ``gc``, ``ctypes``, ``sys._getframe``,
  ``sys.modules``: reading or rewriting the tests' own objects;
- ``process``: leaving or replacing the test process (``os._exit``,
  ``subprocess``, ``sys.exit``) or changing its environment (``os.environ``);
- ``monkeypatch``: assigning to an attribute of an imported module
  (``torch.allclose = ...``, ``setattr(torch, ...)``), which would change
  what the tests compute (``torch.backends`` flags excepted);
- ``symlink``: a kata that is a link to another file.

None of these is needed to write any chapter. A finding in ``katas/__init__.py``
counts against every chapter; one in a helper module of yours counts against
each chapter that imports it.
"""

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .chapters import CHAPTERS, chapter_of_path

TEST_MACHINERY = "test-machinery"

FORBIDDEN_MODULES = {
    "reference": ("imports-reference", "imports the reference solution"),
    "gallery": ("imports-reference", "imports the gallery (variants of the reference solution)"),
    "tests": (TEST_MACHINERY, "imports the tests"),
    "conftest": (TEST_MACHINERY, "imports the tests' conftest"),
    "kata_tools": (TEST_MACHINERY, "imports kata_tools, the test machinery"),
    "pytest": (TEST_MACHINERY, "imports pytest"),
    "_pytest": (TEST_MACHINERY, "imports pytest's internals"),
    "pluggy": (TEST_MACHINERY, "imports pluggy, pytest's plugin system"),
    "xdist": (TEST_MACHINERY, "imports pytest-xdist"),
    "unittest": (TEST_MACHINERY, "imports unittest (mock patching)"),
    "importlib": ("dynamic-code", "imports importlib (modules imported by name at run time)"),
    "runpy": ("dynamic-code", "imports runpy (code run by name at run time)"),
    "builtins": ("dynamic-code", "imports builtins"),
    "code": ("dynamic-code", "imports code (an interpreter inside the kata)"),
    "codeop": ("dynamic-code", "imports codeop"),
    "marshal": ("dynamic-code", "imports marshal (compiled code)"),
    "inspect": ("introspection", "imports inspect (reading the caller, i.e. the test)"),
    "gc": ("introspection", "imports gc (reaching other objects, i.e. the test's)"),
    "ctypes": ("introspection", "imports ctypes (raw memory access)"),
    "subprocess": ("process", "imports subprocess (running other programs)"),
    "multiprocessing": ("process", "imports multiprocessing"),
    "pty": ("process", "imports pty"),
    "signal": ("process", "imports signal"),
}

FORBIDDEN_NAMES = {
    "exec": ("dynamic-code", "calls exec"),
    "eval": ("dynamic-code", "calls eval"),
    "compile": ("dynamic-code", "calls compile"),
    "__import__": ("dynamic-code", "calls __import__"),
    "__builtins__": ("dynamic-code", "uses __builtins__"),
}

_SYS_INTROSPECTION = ("_getframe", "_current_frames", "modules", "meta_path", "path_hooks", "path_importer_cache",
                      "path", "settrace", "setprofile", "addaudithook")
FORBIDDEN_ATTRIBUTES = {
    **{f"sys.{name}": ("introspection", f"uses sys.{name}") for name in _SYS_INTROSPECTION},
    "sys.exit": ("process", "calls sys.exit (ending the test run)"),
    **{f"os.{name}": ("process", f"uses os.{name}") for name in (
        "_exit", "system", "popen", "fork", "forkpty", "kill", "killpg", "abort", "putenv", "unsetenv",
        "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
        "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
        "posix_spawn", "posix_spawnp")},
}
MUTATING_METHODS = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}
ALLOWED_ASSIGNMENT_PREFIXES = ("torch.backends.",)

# A string naming the reference as a module ("reference", "reference.chapter06_...") or a path (".../reference/...").
REFERENCE_STRING = re.compile(r"^\s*reference(\.\w+)*\s*$|(^|[/\\.])reference[/\\]")


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the repository, e.g. "katas/chapter07_multi_head_attention.py"
    line: int
    rule: str
    reason: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class KataScan:
    files: list = field(default_factory=list)  # relative paths inside katas/ that are graded (copied)
    by_chapter: dict = field(default_factory=dict)  # chapter label -> [Finding]
    notes: list = field(default_factory=list)  # what was left out, and why (no effect on points)


class _Visitor(ast.NodeVisitor):
    def __init__(self, relative):
        self.relative = relative
        self.findings = []
        self.aliases = {}  # local name -> the dotted name it was imported as
        self.katas_imports = set()  # modules of katas/ this file imports (dotted, relative to katas)
        self._docstrings = set()

    def _add(self, node, rule_and_reason, detail=""):
        rule, reason = rule_and_reason
        self.findings.append(Finding(self.relative, getattr(node, "lineno", 0), rule, reason + detail))

    # ---- names

    def _check_module(self, node, dotted):
        root = dotted.split(".")[0]
        if root in FORBIDDEN_MODULES:
            self._add(node, FORBIDDEN_MODULES[root], f" ({dotted})" if dotted != root else "")
        elif dotted in FORBIDDEN_ATTRIBUTES:
            self._add(node, FORBIDDEN_ATTRIBUTES[dotted])

    def qualified(self, node):
        """The dotted name of ``node`` when it starts from an imported name, else None."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.aliases:
            return ".".join([self.aliases[node.id], *reversed(parts)])
        return None

    # ---- imports

    def visit_Import(self, node):
        for alias in node.names:
            self._check_module(node, alias.name)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                root = alias.name.split(".")[0]
                self.aliases[root] = root
            if alias.name == "katas" or alias.name.startswith("katas."):
                self.katas_imports.add(alias.name[len("katas."):] if "." in alias.name else "__init__")

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level == 0:
            self._check_module(node, module)
            for alias in node.names:
                if module.split(".")[0] not in FORBIDDEN_MODULES:
                    self._check_module(node, f"{module}.{alias.name}")
                self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
            if module == "katas":
                self.katas_imports.update(alias.name for alias in node.names)
            elif module.startswith("katas."):
                self.katas_imports.add(module[len("katas."):])
        else:
            if module.split(".")[0] == "reference" or any(alias.name == "reference" for alias in node.names):
                self._add(node, FORBIDDEN_MODULES["reference"])
            base = self.relative_package(node.level)
            if module:
                self.katas_imports.add(".".join(filter(None, [base, module])))
            else:
                self.katas_imports.update(".".join(filter(None, [base, alias.name])) for alias in node.names)
            for alias in node.names:  # another chapter's class, say: patching it is patching a library too
                self.aliases[alias.asname or alias.name] = ".".join(filter(None, ["katas", base, module, alias.name]))
        self.generic_visit(node)

    def relative_package(self, level):
        """The package (dotted, relative to katas) that ``from .`` * level means in this file."""
        package = list(Path(self.relative).with_suffix("").parts[1:-1])  # drop "katas" and the file's own name
        return ".".join(package[: max(0, len(package) - (level - 1))])

    # ---- code

    def visit_Module(self, node):
        self._collect_docstrings(node)
        self.generic_visit(node)

    def _collect_docstrings(self, node):
        for child in ast.walk(node):
            if isinstance(child, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and child.body:
                first = child.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    self._docstrings.add(id(first.value))

    def visit_Constant(self, node):
        if isinstance(node.value, str) and id(node) not in self._docstrings and REFERENCE_STRING.search(node.value):
            self._add(node, ("imports-reference", "names the reference solution in a string"),
                      f" ({node.value.strip()!r})")

    def visit_Name(self, node):
        if node.id in FORBIDDEN_NAMES and node.id not in self.aliases:
            self._add(node, FORBIDDEN_NAMES[node.id])
        dotted = self.aliases.get(node.id)
        if dotted in FORBIDDEN_ATTRIBUTES:
            self._add(node, FORBIDDEN_ATTRIBUTES[dotted])
        elif dotted == "os.environ" and isinstance(node.ctx, (ast.Store, ast.Del)):
            self._add(node, ("process", "changes os.environ"))

    def visit_Attribute(self, node):
        dotted = self.qualified(node)
        if dotted in FORBIDDEN_ATTRIBUTES:
            self._add(node, FORBIDDEN_ATTRIBUTES[dotted])
            return  # one finding for sys.modules[...] etc., not one per part
        if dotted is not None and isinstance(node.ctx, (ast.Store, ast.Del)) and not dotted.startswith(
            ALLOWED_ASSIGNMENT_PREFIXES
        ):
            self._add(node, ("monkeypatch", f"assigns {dotted}: a kata may not change other code at run time"))
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if self.qualified(node.value) == "os.environ" and isinstance(node.ctx, (ast.Store, ast.Del)):
            self._add(node, ("process", "changes os.environ"))
        self.generic_visit(node)

    def visit_Call(self, node):
        function = node.func
        if isinstance(function, ast.Name) and function.id in ("setattr", "delattr") and node.args:
            target = self.qualified(node.args[0])
            if target is not None and not (target + ".").startswith(ALLOWED_ASSIGNMENT_PREFIXES):
                self._add(node, ("monkeypatch",
                                 f"calls {function.id} on {target}: a kata may not change other code at run time"))
        if isinstance(function, ast.Attribute) and function.attr in MUTATING_METHODS:
            if self.qualified(function.value) == "os.environ":
                self._add(node, ("process", "changes os.environ"))
        self.generic_visit(node)


def scan_source(source, relative):
    """(findings, katas modules it imports) of one file's source; raises SyntaxError."""
    tree = ast.parse(source, filename=relative)
    visitor = _Visitor(relative)
    visitor.visit(tree)
    return visitor.findings, visitor.katas_imports


def _module_name(relative_to_katas):
    path = Path(relative_to_katas).with_suffix("")
    return ".".join(path.parts[:-1]) if path.name == "__init__" and len(path.parts) > 1 else ".".join(path.parts)


def scan(katas_dir, prefix="katas"):
    """Scan every file of ``katas_dir``; see KataScan."""
    katas_dir = Path(katas_dir)
    result = KataScan(by_chapter={entry.label: [] for entry in CHAPTERS})
    modules = {}  # module name (dotted, relative to katas; "__init__" for the package) -> (findings, imports)
    if not katas_dir.is_dir():
        result.notes.append(f"{prefix}/ is missing: every chapter fails")
        return result
    for path in sorted(katas_dir.rglob("*")):
        relative_inside = path.relative_to(katas_dir).as_posix()
        relative = f"{prefix}/{relative_inside}"
        if "__pycache__" in path.parts or path.is_dir() and not path.is_symlink():
            continue
        if path.suffix != ".py":
            if path.is_file():
                result.notes.append(f"{relative}: not a Python file, not graded")
            continue
        name = _module_name(relative_inside)
        if path.is_symlink():
            target = os.readlink(path)
            link = Finding(relative, 0, "symlink", f"is a symbolic link (to {target}): not graded")
            modules[name] = (modules.get(name, ([], set()))[0] + [link], modules.get(name, ([], set()))[1])
            continue
        if path.name == "conftest.py":
            result.notes.append(f"{relative}: a conftest.py in katas/ is never loaded by the graded run")
            continue
        result.files.append(relative_inside)
        try:
            findings, imports = scan_source(path.read_text(encoding="utf-8", errors="replace"), relative)
        except SyntaxError as error:
            result.notes.append(f"{relative}: does not parse (line {error.lineno}: {error.msg}); its tests fail")
            findings, imports = [], set()
        earlier_findings, earlier_imports = modules.get(name, ([], set()))  # a module and a package of one name
        modules[name] = (earlier_findings + findings, earlier_imports | imports)

    def reachable_findings(start):
        seen, queue, found = {start}, [start], []
        while queue:
            name = queue.pop()
            findings, imports = modules.get(name, ([], set()))
            found.extend(findings)
            for imported in imports:
                is_chapter = chapter_of_path(imported.split(".")[-1] + ".py") is not None
                if imported not in seen and imported in modules and not is_chapter:
                    seen.add(imported)
                    queue.append(imported)
        return found

    package_findings = reachable_findings("__init__") if "__init__" in modules else []
    for entry in CHAPTERS:
        findings = list(package_findings)
        if entry.module in modules:
            findings += [f for f in reachable_findings(entry.module) if f not in findings]
        result.by_chapter[entry.label] = findings
    return result


def same_code(first, second):
    """Whether two Python files hold the same code, comments and layout aside (None when unreadable)."""
    try:
        return ast.dump(ast.parse(Path(first).read_text(encoding="utf-8"))) == ast.dump(
            ast.parse(Path(second).read_text(encoding="utf-8"))
        )
    except (OSError, SyntaxError, ValueError):
        return None
