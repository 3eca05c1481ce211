"""The katas speak the tutorial's API: a line written from Everyone's nanoGPT works unchanged.

checks/tutorial_api.json holds the public API of the tutorial's final answers
(class names, method names, parameter names and defaults, attribute names)
and its ModelConfig. Here every class of ``katas/`` and ``reference/``, and
of the gallery's tutorial answers, is compared with it through
``inspect.signature``; attributes are read from instances of the reference
(the stubs cannot be built). A renamed parameter, a missing method or a
changed default fails with the line to fix.
"""

import importlib
import inspect
import json
from pathlib import Path

import pytest
import torch

from kata_tools.chapters import CHAPTERS, REPO_ROOT
from kata_tools.testing import make_config

API = json.loads((Path(__file__).parent / "tutorial_api.json").read_text(encoding="utf-8"))
CLASSES = API["classes"]
TUTORIAL_ANSWERS = sorted(
    f"gallery.alternatives.{path.name}" for path in (REPO_ROOT / "gallery" / "alternatives").glob("*_tutorial_answer")
)


def signature_text(function):
    """``(a, b=1)``: the signature without ``self``, as the JSON file writes it."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return "(" + ", ".join(str(parameter) for parameter in parameters) + ")"


def expected_methods(spec):
    """{method: (expected signature, tutorial's signature)} of one class, the kata's own extras included."""
    methods = {}
    for name, entry in spec["methods"].items():
        if isinstance(entry, str):
            methods[name] = (entry, entry)
        else:
            methods[name] = (entry.get("kata", entry["signature"]), entry["signature"])
    for name, entry in spec.get("kata_methods", {}).items():
        methods[name] = (entry["signature"], None)
    return methods


def drift(cls, spec, where):
    """Every way ``cls`` differs from the tutorial's API ``spec``, one sentence each."""
    problems = []
    for name, (expected, tutorial) in expected_methods(spec).items():
        method = cls.__dict__.get(name)
        if method is None:
            problems.append(f"{where}: {cls.__name__}.{name} is missing; the tutorial's is {name}{expected}")
            continue
        actual = signature_text(method)
        if actual != expected:
            told = "" if tutorial in (None, expected) else f" (the tutorial's {tutorial}, plus a kata default)"
            problems.append(
                f"{where}: {cls.__name__}.{name}{actual} should be {name}{expected}{told}: a line written from the "
                "tutorial would fail"
            )
    return problems


def test_the_expected_signatures_only_add_defaults_to_the_tutorials():
    """A kata extra may give a parameter a default, never rename or drop one."""
    for class_name, spec in CLASSES.items():
        for method, entry in spec["methods"].items():
            if isinstance(entry, dict) and "kata" in entry:
                kata_names = [part.split("=")[0].strip() for part in entry["kata"].strip("()").split(",")]
                tutorial_names = [part.split("=")[0].strip() for part in entry["signature"].strip("()").split(",")]
                assert kata_names == tutorial_names and entry.get("why"), (
                    f"{class_name}.{method}: the kata's {entry['kata']} must keep the tutorial's parameter names "
                    f"{entry['signature']} and say why it differs"
                )


@pytest.mark.parametrize("package", ["katas", "reference", *TUTORIAL_ANSWERS])
def test_every_class_has_the_tutorials_methods_and_parameter_names(package):
    problems = []
    for class_name, spec in CLASSES.items():
        if package.startswith("gallery.") and not (
            REPO_ROOT / package.replace(".", "/") / f"{spec['module']}.py"
        ).exists():
            continue  # a gallery entry holds one chapter; the others are the reference's
        module = importlib.import_module(f"{package}.{spec['module']}")
        cls = getattr(module, class_name, None)
        if cls is None:
            problems.append(f"{package}.{spec['module']} defines no class {class_name}")
            continue
        problems += drift(cls, spec, f"{package}.{spec['module']}")
    assert not problems, (
        "these signatures drifted from the tutorial's API (checks/tutorial_api.json; fix reference/, then "
        "`make katas`):\n" + "\n".join(problems)
    )


def reference_instances(package="reference"):
    """One instance of every class of ``package``, built small, keyed by class name."""
    def chapter(name):
        return importlib.import_module(f"{package}.{name}")

    config = make_config(num_attention_heads=2, embedding_dim=8, hidden_dim=16)
    loader = chapter("chapter01_data_loader").DataLoader("First Citizen: before we proceed any further", config)
    model = chapter("chapter11_bigram_language_model").BigramLanguageModel(loader.vocab_size, config)
    return {
        "DataLoader": loader,
        "TokenEmbedding": chapter("chapter02_token_embedding").TokenEmbedding(loader.vocab_size, 8),
        "PositionEmbedding": chapter("chapter03_position_embedding").PositionEmbedding(8, 8),
        "EmbeddingModule": chapter("chapter04_embedding_module").EmbeddingModule(loader.vocab_size, config),
        "LayerNorm": chapter("chapter05_layer_norm").LayerNorm(8),
        "AttentionHead": chapter("chapter06_attention_head").AttentionHead(4, config),
        "MultiHeadAttention": chapter("chapter07_multi_head_attention").MultiHeadAttention(config),
        "FeedForward": chapter("chapter08_feed_forward").FeedForward(config),
        "TransformerBlock": chapter("chapter09_transformer_block").TransformerBlock(config),
        "VocabularyLogits": chapter("chapter10_vocabulary_logits").VocabularyLogits(loader.vocab_size, config),
        "BigramLanguageModel": model,
        "Trainer": chapter("chapter12_trainer").Trainer(
            model, torch.optim.AdamW(model.parameters()), loader, config
        ),
    }


@pytest.mark.parametrize("package", ["reference", *TUTORIAL_ANSWERS])
def test_every_class_has_the_tutorials_attributes(package):
    missing = [
        f"{name}.{attribute}"
        for name, instance in reference_instances(package).items()
        for attribute in CLASSES[name]["attributes"]
        if not hasattr(instance, attribute)
    ]
    assert not missing, f"{package} lacks the tutorial's attributes {missing} (checks/tutorial_api.json)"


@pytest.mark.parametrize("package", ["katas", "reference"])
def test_model_config_has_the_tutorials_fields_and_values(package):
    spec = API["model_config"]
    config = getattr(importlib.import_module(f"{package}.{spec['module']}"), spec["class"])()
    wrong = {
        field: getattr(config, field, "missing")
        for field, value in spec["fields"].items()
        if getattr(config, field, "missing") != value
    }
    assert not wrong, f"{package} ModelConfig() differs from the tutorial's (expected {spec['fields']}): {wrong}"
    device = "cuda" if torch.cuda.is_available() else "cpu"
    assert config.device_type == device, (
        f"ModelConfig().device_type should follow the tutorial, {spec['device_type']} = {device!r}, "
        f"got {config.device_type!r}"
    )


def test_the_check_reports_a_renamed_parameter_and_a_missing_method():
    class AttentionHead:
        def __init__(self, head_size, config):
            pass

        def forward(self, x):
            pass

    spec = {"methods": {"__init__": "(head_size, config)", "forward": "(input_tensor)", "embed": "(input_indices)"}}
    problems = drift(AttentionHead, spec, "here")
    assert len(problems) == 2 and "forward(x) should be forward(input_tensor)" in problems[0], problems
    assert "embed is missing" in problems[1], problems


def test_the_tutorials_answers_pasted_into_every_stub_pass_every_test(chapter_tests, tmp_path, monkeypatch):
    """All the tutorial's answers at once, as a learner who pastes them chapter after chapter has them.

    Each gallery entry ``chapterNN_tutorial_answer`` is a kata with the tutorial's answer pasted in; here
    they form one package (chapter 00, for which the tutorial publishes no answer, is the reference's),
    and every chapter test, training included, must pass on it.
    """
    package = tmp_path / "tutorial_answers"
    package.mkdir()
    (package / "__init__.py").write_text('"""Every chapter written as the tutorial\'s answer."""\n')
    (package / "chapter00_warmup.py").write_text((REPO_ROOT / "reference" / "chapter00_warmup.py").read_text())
    for name in TUTORIAL_ANSWERS:
        for module in (REPO_ROOT / name.replace(".", "/")).glob("chapter*.py"):
            (package / module.name).write_text(module.read_text())
    modules = sorted(path.name for path in package.glob("chapter*.py"))
    assert len(modules) == 13, f"gallery/alternatives should hold a tutorial answer for chapters 01-12: {modules}"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    results, completed = chapter_tests("tutorial_answers")
    failed = [f"{test}: {record['message'].splitlines()[0] if record['message'] else ''}"
              for test, record in results.items() if record["outcome"] != "passed"]
    assert results and not failed, (
        "with the tutorial's answers pasted into every stub these tests do not pass:\n" + "\n".join(failed)
        + ("" if results else completed.stdout[-3000:])
    )
    chapters_run = {record["chapter"] for record in results.values()}
    assert chapters_run == {entry.label for entry in CHAPTERS}, f"only chapters {sorted(chapters_run)} ran"


# The tutorial's DeterministicDropout (Chapter 06, Section 6): a fresh one zeroes these positions of a [1, 8, 8] tensor.
DETERMINISTIC_DROPOUT_FIRST_MASK = [(0, 5), (3, 7), (4, 3), (4, 6), (5, 1), (5, 2), (7, 2)]


@pytest.mark.parametrize("package", ["reference", "katas"])
def test_deterministic_dropout_is_given_as_the_tutorial_defines_it_and_every_later_chapter_has_it(package):
    chapters = {entry.label: importlib.import_module(f"{package}.{entry.module}") for entry in CHAPTERS}
    dropout = chapters["06"].DeterministicDropout()
    assert (dropout.p, dropout.generator.initial_seed()) == (0.1, 199)
    output = dropout(torch.ones(1, 8, 8))
    zeroed = [tuple(position) for position in (output[0] == 0).nonzero().tolist()]
    assert zeroed == DETERMINISTIC_DROPOUT_FIRST_MASK, zeroed
    assert torch.allclose(output[output != 0], torch.tensor(1 / 0.9)), "the kept values are scaled by 1 / (1 - p)"
    assert not torch.equal(dropout(torch.ones(1, 8, 8)), output), "the generator advances with each call"
    assert torch.equal(dropout.eval()(output), output), "eval mode hands the input through"
    for label in ("07", "08", "09", "11"):  # where the tutorial writes `DeterministicDropout(config.dropout_rate)`
        given = getattr(chapters[label], "DeterministicDropout", None)
        assert given is chapters["06"].DeterministicDropout, f"{package}/chapter {label} lacks DeterministicDropout"
    assert isinstance(chapters["07"].DeterministicDropout(make_config().dropout_rate), torch.nn.Module)
