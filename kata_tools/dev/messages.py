"""The message catalogues: kata_tools/locale/<lang>/LC_MESSAGES/kata.po compiled to kata.mo with Babel.

    python -m kata_tools.dev.messages            write every kata.mo from its kata.po (make messages)
    python -m kata_tools.dev.messages --check    exit 1, naming them, when a kata.mo is out of date

The .mo files are committed, so that a fresh clone, the grading sandbox and tox read them with
the standard library's gettext and no build step; make test checks they match their .po.
"""

import argparse
import io
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.dev.messages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that every kata.mo is up to date")
    args = parser.parse_args(argv)
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
