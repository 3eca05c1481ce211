"""The one owner of the stub format and of the reference's solution regions.

A reference module marks what the learner writes between two comment lines, inside a function::

    def forward(self, input_tensor):
        # BEGIN SOLUTION
        ...
        # END SOLUTION

``make katas`` (kata_tools.dev.katagen) replaces each region with a stub that names its function::

    raise NotImplementedError("chapter 06: write AttentionHead.forward")

The pytest plugin, the hints, ``make solution``, ``make map`` and ``make train`` read that message back
with ``parse_stub``; everything that scans regions uses ``solution_regions``.
"""

import ast
import re
from dataclasses import dataclass

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
_STUB = re.compile(r"chapter (\d\d): write (\S+)")


class MarkerError(ValueError):
    """A solution region that is not well formed (nested, unclosed, or outside a function)."""


def stub_message(label, function):
    """The message a stub raises: ``chapter 06: write AttentionHead.forward``."""
    return f"chapter {label}: write {function}"


def parse_stub(text, anywhere=False):
    """(chapter label, function) from a stub's message, or None. ``anywhere``: search inside a longer text."""
    found = _STUB.search(str(text)) if anywhere else _STUB.fullmatch(str(text).strip())
    return found.groups() if found else None


def enclosing_functions(tree):
    """(first line, last line, qualified name) of every function, outermost first."""
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                found.append((child.lineno, child.end_lineno, name))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return found


@dataclass
class Region:
    function: str  # the innermost function around it, e.g. "AttentionHead.forward"
    begin: int  # the line numbers of its BEGIN and END markers (1-based)
    end: int
    indent: str  # the BEGIN marker's indentation
    lines: list  # the code between the markers, with their line ends


def solution_regions(source, filename="<reference>"):
    """The solution regions of a reference module's text, in file order; raises MarkerError."""
    functions = enclosing_functions(ast.parse(source, filename))
    regions, current = [], None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if current is not None:
                raise MarkerError(f"{filename}:{number}: {BEGIN} inside another solution region")
            owners = [name for first, last, name in functions if first < number <= last]
            if not owners:
                raise MarkerError(f"{filename}:{number}: a solution region must sit inside a function")
            current = Region(owners[-1], number, 0, line[: len(line) - len(line.lstrip())], [])
        elif marker == END:
            if current is None:
                raise MarkerError(f"{filename}:{number}: {END} without {BEGIN}")
            current.end = number
            regions.append(current)
            current = None
        elif current is not None:
            current.lines.append(line)
    if current is not None:
        raise MarkerError(f"{filename}:{current.begin}: {BEGIN} is never closed")
    return regions


def stub_source(reference_source, chapter_label, filename="<reference>", written=()):
    """Return the kata text for one reference module's text: each solution region becomes a stub.

    ``written``: names of functions whose regions keep the reference's code (a learner part-way
    through the chapter); their marker lines are dropped all the same.
    """
    lines = reference_source.splitlines(keepends=True)
    output, last = [], 0
    for region in solution_regions(reference_source, filename):
        output += lines[last: region.begin - 1]
        if region.function in written:
            output += region.lines
            last = region.end
            continue
        output.append(f'{region.indent}raise NotImplementedError("{stub_message(chapter_label, region.function)}")\n')
        last = region.end
    output += lines[last:]
    return "".join(output)


def learner_lines(kata_source, reference_source, filename="<kata>"):
    """{function: (first, last)}: the lines (1-based, inclusive) of a kata's text that the learner writes.

    A region's function keeps the reference's given lines around the region (its signature, docstring,
    checks before it, lines after it); whatever lies between them in the kata is the learner's. When the
    given lines no longer match (the learner edited them too), the whole function counts as the learner's.
    Raises SyntaxError for a kata that does not parse, MarkerError for a malformed reference.
    """
    reference_lines = reference_source.splitlines()
    reference_tree = ast.parse(reference_source)
    reference_functions = {name: (first, last) for first, last, name in enclosing_functions(reference_tree)}
    kata_lines = kata_source.splitlines()
    kata_tree = ast.parse(kata_source, filename)
    kata_functions = {name: (first, last) for first, last, name in enclosing_functions(kata_tree)}
    spans = {}
    for region in solution_regions(reference_source):
        if region.function not in kata_functions or region.function not in reference_functions:
            continue
        spans.setdefault(region.function, []).append(region)
    found = {}
    for function, regions in spans.items():
        reference_first, reference_last = reference_functions[function]
        first, last = kata_functions[function]
        before = [line.strip() for line in reference_lines[reference_first - 1: regions[0].begin - 1]]
        after = [line.strip() for line in reference_lines[regions[-1].end: reference_last]]
        start, stop = first + len(before), last - len(after)
        given_before = [line.strip() for line in kata_lines[first - 1: start - 1]]
        given_after = [line.strip() for line in kata_lines[stop: last]]
        if given_before == before and given_after == after and start <= stop:
            found[function] = (start, stop)
        else:
            found[function] = (first, last)
    return found
