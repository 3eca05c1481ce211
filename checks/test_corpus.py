"""data/tinyshakespeare.py: the corpus is verified on every write and read, and written atomically."""

import pytest

from data import tinyshakespeare
from data.tinyshakespeare import CorpusError, fetch, load_text


def test_fetch_copies_a_verified_local_copy(tmp_path):
    destination = fetch(source=str(tinyshakespeare.DEFAULT_PATH), destination=tmp_path / "input.txt")
    text = load_text(destination)
    assert len(text) == tinyshakespeare.CHARACTER_COUNT
    assert len(set(text)) == tinyshakespeare.VOCABULARY_SIZE
    assert [path.name for path in tmp_path.iterdir()] == ["input.txt"], "no temporary file may be left behind"


def test_a_corrupt_source_writes_nothing_and_says_so(tmp_path):
    truncated = tmp_path / "truncated.txt"
    truncated.write_bytes(tinyshakespeare.DEFAULT_PATH.read_bytes()[:1000])
    destination = tmp_path / "out" / "input.txt"
    with pytest.raises(CorpusError, match="nothing was written"):
        fetch(source=str(truncated), destination=destination)
    assert not destination.parent.exists() or not any(destination.parent.iterdir())


def test_a_missing_source_names_the_variable_to_set(tmp_path):
    with pytest.raises(CorpusError, match="TINYSHAKESPEARE_SOURCE"):
        fetch(source=str(tmp_path / "nowhere.txt"), destination=tmp_path / "input.txt")


def test_an_existing_verified_copy_is_kept(tmp_path):
    destination = fetch(source=str(tinyshakespeare.DEFAULT_PATH), destination=tmp_path / "input.txt")
    before = destination.stat().st_mtime_ns
    fetch(source=str(tmp_path / "would-fail-if-read.txt"), destination=destination)
    assert destination.stat().st_mtime_ns == before


def test_missing_and_corrupt_corpus_messages_name_make_data(tmp_path):
    with pytest.raises(CorpusError, match="make data"):
        load_text(tmp_path / "input.txt")
    corrupt = tmp_path / "corrupt.txt"
    corrupt.write_text("To be, or not to be")
    with pytest.raises(CorpusError, match="corrupt.*make data"):
        load_text(corrupt)


def test_a_failed_download_says_how_to_use_a_local_copy(tmp_path):
    with pytest.raises(CorpusError, match="could not download.*TINYSHAKESPEARE_SOURCE"):
        fetch(source=(tmp_path / "absent.txt").as_uri(), destination=tmp_path / "input.txt")
    assert not (tmp_path / "input.txt").exists()


@pytest.mark.parametrize("change", ["bom", "crlf", "both"])
def test_a_copy_with_a_byte_order_mark_or_windows_line_endings_is_accepted(tmp_path, change):
    content = tinyshakespeare.DEFAULT_PATH.read_bytes()
    if change in ("crlf", "both"):
        content = content.replace(b"\n", b"\r\n")
    if change in ("bom", "both"):
        content = tinyshakespeare.BOM + content
    copy = tmp_path / "windows.txt"
    copy.write_bytes(content)
    assert load_text(copy) == load_text(), "read as the same text"
    destination = fetch(source=str(copy), destination=tmp_path / "out" / "input.txt")
    assert destination.read_bytes() == tinyshakespeare.DEFAULT_PATH.read_bytes(), "written normalised"


def test_text_that_is_not_utf8_names_the_byte_and_where_it_is():
    with pytest.raises(CorpusError) as caught:
        tinyshakespeare.decode("First line\nCaf\xe9 au lait\n".encode("latin-1"), "notes.txt")
    message = str(caught.value)
    assert "byte 0xe9 at line 2, column 4" in message and "Save the file as UTF-8" in message, message
