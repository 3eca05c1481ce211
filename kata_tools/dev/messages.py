"""The message catalogues: kata_tools/locale/<lang>/LC_MESSAGES/kata.po compiled to kata.mo with Babel.

    python -m kata_tools.dev.messages            write every kata.mo from its kata.po (make messages)
    python -m kata_tools.dev.messages --check    exit 1, naming them, when a kata.mo is out of date
    python -m kata_tools.dev.messages --missing  the msgids of the code that a catalogue lacks (or leaves fuzzy)

The .mo files are committed, so that a fresh clone, the grading sandbox and tox read them with
the standard library's gettext and no build step; make test checks they match their .po.
"""

import argparse
import ast
import io
import string
import sys

from kata_tools.chapters import REPO_ROOT
from kata_tools.i18n import DOMAIN, LANGUAGES, LOCALE_DIRECTORY
from kata_tools.runner import command


def catalogue_paths(lang):
    folder = LOCALE_DIRECTORY / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def read_catalogue(lang):
    """The Babel Catalog of one language's .po file."""
    from babel.messages.pofile import read_po

    po, _ = catalogue_paths(lang)
    with open(po, "rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN)


def compiled(lang):
    """The bytes of the .mo file that the language's .po file compiles to."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(lang), use_fuzzy=False)
    return buffer.getvalue()


def stale():
    """The .mo files (relative paths) that differ from what their .po compiles to."""
    found = []
    for lang in LANGUAGES:
        _, mo = catalogue_paths(lang)
        if not mo.exists() or mo.read_bytes() != compiled(lang):
            found.append(mo.relative_to(REPO_ROOT).as_posix())
    return found


# ---------------------------------------------------------------- the msgids the code uses
SOURCE_FOLDERS = ("kata_tools", "tests", "data")
GETTEXT_FUNCTIONS = {"_": 1, "N_": 1, "ngettext": 2}  # name -> how many leading msgid arguments


class UnextractableMessage(ValueError):
    """A gettext call whose msgid is not a plain string literal (an f-string, a variable built on the spot)."""


def _python_files():
    for folder in SOURCE_FOLDERS:
        yield from sorted((REPO_ROOT / folder).rglob("*.py"))


def python_msgids(path):
    """[(msgid, line)] of every ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` in one file.

    Raises UnextractableMessage for ``_(f"...")`` or a string built with ``+`` or ``%``: its text cannot
    be looked up in a catalogue. ``_(name)`` of a variable passes: its text is marked elsewhere with N_.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT_FUNCTIONS):
            continue
        for argument in node.args[: GETTEXT_FUNCTIONS[node.func.id]]:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.append((argument.value, node.lineno))
            elif not isinstance(argument, (ast.Name, ast.Attribute, ast.Subscript)):
                where = f"{path.relative_to(REPO_ROOT).as_posix()}:{node.lineno}"
                raise UnextractableMessage(f"{where}: {node.func.id}() needs a string literal, with named "
                                           "placeholders filled in by .format(...) after it")
    return found


def hint_msgids():
    """[(msgid, "hints/<file>.toml")] of the hint skeletons' comments that are words (see learner.hints)."""
    from kata_tools.chapters import CHAPTERS
    from kata_tools.learner.hints import hints_file, read_hints, skeleton_comments

    found = []
    for entry in CHAPTERS:
        for table in read_hints(entry).values():
            if isinstance(table, dict):
                where = hints_file(entry).relative_to(REPO_ROOT).as_posix()
                found += [(comment, where) for comment in skeleton_comments(table.get("skeleton") or "")]
    return found


def extract():
    """{msgid: ["path:line", ...]} of every message the tools, the tests and the hints show through gettext."""
    found = {}
    for path in _python_files():
        relative = path.relative_to(REPO_ROOT).as_posix()
        for msgid, line in python_msgids(path):
            found.setdefault(msgid, []).append(f"{relative}:{line}")
    for msgid, where in hint_msgids():
        found.setdefault(msgid, []).append(where)
    return found


def placeholders(text):
    """The set of ``{name}`` and ``{name:spec}`` fields of a message (``{{`` is a literal brace)."""
    try:
        return {(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:  # an unbalanced brace
        return {("<unparsable>", str(error))}


def problems(msgids=None):
    """One line per msgid a catalogue lacks, leaves empty or fuzzy, or translates with other placeholders."""
    msgids = extract() if msgids is None else msgids
    found = [f"{places[0]}: the placeholder {{{name}}} of {msgid!r} is not a name: write {{{{ and }}}} for braces"
             for msgid, places in msgids.items() for name, _spec in placeholders(msgid)
             if not name.isidentifier()]
    for lang in LANGUAGES:
        entries = {}
        for message in read_catalogue(lang):
            for msgid in message.id if isinstance(message.id, tuple) else (message.id,):  # ngettext: both forms
                entries[msgid] = message
        for msgid, places in msgids.items():
            message = entries.get(msgid)
            where = places[0]
            texts = () if message is None else message.string if isinstance(message.string, tuple) else (
                message.string,)
            if not texts or not all(texts):
                found.append(f"{lang}: no translation of {msgid!r} ({where})")
            elif message.fuzzy:
                found.append(f"{lang}: fuzzy translation of {msgid!r} ({where})")
            elif any(placeholders(text) != placeholders(msgid) for text in texts):
                found.append(f"{lang}: the translation of {msgid!r} ({where}) has the placeholders "
                             f"{sorted(placeholders(texts[0]))}, not {sorted(placeholders(msgid))}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.messages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that every kata.mo is up to date")
    parser.add_argument("--missing", action="store_true", help="list the msgids a catalogue lacks or leaves fuzzy")
    args = parser.parse_args(argv)
    if args.missing:
        found = problems()
        print("\n".join(found))
        return 1 if found else 0
    if args.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"{path} is out of date: run {command('messages')}", file=sys.stderr)
        return 1 if out_of_date else 0
    for lang in LANGUAGES:
        _, mo = catalogue_paths(lang)
        mo.write_bytes(compiled(lang))
        print(f"wrote {mo.relative_to(REPO_ROOT).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
