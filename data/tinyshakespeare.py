"""Fetch, verify and load the tiny-Shakespeare corpus (``data/input.txt``).

The corpus is 1,115,394 characters of Shakespeare's plays, collected by
Andrej Karpathy for char-rnn. It is fetched, never committed; its sha256 is
checked every time it is written or read, so a truncated or altered file is
caught before a model trains on it.

    make data                                        from the canonical URL
    make data TINYSHAKESPEARE_SOURCE=/path/input.txt from a local copy
    kata data --source /path/input.txt               the same without make
    python -m data.tinyshakespeare [--source URL_OR_PATH] [--force]

The file is written atomically: the bytes go to a temporary file beside the
destination, are verified, and only then renamed into place. A failed or
corrupt download leaves nothing behind.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
CHARACTER_COUNT = 1_115_394
VOCABULARY_SIZE = 65
SOURCE_VARIABLE = "TINYSHAKESPEARE_SOURCE"
DEFAULT_PATH = Path(__file__).resolve().parent / "input.txt"


class CorpusError(RuntimeError):
    """The corpus is missing, corrupt, or could not be fetched."""


def _command(name, **options):
    """The command as the learner runs it (make data, kata data, ...: kata_tools.runner)."""
    from kata_tools.runner import command

    return command(name, **options)


def _(message):
    """``message`` in the learner's language (kata_tools.i18n), imported when a message is shown."""
    from kata_tools.i18n import _ as translated

    return translated(message)


def N_(message):
    """``message`` unchanged, marked for the catalogues and translated with ``_`` when shown."""
    return message


def sha256_of(content):
    return hashlib.sha256(content).hexdigest()


def _read_source(source):
    if "://" in source:
        try:
            with urllib.request.urlopen(source, timeout=60) as response:
                return response.read()
        except OSError as error:
            raise CorpusError(
                _("could not download {source}: {error}. Check your connection, or point {variable} ({command}) "
                  "at a copy you have").format(source=source, error=error, variable=SOURCE_VARIABLE,
                                               command=_command("data", source="/path/to/input.txt"))
            ) from error
    path = Path(source).expanduser()
    if not path.is_file():
        raise CorpusError(_("{path} does not exist: {variable} must name tiny Shakespeare's input.txt or a "
                            "URL").format(path=path, variable=SOURCE_VARIABLE))
    return path.read_bytes()


BOM = b"\xef\xbb\xbf"


def normalised(content):
    """(bytes, [what was changed]): a UTF-8 byte-order mark dropped, Windows line endings made \\n.

    An editor or a Windows checkout often adds one or the other; neither is part of the text.
    """
    changes = []
    if content.startswith(BOM):
        content = content[len(BOM):]
        changes.append(N_("a byte-order mark"))
    if b"\r\n" in content:
        content = content.replace(b"\r\n", b"\n")
        changes.append(N_("Windows line endings (CRLF)"))
    return content, changes


def decode(content, source):
    """The bytes as text, or CorpusError naming the first byte that is not UTF-8, where it is, and the fix."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        before = content[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise CorpusError(
            _("{source} is not UTF-8 text: byte 0x{byte} at line {line}, column {column} (byte offset {offset}) is "
              "not UTF-8. Save the file as UTF-8 (in most editors: Save with Encoding, UTF-8) and try again").format(
                source=source, byte=f"{content[error.start]:02x}", line=line, column=column,
                offset=f"{error.start:,}")
        ) from None


def fetch(source=None, destination=DEFAULT_PATH, force=False):
    """Copy the corpus from ``source`` (URL or path) to ``destination``, verified.

    Returns the destination path. Does nothing when a verified copy is
    already there, unless ``force``.
    """
    destination = Path(destination)
    source = source or os.environ.get(SOURCE_VARIABLE) or URL
    if destination.is_file() and not force and sha256_of(normalised(destination.read_bytes())[0]) == SHA256:
        return destination
    content = _read_source(str(source))
    content, changes = normalised(content)
    digest = sha256_of(content)
    if digest != SHA256:
        raise CorpusError(
            _("{source} is not the tiny Shakespeare corpus ({size} bytes, sha256 {digest}; expected {count} "
              "characters with sha256 {expected}). The download may be truncated or altered: nothing was written. "
              "Try again, or use another copy.").format(source=source, size=f"{len(content):,}", digest=digest,
                                                        count=f"{CHARACTER_COUNT:,}", expected=SHA256)
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=destination.name + ".", suffix=".part", dir=destination.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return destination


def load_text(path=DEFAULT_PATH):
    """Return the verified corpus as a string, or raise CorpusError saying how to get it."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(_("the corpus {path} is missing: run `{command}` to fetch it").format(
            path=path, command=_command("data")))
    content, changes = normalised(path.read_bytes())
    if sha256_of(content) != SHA256:
        if changes:
            message = _("the corpus {path} is corrupt (its sha256 is not tiny Shakespeare's, even without its "
                        "{changes}): run `{command}` to fetch it again")
        else:
            message = _("the corpus {path} is corrupt (its sha256 is not tiny Shakespeare's): run `{command}` to "
                        "fetch it again")
        raise CorpusError(message.format(path=path, changes=_changes_in_words(changes), command=_command("data")))
    return content.decode("utf-8")  # a byte-order mark or CRLF line endings are accepted, normalised away


def _changes_in_words(changes):
    """"a byte-order mark and Windows line endings (CRLF)", in the learner's language."""
    return _(" and ").join(_(change) for change in changes)


def _changes_in(path):
    try:
        return normalised(Path(path).read_bytes())[1]
    except OSError:
        return []


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m data.tinyshakespeare", description="Fetch and verify data/input.txt."
    )
    parser.add_argument("--source", help=f"URL or local path (default: ${SOURCE_VARIABLE}, else {URL})")
    parser.add_argument("--destination", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--force", action="store_true", help="fetch again even if a verified copy exists")
    arguments = parser.parse_args(argv)
    try:
        path = fetch(arguments.source, arguments.destination, arguments.force)
    except CorpusError as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return 1
    print(_("{path}: tiny Shakespeare, {count} characters, sha256 verified").format(
        path=path, count=f"{CHARACTER_COUNT:,}"))
    if _changes_in(path):
        print(_("{path} has {changes}: accepted, the text is read without them").format(
            path=path, changes=_changes_in_words(_changes_in(path))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
