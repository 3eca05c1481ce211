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


def sha256_of(content):
    return hashlib.sha256(content).hexdigest()


def _read_source(source):
    if "://" in source:
        try:
            with urllib.request.urlopen(source, timeout=60) as response:
                return response.read()
        except OSError as error:
            raise CorpusError(
                f"could not download {source}: {error}. Check your connection, or point "
                f"{SOURCE_VARIABLE} ({_command('data', source='/path/to/input.txt')}) at a copy you have"
            ) from error
    path = Path(source).expanduser()
    if not path.is_file():
        raise CorpusError(f"{path} does not exist: {SOURCE_VARIABLE} must name tiny Shakespeare's input.txt or a URL")
    return path.read_bytes()


BOM = b"\xef\xbb\xbf"


def normalised(content):
    """(bytes, [what was changed]): a UTF-8 byte-order mark dropped, Windows line endings made \\n.

    An editor or a Windows checkout often adds one or the other; neither is part of the text.
    """
    changes = []
    if content.startswith(BOM):
        content = content[len(BOM):]
        changes.append("a byte-order mark")
    if b"\r\n" in content:
        content = content.replace(b"\r\n", b"\n")
        changes.append("Windows line endings (CRLF)")
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
            f"{source} is not UTF-8 text: byte 0x{content[error.start]:02x} at line {line}, column {column} "
            f"(byte offset {error.start:,}) is not UTF-8. Save the file as UTF-8 (in most editors: "
            "Save with Encoding, UTF-8) and try again"
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
            f"{source} is not the tiny Shakespeare corpus ({len(content):,} bytes, sha256 {digest}; "
            f"expected {CHARACTER_COUNT:,} characters with sha256 {SHA256}). The download may be "
            "truncated or altered: nothing was written. Try again, or use another copy."
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
        raise CorpusError(f"the corpus {path} is missing: run `{_command('data')}` to fetch it")
    content, changes = normalised(path.read_bytes())
    if sha256_of(content) != SHA256:
        raise CorpusError(
            f"the corpus {path} is corrupt (its sha256 is not tiny Shakespeare's"
            + (f", even without its {' and '.join(changes)}" if changes else "")
            + f"): run `{_command('data')}` to fetch it again"
        )
    return content.decode("utf-8")  # a byte-order mark or CRLF line endings are accepted, normalised away


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
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{path}: tiny Shakespeare, {CHARACTER_COUNT:,} characters, sha256 verified")
    if _changes_in(path):
        print(f"{path} has {' and '.join(_changes_in(path))}: accepted, the text is read without them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
