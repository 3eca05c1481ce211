"""The training tools (make train, generate, bench) on tiny settings: seconds, not minutes."""

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
import torch

from kata_tools.chapters import REPO_ROOT
from kata_tools.training import bench, recipes
from kata_tools.training import generate as generate_tool
from kata_tools.training import train as train_tool

TINY = ["--recipe", "tiny", "--steps", "4", "--evaluation-frequency", "2", "--evaluation-loops", "1",
        "--sample-length", "20", "--no-progress", "--impl", "reference"]


@pytest.fixture(scope="module")
def trained_runs(tmp_path_factory):
    """One tiny reference run; the tests read its folder and checkpoint (copy before changing anything)."""
    runs_dir = tmp_path_factory.mktemp("runs")
    assert train_tool.main([*TINY, "--runs-dir", str(runs_dir)]) == 0
    return runs_dir


def run_folders(runs_dir):
    return sorted(path for path in runs_dir.iterdir()) if runs_dir.exists() else []


def test_train_writes_one_complete_run_folder(trained_runs):
    folders = run_folders(trained_runs)
    assert len(folders) == 1 and not folders[0].name.startswith("."), f"expected one run folder, got {folders}"
    folder = folders[0]
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["checkpoint.pt", "config.json", "history.json", "loss_curve.png", "loss_curve.svg",
                     "sample.txt"], names
    summary = json.loads((folder / "config.json").read_text())
    assert summary["steps_done"] == 4 and summary["implementation"] == "reference"
    assert summary["recipe"]["name"] == "tiny" and summary["config"]["embedding_dim"] == 16
    history = json.loads((folder / "history.json").read_text())
    assert len(history["step_losses"]) == 4 and len(history["learning_rates"]) == 4
    assert [record["step"] for record in history["evaluations"]] == [0, 2, 4]
    svg = ElementTree.fromstring((folder / "loss_curve.svg").read_text())
    texts = " ".join("".join(element.itertext()) for element in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert svg.tag.endswith("svg") and "validation loss" in texts and "step" in texts, texts
    assert (folder / "loss_curve.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert len((folder / "sample.txt").read_text()) == 1 + 20  # the line-break prompt, then the sample
    payload = train_tool.load_checkpoint(folder / "checkpoint.pt")
    assert len(payload["vocabulary"]) == 65 and payload["step"] == 4
    assert train_tool.latest_checkpoint(trained_runs) == folder / "checkpoint.pt"


def test_train_stops_at_the_first_stub_and_names_the_chapter(tmp_path, capsys):
    runs_dir = tmp_path / "runs"
    status = train_tool.main([*TINY[:-2], "--impl", "katas", "--runs-dir", str(runs_dir)])
    assert status == 2
    assert ("training runs chapters 01-12; the first of them not written yet is chapter 01 DataLoader: write "
            "DataLoader.__init__ — run make chapter01") in capsys.readouterr().err
    assert run_folders(runs_dir) == [], "a run stopped by a stub must leave no folder behind"


def test_train_names_a_stub_in_a_later_chapter(tmp_path, monkeypatch, capsys):
    # A package laid out like katas/: the reference everywhere but an unwritten chapter 06.
    package = tmp_path / "half_written_katas"
    package.mkdir()
    (package / "__init__.py").write_text(f"__path__.append({str(REPO_ROOT / 'reference')!r})\n")
    shutil.copy(REPO_ROOT / "katas" / "chapter06_attention_head.py", package)
    monkeypatch.syspath_prepend(str(tmp_path))
    status = train_tool.main([*TINY[:-2], "--impl", "half_written_katas", "--runs-dir", str(tmp_path / "runs")])
    assert status == 2
    assert "is chapter 06 AttentionHead: write AttentionHead.__init__ — run make chapter06" in capsys.readouterr().err
    assert run_folders(tmp_path / "runs") == []


def test_stub_hint_reads_the_stub_message():
    assert train_tool.stub_hint(NotImplementedError("chapter 09: write TransformerBlock.forward")) == (
        "chapter 09: write TransformerBlock.forward — run make chapter09"
    )
    assert "make chapter12" in train_tool.stub_hint(NotImplementedError())


def test_an_interrupted_checkpoint_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "checkpoint.pt"
    train_tool.save_checkpoint({"weights": torch.ones(3)}, path)

    def save_half_then_fail(payload, file):
        file.write(b"half a checkpoint")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", save_half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        train_tool.save_checkpoint({"weights": torch.zeros(3)}, path)
    monkeypatch.undo()
    assert torch.equal(torch.load(path, weights_only=True)["weights"], torch.ones(3))
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["checkpoint.pt"], "a temporary file was left behind"


def test_latest_checkpoint_is_the_newest_complete_run(tmp_path):
    for name in ("2026-01-01T10-00-00", "2026-01-02T10-00-00", ".2026-01-03T10-00-00.partial"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "checkpoint.pt").write_bytes(b"")
    assert train_tool.latest_checkpoint(tmp_path) == tmp_path / "2026-01-02T10-00-00" / "checkpoint.pt"
    assert train_tool.latest_checkpoint(tmp_path / "nothing here") is None


def test_learning_rate_warms_up_then_decays_to_the_final_rate():
    recipe = train_tool.RECIPES["tiny"].with_changes(total_training_steps=100, warmup_steps=10)
    rates = [recipe.learning_rate_at(step) for step in range(100)]
    assert rates[0] == pytest.approx(recipe.learning_rate / 10)
    assert rates[9] == pytest.approx(recipe.learning_rate)
    assert all(later <= earlier + 1e-12 for earlier, later in zip(rates[9:], rates[10:], strict=False))
    assert rates[-1] == pytest.approx(recipe.final_learning_rate)
    tutorial = train_tool.RECIPES["tutorial"]
    assert {tutorial.learning_rate_at(step) for step in (0, 2500, 4999)} == {1e-3}


def test_the_tutorial_recipe_is_the_tutorials_chapter_12():
    tutorial = train_tool.RECIPES["tutorial"]
    assert (tutorial.batch_size, tutorial.input_sequence_length, tutorial.embedding_dim, tutorial.num_attention_heads,
            tutorial.layer_count, tutorial.hidden_dim, tutorial.dropout_rate, tutorial.learning_rate,
            tutorial.total_training_steps) == (16, 32, 64, 4, 4, 256, 0.1, 1e-3, 5000)


def generate_text(trained_runs, **options):
    stream = io.StringIO()
    generate_tool.generate(runs_dir=trained_runs, package="reference", stream=stream, **options)
    return stream.getvalue()


def test_generate_continues_the_prompt_from_the_latest_checkpoint(trained_runs):
    text = generate_text(trained_runs, prompt="ROMEO:", length=30, seed=3)
    assert text.startswith("ROMEO:") and len(text) == len("ROMEO:") + 30 + 1
    vocabulary = train_tool.load_checkpoint(train_tool.latest_checkpoint(trained_runs))["vocabulary"]
    assert set(text) <= set(vocabulary)
    assert generate_text(trained_runs, prompt="ROMEO:", length=30, seed=3) == text, "the same seed, the same text"


def test_generate_without_a_checkpoint_says_to_train_first(tmp_path, capsys):
    assert generate_tool.main(["--runs-dir", str(tmp_path), "--impl", "reference"]) == 1
    assert "run make train first" in capsys.readouterr().err


def test_generate_refuses_a_prompt_outside_the_vocabulary(trained_runs):
    with pytest.raises(train_tool.TrainingError, match="never seen: 'É'"):
        generate_text(trained_runs, prompt="ROMÉO:", length=5)


def copy_checkpoint(trained_runs, tmp_path, change):
    payload = train_tool.load_checkpoint(train_tool.latest_checkpoint(trained_runs))
    change(payload)
    return train_tool.save_checkpoint(payload, tmp_path / "changed" / "checkpoint.pt")


def test_generate_refuses_a_checkpoint_whose_weights_do_not_fit_its_config(trained_runs, tmp_path):
    path = copy_checkpoint(trained_runs, tmp_path, lambda payload: payload["config"].update(embedding_dim=24))
    with pytest.raises(train_tool.TrainingError, match="does not fit the model"):
        generate_text(trained_runs, checkpoint=path, length=5)


def test_generate_refuses_a_checkpoint_from_another_vocabulary(tmp_path):
    corpus = tmp_path / "lowercase.txt"
    corpus.write_text("to be, or not to be: that is the question.\n" * 20)
    runs_dir = tmp_path / "runs"
    assert train_tool.main([*TINY, "--runs-dir", str(runs_dir), "--corpus", str(corpus)]) == 0
    with pytest.raises(train_tool.TrainingError, match="another vocabulary"):
        generate_text(runs_dir, length=5)
    assert generate_text(runs_dir, length=5, corpus=corpus, seed=0).startswith("\n")


def test_bench_races_a_recipe_and_reports_both():
    curriculum = train_tool.load_curriculum("reference")
    text = train_tool.read_corpus()
    recipe = train_tool.RECIPES["tiny"].with_changes(total_training_steps=3)
    result = bench.race(recipe, curriculum, text, time_limit=30, stream=io.StringIO())
    assert result["steps"] == 3 and result["evaluations"][-1][0] == 3
    assert result["seconds_to_target"] is None and result["best_within_60s"] > bench.TARGET
    output = io.StringIO()
    bench.report([{**result, "seconds_to_target": 10.0}, {**result, "recipe": "tutorial", "seconds_to_target": 40.0}],
                 stream=output)
    assert "ratio tiny/tutorial time to 1.85: 0.25" in output.getvalue()


@pytest.mark.parametrize("target, variables, expected", [
    ("train", ["STEPS=7"], "-m kata_tools train --steps 7"),
    ("generate", ["PROMPT=ROMEO's line:", "LENGTH=9"],
     "-m kata_tools generate --prompt 'ROMEO'\\''s line:' --length 9"),
    ("bench", [], "-m kata_tools bench"),
])
def test_make_targets_call_the_tools(target, variables, expected):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    completed = subprocess.run(["make", "-n", "-s", target, *variables], cwd=REPO_ROOT, capture_output=True,
                               text=True)
    assert completed.returncode == 0, completed.stderr
    assert expected in completed.stdout, completed.stdout


# ---------------------------------------------------------------- bad input: checkpoints
def test_generate_loads_a_checkpoint_whose_buffers_have_another_shape(trained_runs, tmp_path):
    """Only learnt parameters are compared: a causal mask kept as (1, 1, T, T) is the model's own business."""
    def reshape_masks(payload):
        state = payload["model_state"]
        for name in [name for name in state if name not in payload["parameter_names"]]:
            state[name] = state[name].reshape(1, 1, *state[name].shape)
    path = copy_checkpoint(trained_runs, tmp_path, reshape_masks)
    assert len(generate_text(trained_runs, checkpoint=path, length=5, seed=0)) == 1 + 5 + 1


def test_a_checkpoint_with_nan_weights_says_the_run_diverged(trained_runs, tmp_path):
    def poison(payload):
        name = payload["parameter_names"][0]
        payload["model_state"][name][0] = float("nan")
    path = copy_checkpoint(trained_runs, tmp_path, poison)
    with pytest.raises(train_tool.TrainingError, match="the run diverged; train again"):
        generate_text(trained_runs, checkpoint=path, length=5)


def test_generate_says_which_run_it_loaded_and_on_which_device(trained_runs):
    info = io.StringIO()
    generate_tool.generate(runs_dir=trained_runs, package="reference", stream=io.StringIO(), info=info, length=3,
                           seed=0, device="cpu")
    folder = train_tool.latest_checkpoint(trained_runs).parent
    assert f"model: {folder}" in info.getvalue() or f"{folder.name}/ (4 of 4 steps, val loss" in info.getvalue()
    assert "device: cpu" in info.getvalue()


def test_an_interrupted_run_is_marked_and_a_complete_one_preferred(trained_runs, tmp_path):
    runs_dir = tmp_path / "runs"
    complete = train_tool.latest_checkpoint(trained_runs).parent
    shutil.copytree(complete, runs_dir / complete.name)
    later = runs_dir / ("2099-01-01T00-00-00" + train_tool.INTERRUPTED_SUFFIX)
    shutil.copytree(complete, later)
    assert train_tool.run_was_interrupted(later) and not train_tool.run_was_interrupted(runs_dir / complete.name)
    assert train_tool.latest_checkpoint(runs_dir) == runs_dir / complete.name / "checkpoint.pt"
    shutil.rmtree(runs_dir / complete.name)
    assert train_tool.latest_checkpoint(runs_dir) == later / "checkpoint.pt", "no complete run: the interrupted one"


def test_make_generate_takes_a_checkpoint_and_a_device():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    completed = subprocess.run(["make", "-n", "-s", "generate", "CHECKPOINT=runs/a b/checkpoint.pt", "DEVICE=cpu"],
                               cwd=REPO_ROOT, capture_output=True, text=True)
    assert "--device cpu --checkpoint 'runs/a b/checkpoint.pt'" in completed.stdout, completed.stdout
    completed = subprocess.run(["make", "-n", "-s", "train"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert "--device auto" in completed.stdout


# ---------------------------------------------------------------- devices
def test_auto_picks_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(recipes, "_mps_available", lambda: False)
    assert train_tool.choose_device("auto") == "cpu"
    with pytest.raises(train_tool.TrainingError, match="sees no CUDA GPU"):
        train_tool.choose_device("cuda")
    with pytest.raises(train_tool.TrainingError, match="not a device"):
        train_tool.choose_device("tpu")
    monkeypatch.setattr(recipes, "_mps_available", lambda: True)
    assert train_tool.choose_device("auto") == "mps"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert train_tool.choose_device("auto") == "cuda"


def test_a_checkpoint_holds_cpu_tensors_whatever_device_trained_it(trained_runs):
    payload = train_tool.load_checkpoint(train_tool.latest_checkpoint(trained_runs))
    assert {value.device.type for value in payload["model_state"].values()} == {"cpu"}


# ---------------------------------------------------------------- bad input: corpora and code
def test_a_corpus_that_is_not_utf8_names_the_byte_and_says_to_save_as_utf8(tmp_path, capsys):
    corpus = tmp_path / "latin1.txt"
    corpus.write_bytes("To be or not\nto be, caf\xe9\n".encode("latin-1") * 30)
    assert train_tool.main([*TINY, "--runs-dir", str(tmp_path / "runs"), "--corpus", str(corpus)]) == 1
    error = capsys.readouterr().err
    assert "byte 0xe9 at line 2, column 11" in error and "Save the file as UTF-8" in error, error
    assert "Traceback" not in error and "make chapter12" not in error
    assert run_folders(tmp_path / "runs") == []


def test_a_corpus_without_line_breaks_trains_and_samples_from_its_own_characters(tmp_path):
    corpus = tmp_path / "one_line.txt"
    corpus.write_text("to be or not to be that is the question " * 40)
    runs_dir = tmp_path / "runs"
    assert train_tool.main([*TINY, "--runs-dir", str(runs_dir), "--corpus", str(corpus)]) == 0
    sample = (run_folders(runs_dir)[0] / "sample.txt").read_text()
    assert "\n" not in sample and len(sample) == 1 + 20
    assert "\n" not in generate_text(runs_dir, length=5, corpus=corpus, seed=0)[:-1]


def test_a_byte_order_mark_is_not_a_character_of_the_corpus(tmp_path):
    corpus = tmp_path / "bom.txt"
    corpus.write_bytes(b"\xef\xbb\xbf" + b"to be or not to be\r\nthat is the question\r\n" * 30)
    text = train_tool.read_corpus(corpus)
    assert "\ufeff" not in text and "\r" not in text
    assert len(set(text)) == len(set("to be or not\nthat is the question"))


def test_the_rehearsal_stops_a_generate_that_never_returns(tmp_path, monkeypatch, capsys):
    package = tmp_path / "endless_katas"
    package.mkdir()
    (package / "__init__.py").write_text(f"__path__.append({str(REPO_ROOT / 'reference')!r})\n")
    source = (REPO_ROOT / "reference" / "chapter11_bigram_language_model.py").read_text()
    assert "for _ in range(max_new_tokens):" in source
    (package / "chapter11_bigram_language_model.py").write_text(
        source.replace("for _ in range(max_new_tokens):", "while True:"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(train_tool, "REHEARSAL_SECONDS", 1)
    with pytest.raises(train_tool.TrainingError, match="generate did not return within 1 s while rehearsing"):
        train_tool.train(train_tool.RECIPES["tiny"], package="endless_katas", runs_dir=tmp_path / "runs",
                         progress=False, rehearsal_seconds=1, stream=io.StringIO())
    assert run_folders(tmp_path / "runs") == []


def test_train_and_generate_speak_kata_lang(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KATA_LANG", "ja")
    assert train_tool.main([*TINY[:-2], "--impl", "katas", "--runs-dir", str(tmp_path / "runs")]) == 2
    assert "make train にはすべての章が必要です" in capsys.readouterr().err
    monkeypatch.setenv("KATA_LANG", "zh")
    assert generate_tool.main(["--runs-dir", str(tmp_path), "--impl", "reference"]) == 1
    assert capsys.readouterr().err.startswith("make generate：")


def test_ctrl_c_saves_an_interrupted_run_and_says_a_second_one_abandons_it(tmp_path, monkeypatch):
    curriculum = train_tool.load_curriculum("reference")
    recipe = train_tool.RECIPES["tiny"].with_changes(total_training_steps=6, evaluation_frequency=3,
                                                     evaluation_loops=1)
    session = train_tool.start_session(recipe, train_tool.read_corpus(), curriculum)
    calls = []
    real_step = session.trainer.train_step

    def step_then_ctrl_c():
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_step()

    monkeypatch.setattr(session.trainer, "train_step", step_then_ctrl_c)
    stream = io.StringIO()
    result = train_tool.run_training(session, progress=False, stream=stream)
    assert result["interrupted"] and len(result["step_losses"]) == 2
    assert "interrupted after 2 of 6 steps" in stream.getvalue()
    assert "(Ctrl-C again abandons the save)" in stream.getvalue()
    folder = train_tool.write_run(session, result, "sample", tmp_path / "runs")
    assert folder.name.endswith(train_tool.INTERRUPTED_SUFFIX) and train_tool.run_was_interrupted(folder)
