"""curriculum.toml is the one chapter list: the files and tools that repeat it agree with it.

The READMEs' chapter tables and kata_tools/grading/points.json are generated
from it (``make curriculum``); the Makefile reads its chapter labels; each
chapter it names has its kata, reference and test file, and defines the
classes the tools build from it.
"""

import ast
import subprocess

import pytest

from kata_tools import chapters
from kata_tools.chapters import CHAPTERS, CURRICULUM, REPO_ROOT, CurriculumError
from kata_tools.dev import curriculum
from kata_tools.learner import tensor_map


def test_the_generated_tables_and_points_are_current():
    stale = curriculum.stale()
    assert not stale, f"out of date with {CURRICULUM.name}: {', '.join(stale)}; run `make curriculum` and commit"


def test_a_hand_edited_table_is_caught(tmp_path):
    for name in [name for name, *_ in curriculum.READMES] + [curriculum.POINTS]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((REPO_ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    readme = tmp_path / "README.ja.md"
    edited = readme.read_text(encoding="utf-8").replace("`AttentionHead(head_size, config)`", "`Attention(config)`")
    readme.write_text(edited, encoding="utf-8")
    assert curriculum.stale(tmp_path) == ["README.ja.md"]
    assert curriculum.write(tmp_path) == ["README.ja.md"] and curriculum.stale(tmp_path) == []


def test_a_readme_without_markers_says_what_to_do(tmp_path):
    with pytest.raises(curriculum.StaleError, match="make curriculum"):
        curriculum.with_table("# no table here\n", "en", ("a", "b", "c"), ("Ch. {:02d}", ", "), "README.md")


def test_the_makefile_reads_its_chapters_from_the_curriculum():
    completed = subprocess.run(
        ["make", "--no-print-directory", "--eval", "print-chapters: ; @echo $(CHAPTERS)", "print-chapters"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == [entry.label for entry in CHAPTERS]


def test_every_chapter_has_its_files_and_defines_its_classes():
    assert [entry.number for entry in CHAPTERS] == list(range(len(CHAPTERS)))
    for entry in CHAPTERS:
        for package in ("reference", "katas"):
            assert entry.source_file(package).is_file(), f"{CURRICULUM.name} names {package}/{entry.module}.py"
        assert entry.test_file.is_file(), f"{CURRICULUM.name} names tests/test_{entry.module}.py"
        tree = ast.parse(entry.source_file("reference").read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
        missing = set(entry.classes) - defined
        assert not missing, f"reference/{entry.module}.py defines no {', '.join(sorted(missing))}"


def test_the_tools_take_their_pieces_from_the_curriculum():
    assert [piece[2] for piece in tensor_map.PIECES] == [
        "BigramLanguageModel", "TransformerBlock", "MultiHeadAttention", "AttentionHead", "EmbeddingModule",
        "TokenEmbedding"]
    assert [chapters.defining(name).label for name in ("ModelConfig", "DataLoader", "Trainer")] == ["00", "01", "12"]
    with pytest.raises(KeyError, match="GPT2"):
        chapters.defining("GPT2")
    with pytest.raises(ValueError, match=f"from 00 to {CHAPTERS[-1].label}"):
        chapters.chapter(len(CHAPTERS))


@pytest.mark.parametrize("change, says", [
    (lambda text: text.replace('module = "chapter06_attention_head"', 'module = "attention"'), "chapter06_"),
    (lambda text: text.replace("number = 6\n", "number = 7\n"), "numbered"),
    (lambda text: text.replace('summary.ja = "位置ごとの MLP"\n', ""), "summary` needs a line in ja"),
    (lambda text: text.replace('scoring = "proportional"', 'scoring = "best"'), "scoring"),
    (lambda text: text.replace('title = "Warm-up"', 'title = Warm-up'), "not valid TOML"),
])
def test_a_broken_curriculum_gets_one_clear_line(tmp_path, change, says):
    broken = tmp_path / CURRICULUM.name
    broken.write_text(change(CURRICULUM.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CurriculumError, match=says):
        chapters.load(broken)
