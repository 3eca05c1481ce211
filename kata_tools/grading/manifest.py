"""The grading manifest: the sha256 of every file a graded run loads from the grading checkout.

``make grade`` runs the judge from the grading checkout: its own code
(kata_tools/grading/, the chapter table), the points, and ``reference/``,
which it runs to know the right answers. Nothing else of the checkout, and
nothing of a fork but the copied katas, is loaded (``make test`` proves it).
Before grading, the judge compares those files with this manifest and
refuses to grade when one differs, so that an edited reference or judge is
named instead of silently changing grades. It guards the grading checkout
against accidents; it cannot guard a student's own checkout against its
owner, which is why the instructor's grade comes from the instructor's checkout.

    python -m kata_tools.grading.manifest            write the manifest (make manifest)
    python -m kata_tools.grading.manifest --check    exit 1 when it is out of date (make test checks this)

The manifest is in ``sha256sum``'s format, so on a checkout with LF line
endings ``sha256sum -c kata_tools/grading/MANIFEST.sha256`` checks it with no
Python at all. (The checksums are of the text with CRLF read as LF, so a
Windows checkout does not count as modified.)
"""

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..chapters import REPO_ROOT

MANIFEST = "kata_tools/grading/MANIFEST.sha256"
POINTS = "kata_tools/grading/points.json"

# What a graded run loads from the grading checkout. A pattern ending in /** takes every file below that folder.
PROTECTED = (
    "kata_tools/__init__.py",
    "kata_tools/chapters.py",  # the chapter table
    "curriculum.toml",  # the chapter list and each chapter's points, read by chapters.py
    "kata_tools/grading/**",  # the judge, the sandbox, the worker and its probes, the points
    "reference/**",  # the right answers, computed by the judge
)

HEADER = """\
# nanoGPT Katas grading manifest: the sha256 of every file a graded run loads from the grading checkout.
# Written by `make manifest` (python -m kata_tools.grading.manifest); never edit it by hand.
# Check it by hand on an LF checkout: sha256sum -c kata_tools/grading/MANIFEST.sha256
"""


def _ignored(relative):
    parts = PurePosixPath(relative).parts
    return (
        any(part == "__pycache__" or part.startswith(".") for part in parts)
        or relative.endswith((".pyc", ".pyo"))
        or relative == MANIFEST
    )


def protected_files(root=REPO_ROOT):
    """The protected files present under ``root``, as sorted POSIX paths relative to it."""
    root = Path(root)
    found = set()
    for pattern in PROTECTED:
        if "*" not in pattern:
            if (root / pattern).is_file():
                found.add(pattern)
            continue
        base = pattern.removesuffix("/**")
        if not (root / base).is_dir():
            continue
        for path in (root / base).glob("**/*"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and not _ignored(relative):
                found.add(relative)
    return sorted(found)


def digest_of_bytes(content):
    """sha256 of a file's content, with CRLF read as LF in text files."""
    if b"\0" not in content:
        content = content.replace(b"\r\n", b"\n")
    return hashlib.sha256(content).hexdigest()


def digest_of(path):
    return digest_of_bytes(Path(path).read_bytes())


def build(root=REPO_ROOT):
    """{relative path: sha256} of every protected file under ``root``."""
    root = Path(root)
    return {relative: digest_of(root / relative) for relative in protected_files(root)}


def render(entries):
    return HEADER + "".join(f"{digest}  {relative}\n" for relative, digest in sorted(entries.items()))


class ManifestError(ValueError):
    pass


def parse(text, source=MANIFEST):
    """{relative path: sha256} from a manifest's text."""
    entries = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, separator, relative = line.partition("  ")
        if not separator or len(digest) != 64 or not relative:
            raise ManifestError(f"{source}:{number}: not a `sha256  path` line: {line!r}")
        entries[relative.strip()] = digest
    if not entries:
        raise ManifestError(f"{source} lists no files")
    return entries


def read(root=REPO_ROOT):
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise ManifestError(f"{MANIFEST} is missing: a maintainer writes it with `make manifest`")
    return parse(path.read_text(encoding="utf-8"))


@dataclass
class Comparison:
    """How a tree's protected files differ from a manifest."""

    modified: list = field(default_factory=list)  # in the manifest, present, different content
    missing: list = field(default_factory=list)  # in the manifest, absent from the tree
    unlisted: list = field(default_factory=list)  # protected by pattern, absent from the manifest

    @property
    def clean(self):
        return not (self.modified or self.missing or self.unlisted)

    def lines(self):
        return (
            [f"modified: {path}" for path in self.modified]
            + [f"missing: {path}" for path in self.missing]
            + [f"not in the manifest: {path}" for path in self.unlisted]
        )


def compare(entries, root=REPO_ROOT):
    root = Path(root)
    comparison = Comparison()
    for relative, digest in sorted(entries.items()):
        path = root / relative
        if not path.is_file():
            comparison.missing.append(relative)
        elif digest_of(path) != digest:
            comparison.modified.append(relative)
    comparison.unlisted = [relative for relative in protected_files(root) if relative not in entries]
    return comparison


def write(root=REPO_ROOT):
    path = Path(root) / MANIFEST
    text = render(build(root))
    changed = not path.is_file() or path.read_text(encoding="utf-8") != text
    path.parent.mkdir(parents=True, exist_ok=True)
    if changed:
        path.write_text(text, encoding="utf-8", newline="\n")
    return path, changed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.grading.manifest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed manifest is out of date")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.check:
        try:
            comparison = compare(read(arguments.root), arguments.root)
        except ManifestError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        if comparison.clean:
            print(f"{MANIFEST}: up to date ({len(read(arguments.root))} files)")
            return 0
        print(f"{MANIFEST} is out of date; refresh it with `make manifest` and commit it:", file=sys.stderr)
        for line in comparison.lines():
            print(f"  {line}", file=sys.stderr)
        return 1
    path, changed = write(arguments.root)
    count = len(read(arguments.root))
    state = "written" if changed else "already up to date"
    print(f"{path.relative_to(arguments.root).as_posix()}: {state}, {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
