"""Chapter 12 — Trainer. All fail with NotImplementedError at first.

Most tests hand the Trainer a tiny spy model and a fake data loader, so that
they can count batches, watch train/eval mode and gradients, and predict the
exact effect of one optimiser step. The last test trains your whole GPT on
Shakespeare for a few seconds and expects it to learn.
"""

import copy
import time
from dataclasses import dataclass

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from kata_tools.grading import training_log
from kata_tools.i18n import _
from kata_tools.testing import chapter_module, make_config

trainer_chapter = chapter_module("chapter12_trainer")
data_chapter = chapter_module("chapter01_data_loader")
model_chapter = chapter_module("chapter11_bigram_language_model")

VOCAB_SIZE = 6
LEARNING_RATE = 0.1


@dataclass
class ForwardCall:
    training: bool  # was the model in train mode?
    grad_enabled: bool  # was autograd recording?


class SpyModel(nn.Module):
    """A one-table language model (next-character logits per character) that records how it is called."""

    def __init__(self):
        super().__init__()
        self.table = nn.Embedding(VOCAB_SIZE, VOCAB_SIZE)
        self.calls = []

    def forward(self, input_indices, target_indices=None):
        self.calls.append(ForwardCall(self.training, torch.is_grad_enabled()))
        logits = self.table(input_indices)  # (B, T, V)
        if target_indices is None:
            return logits, None
        flat_logits = logits.view(-1, VOCAB_SIZE)
        return flat_logits, F.cross_entropy(flat_logits, target_indices.view(-1))


class FakeDataLoader:
    """Serves fixed batches and counts the requests per split.

    distinct=True: every request gets the next batch of a fixed list per split.
    distinct=False: every request gets the same batch.
    """

    def __init__(self, distinct=True, batch_size=4, length=5):
        generator = torch.Generator().manual_seed(7)

        def batch():
            inputs = torch.randint(VOCAB_SIZE, (batch_size, length), generator=generator)
            return inputs, torch.randint(VOCAB_SIZE, (batch_size, length), generator=generator)

        count = 20 if distinct else 1
        self.batches = {split: [batch() for _ in range(count)] for split in ("train", "val")}
        self.requests = {"train": 0, "val": 0}

    def get_batch(self, split):
        batches = self.batches[split]
        served = batches[self.requests[split] % len(batches)]
        self.requests[split] += 1
        return served


def make_trainer(optimizer_class=torch.optim.SGD, distinct=True, **config_overrides):
    model = SpyModel()
    optimizer = optimizer_class(model.parameters(), lr=LEARNING_RATE)
    loader = FakeDataLoader(distinct=distinct)
    trainer = trainer_chapter.Trainer(model, optimizer, loader, make_config(**config_overrides))
    return trainer, model, optimizer, loader


def loss_and_gradient(model, batch):
    """The loss of ``model`` on ``batch`` and the gradient of its table, computed on a copy."""
    twin = copy.deepcopy(model)
    twin.zero_grad(set_to_none=True)
    _, loss = twin(*batch)
    loss.backward()
    return loss.item(), twin.table.weight.grad.clone()


def plain_loss(model, batch):
    with torch.no_grad():
        return copy.deepcopy(model).eval()(*batch)[1].item()


def as_number(value, what):
    if isinstance(value, torch.Tensor):
        assert value.numel() == 1 and not value.requires_grad, (
            _("{what} should be a plain number (loss.item()), got a tensor that keeps its autograd graph").format(
                what=what)
        )
        return value.item()
    assert isinstance(value, (int, float)), _("{what} should be a number, got {value_type}").format(
                                                what=what, value_type=type(value).__name__)
    return float(value)


# ---------------------------------------------------------------- steps: Section 1 (Class Definition), piece by piece


@pytest.mark.kata("optimisation_step")
def test_optimisation_step_clears_old_gradients_then_updates_once():
    model = SpyModel()
    inputs, targets = torch.tensor([[0, 1, 2, 3]]), torch.tensor([[1, 2, 3, 4]])
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, 100.0)  # a stale gradient from an earlier step
    before = {name: parameter.detach().clone() for name, parameter in model.named_parameters()}
    with torch.no_grad():
        expected_loss = F.cross_entropy(model.table(inputs).view(-1, VOCAB_SIZE), targets.view(-1)).item()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss = trainer_chapter.optimisation_step(model, optimizer, inputs, targets)
    assert isinstance(loss, float), _("optimisation_step should return loss.item(), a Python float; got "
                                      "{loss!r}").format(
                                        loss=loss)
    assert abs(loss - expected_loss) < 1e-5, (
        _("optimisation_step should return the batch's loss before the update, {expected_loss:.4f}; yours "
          "{loss:.4f}").format(
            expected_loss=expected_loss, loss=loss)
    )
    reference = SpyModel()
    reference.load_state_dict({name: value for name, value in before.items()})
    reference_loss = F.cross_entropy(reference.table(inputs).view(-1, VOCAB_SIZE), targets.view(-1))
    reference_loss.backward()
    for name, parameter in model.named_parameters():
        expected = before[name] - LEARNING_RATE * dict(reference.named_parameters())[name].grad
        if torch.allclose(parameter.detach(), before[name]):
            raise AssertionError(
                _("optimisation_step did not change the parameters: call loss.backward(), then optimizer.step()")
            )
        if torch.allclose(parameter.detach(), expected - LEARNING_RATE * 100.0, atol=1e-5):
            raise AssertionError(
                _("optimisation_step added the new gradients to stale ones: call optimizer.zero_grad() first "
                  "(PyTorch accumulates gradients)")
            )
        assert torch.allclose(parameter.detach(), expected, atol=1e-5), (
            _("after one optimisation_step, {name} should have moved one SGD step against this batch's gradient: "
              "zero_grad, forward, backward, step, in that order").format(name=name)
        )


@pytest.mark.kata("mean_loss")
def test_mean_loss_averages_the_batch_losses():
    losses = [2.3080, 2.3095, 1.7031, 1.9120]
    result = trainer_chapter.mean_loss(losses)
    expected = sum(losses) / len(losses)
    if isinstance(result, (int, float)) and abs(result - sum(losses)) < 1e-6:
        raise AssertionError(_("mean_loss returned the sum of the losses; divide by how many there are"))
    assert isinstance(result, float) and abs(result - expected) < 1e-6, (
        _("mean_loss({losses}) should be their mean, {expected:.4f} (a float); yours is {result!r}").format(
            losses=losses, expected=expected, result=result)
    )
    assert trainer_chapter.mean_loss([4.17]) == pytest.approx(4.17), _("the mean of one loss is that loss")


@pytest.mark.kata("should_evaluate")
def test_should_evaluate_51_times_in_the_tutorials_5000_steps():
    steps = [step for step in range(5000) if trainer_chapter.should_evaluate(step, 100, 5000)]
    expected = [*range(0, 5000, 100), 4999]
    if steps == list(range(0, 5000, 100)):
        raise AssertionError(
            _("should_evaluate missed the last step: the tutorial also evaluates at step total_training_steps - 1 "
              "(4999), 51 reports in all")
        )
    assert steps == expected, (
        _("with 5000 steps and evaluation_frequency 100 the tutorial evaluates at steps 0, 100, ..., 4900 and 4999, "
          "51 times; yours at {steps_count} steps, starting {first} and ending {last}").format(
            steps_count=len(steps), first=steps[:4], last=steps[-2:])
    )
    small = [step for step in range(10) if trainer_chapter.should_evaluate(step, 5, 10)]
    assert small == [0, 5, 9], _("with 10 steps and frequency 5 it should be [0, 5, 9]; yours is {small}").format(
                                   small=small)


@pytest.mark.kata("format_report")
def test_format_report_prints_the_tutorials_log_lines():
    for step, train, val, line in (
        (0, 2.3080, 2.3095, "Step 0: Train Loss 2.3080, Validation Loss 2.3095"),
        (4999, 1.703149, 1.91204, "Step 4999: Train Loss 1.7031, Validation Loss 1.9120"),
    ):
        report = trainer_chapter.format_report(step, {"train": train, "val": val})
        assert report == line, _("the tutorial's training log prints {line!r}; yours is {report!r} (4 "
                                 "decimals)").format(
                                   line=line, report=report)


class MaskedHead(nn.Module):
    """An attention head's parameters and its causal mask, a buffer: saved in the state_dict, not a parameter."""

    def __init__(self, width, head_size, block):
        super().__init__()
        self.key_fc, self.query_fc, self.value_fc = (nn.Linear(width, head_size, bias=False) for _ in range(3))
        self.register_buffer("tril", torch.tril(torch.ones(block, block)))


def tutorial_sized_gpt():
    """Modules with the tutorial's final GPT's parameters (65 characters, ModelConfig of Chapter 12, Section 3),
    and its buffers: a (32, 32) causal mask per head, 16 * 1024 numbers that are not parameters."""
    vocab, block, width, heads, hidden, layers = 65, 32, 64, 4, 256, 4
    blocks = []
    for _layer in range(layers):
        attention = [MaskedHead(width, width // heads, block) for _head in range(heads)]
        blocks += [nn.LayerNorm(width), nn.LayerNorm(width), *attention, nn.Linear(width, width),
                   nn.Linear(width, hidden), nn.Linear(hidden, width)]
    return nn.ModuleList(
        [nn.Embedding(vocab, width), nn.Embedding(block, width), *blocks, nn.LayerNorm(width), nn.Linear(width, vocab)]
    )


@pytest.mark.kata("million_parameters")
def test_million_parameters_of_the_tutorials_gpt_is_0_209729():
    model = tutorial_sized_gpt()
    millions = trainer_chapter.million_parameters(model)
    with_buffers = sum(value.numel() for value in model.state_dict().values()) / 1e6
    if isinstance(millions, float) and abs(millions - with_buffers) < 1e-9:
        raise AssertionError(
            _("the tutorial prints '0.209729 M parameters' for its GPT; yours gives {millions!r}: it looks like "
              "you counted the state_dict, which holds the buffers too (the causal masks, tril), and buffers are "
              "not parameters. Add up p.numel() for p in model.parameters() and divide by 1e6").format(
                millions=millions)
        )
    assert isinstance(millions, float) and abs(millions - 0.209729) < 1e-9, (
        _("the tutorial prints '0.209729 M parameters' for its GPT; yours gives {millions!r}: add up every "
          "parameter's numel() and divide by 1e6").format(millions=millions)
    )
    assert trainer_chapter.million_parameters(nn.Linear(64, 65)) == pytest.approx(0.004225), (
        _("nn.Linear(64, 65) has 64 * 65 + 65 = 4225 parameters, 0.004225 million")
    )


@pytest.mark.kata("checkpoint_state")
def test_checkpoint_state_saves_both_state_dicts_under_the_tutorials_keys(tmp_path):
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    model(torch.randn(2, 4)).sum().backward()
    optimizer.step()
    state = trainer_chapter.checkpoint_state(model, optimizer)
    keys = sorted(state) if isinstance(state, dict) else state
    assert keys == ["model_state_dict", "optimizer_state_dict"], (
        _("the tutorial saves {{'model_state_dict': model.state_dict(), 'optimizer_state_dict': "
          "optimizer.state_dict()}}; yours has the keys {keys!r}").format(keys=keys)
    )
    torch.save(state, tmp_path / "bigram_language_model.pth")
    loaded = torch.load(tmp_path / "bigram_language_model.pth", map_location="cpu")
    restored = nn.Linear(4, 3)
    restored_optimizer = torch.optim.AdamW(restored.parameters(), lr=LEARNING_RATE)
    restored.load_state_dict(loaded["model_state_dict"])
    restored_optimizer.load_state_dict(loaded["optimizer_state_dict"])
    assert torch.equal(restored.weight, model.weight) and torch.equal(restored.bias, model.bias), (
        _("a model loaded from the checkpoint should have the trained weights: save model.state_dict()")
    )
    assert restored_optimizer.state_dict()["state"], (
        _("the optimiser's state (AdamW's running averages) is missing: save optimizer.state_dict(), so that "
          "training can resume where it stopped")
    )


class NextIdModel(nn.Module):
    """generate appends (last id + 1) % vocabulary size, max_new_tokens times; it records what it was given."""

    def __init__(self, vocab_size):
        super().__init__()
        self.vocab_size = vocab_size
        self.anchor = nn.Parameter(torch.zeros(1))
        self.calls = []

    def generate(self, input_indices, max_new_tokens):
        self.calls.append((tuple(input_indices.shape), input_indices.dtype, max_new_tokens))
        for _step in range(max_new_tokens):
            next_id = (input_indices[:, -1:] + 1) % self.vocab_size
            input_indices = torch.cat((input_indices, next_id), dim=1)
        return input_indices


@pytest.mark.kata("complete_prompt")
def test_complete_prompt_encodes_a_batch_of_one_generates_and_decodes():
    chars = sorted(set("Let's hear the play.\n"))

    class Codec:  # a data loader's encode and decode, over these characters
        def encode(self, prompt):
            return [chars.index(character) for character in prompt]

        def decode(self, indices):
            return "".join(chars[index] for index in indices)

    model = NextIdModel(len(chars))
    completed = trainer_chapter.complete_prompt(model, Codec(), "Let's he", 4)
    assert model.calls, _("complete_prompt never called model.generate")
    shape, dtype, max_new_tokens = model.calls[0]
    assert shape == (1, 8), (
        _("generate received input of shape {shape}: the tutorial's encoded_prompt is [8] and unsqueeze(0) makes it "
          "[1, 8], a batch of one").format(shape=shape)
    )
    assert dtype == torch.long, _("generate received {dtype}: ids are torch.long").format(dtype=dtype)
    assert max_new_tokens == 4, _("generate was asked for {max_new_tokens} new tokens, not max_new_tokens = 4").format(
                                    max_new_tokens=max_new_tokens)
    expected = "Let's he" + "".join(chars[(chars.index("e") + step) % len(chars)] for step in range(1, 5))
    assert completed == expected, (
        _("complete_prompt should return the prompt and the 4 new characters, decoded: {expected!r}; yours is "
          "{completed!r} (decode generated_sequence[0].tolist())").format(expected=expected, completed=completed)
    )

# ---------------------------------------------------------------- train_step


@pytest.mark.kata("Trainer.train_step")
def test_train_step_returns_the_loss_of_one_training_batch_as_a_float():
    trainer, model, _unused, loader = make_trainer(distinct=False)
    expected, _unused = loss_and_gradient(model, loader.batches["train"][0])
    result = trainer.train_step()
    assert isinstance(result, float), (
        _("train_step should return the loss as a Python float (loss.item()), got {result_type}: a tensor would keep "
          "the whole autograd graph alive").format(result_type=type(result).__name__)
    )
    assert loader.requests == {"train": 1, "val": 0}, (
        _("train_step should draw exactly one batch with get_batch('train'), drew {requests}").format(
            requests=loader.requests)
    )
    assert result == pytest.approx(expected, abs=1e-5), (
        _("train_step should return the loss of its batch before the update ({expected:.4f}), got {result:.4f}").format(
            expected=expected, result=result)
    )


@pytest.mark.kata("Trainer.train_step")
def test_train_step_moves_the_parameters_by_one_optimizer_step():
    trainer, model, _unused, loader = make_trainer(distinct=False)
    before = model.table.weight.detach().clone()
    _unused, gradient = loss_and_gradient(model, loader.batches["train"][0])
    trainer.train_step()
    after = model.table.weight.detach()
    assert not torch.equal(after, before), (
        _("the parameters did not change after train_step: call loss.backward() and then optimizer.step() (and zero "
          "the gradients before backward, not between backward and step)")
    )
    expected = before - LEARNING_RATE * gradient  # plain SGD: one step against the gradient
    assert torch.allclose(after, expected, atol=1e-6), (
        _("with plain SGD one train_step should move every parameter by -lr * gradient of the batch loss: one "
          "forward, one loss.backward(), one optimizer.step()")
    )


@pytest.mark.kata("Trainer.train_step")
def test_gradients_are_reset_before_every_step():
    trainer, model, _unused, loader = make_trainer(distinct=False)
    batch = loader.batches["train"][0]
    _unused, first_gradient = loss_and_gradient(model, batch)
    before = model.table.weight.detach().clone()
    trainer.train_step()
    after_first = model.table.weight.detach().clone()
    assert not torch.equal(after_first, before), (
        _("the parameters did not change after train_step: call optimizer.step() after loss.backward()")
    )
    _unused, second_gradient = loss_and_gradient(model, batch)
    trainer.train_step()
    after_second = model.table.weight.detach()
    accumulated = after_first - LEARNING_RATE * (first_gradient + second_gradient)
    if torch.allclose(after_second, accumulated, atol=1e-6):
        raise AssertionError(
            _("the second train_step used the sum of both steps' gradients: PyTorch accumulates gradients until they "
              "are reset, so call optimizer.zero_grad() before loss.backward() in every step")
        )
    assert torch.allclose(after_second, after_first - LEARNING_RATE * second_gradient, atol=1e-6), (
        _("the second train_step should move the parameters by -lr * that step's gradient alone (zero_grad, "
          "backward, optimizer.step once each)")
    )


@pytest.mark.kata("Trainer.train_step")
def test_train_step_with_adamw_changes_the_parameters():
    trainer, model, _unused, _unused = make_trainer(optimizer_class=torch.optim.AdamW)
    before = copy.deepcopy(model.state_dict())
    for _unused in range(2):
        trainer.train_step()
    unchanged = [name for name, value in model.state_dict().items() if torch.equal(value, before[name])]
    assert not unchanged, _("parameters did not change after two AdamW train_steps: {unchanged}; call "
                            "optimizer.step()").format(unchanged=unchanged)


# ---------------------------------------------------------------- evaluate


@pytest.mark.kata("Trainer.evaluate")
def test_evaluate_averages_evaluation_loops_batches_of_each_split():
    trainer, model, _unused, loader = make_trainer(evaluation_loops=3)
    expected = {
        split: sum(plain_loss(model, batch) for batch in loader.batches[split][:3]) / 3 for split in loader.batches
    }
    result = trainer.evaluate()
    assert loader.requests == {"train": 3, "val": 3}, (
        _("evaluate should average evaluation_loops = 3 batches of each split, but drew {requests}").format(
            requests=loader.requests)
    )
    assert isinstance(result, dict) and set(result) == {"train", "val"}, (
        _("evaluate should return {{'train': mean loss, 'val': mean loss}}, got {result!r}").format(result=result)
    )
    for split in ("train", "val"):
        value = as_number(result[split], f"evaluate()[{split!r}]")
        assert value == pytest.approx(expected[split], abs=1e-5), (
            _("evaluate()[{split!r}] should be the mean loss of evaluation_loops = 3 {split} batches, "
              "{expected:.4f}, got {got:.4f}").format(split=split, expected=expected[split], got=value)
        )


@pytest.mark.kata("Trainer.evaluate")
def test_evaluate_runs_in_eval_mode_without_building_a_graph():
    trainer, model, _unused, _unused = make_trainer(evaluation_loops=2)
    model.train()
    with torch.enable_grad():
        trainer.evaluate()
    assert model.calls, _("evaluate never called the model")
    assert not any(call.training for call in model.calls), (
        _("evaluate ran the model in train mode: call model.eval() first (eval mode turns dropout off)")
    )
    assert not any(call.grad_enabled for call in model.calls), (
        _("evaluate ran the model with gradients on, building an autograd graph it never uses: wrap the loop in "
          "torch.no_grad() (or torch.inference_mode())")
    )


@pytest.mark.kata("Trainer.evaluate")
def test_evaluate_leaves_the_model_in_train_mode():
    trainer, model, _unused, _unused = make_trainer(evaluation_loops=2)
    model.train()
    trainer.evaluate()
    assert model.training, (
        _("after evaluate the model is still in eval mode: call model.train() at the end, or the next training steps "
          "run without dropout")
    )


@pytest.mark.kata("Trainer.evaluate")
def test_evaluate_changes_no_parameter():
    trainer, model, _unused, _unused = make_trainer(evaluation_loops=2)
    before = model.table.weight.detach().clone()
    trainer.evaluate()
    assert torch.equal(model.table.weight, before), (
        _("evaluate changed the parameters: it only measures; no backward, no optimizer.step")
    )


# ---------------------------------------------------------------- train


def count_optimizer_steps(optimizer):
    counter = {"steps": 0}
    original_step = optimizer.step

    def counting_step(*args, **kwargs):
        counter["steps"] += 1
        return original_step(*args, **kwargs)

    optimizer.step = counting_step
    return counter


@pytest.mark.kata("Trainer.train")
def test_train_takes_total_training_steps_optimizer_steps():
    trainer, _unused, optimizer, _unused = make_trainer(
        total_training_steps=8, evaluation_frequency=3, evaluation_loops=1)
    counter = count_optimizer_steps(optimizer)
    trainer.train()
    assert counter["steps"] == 8, (
        _("train should call train_step total_training_steps = 8 times (one optimizer.step each), counted {counter} "
          "optimizer steps").format(counter=counter['steps'])
    )


@pytest.mark.kata("Trainer.train")
def test_train_reports_at_step_zero_every_evaluation_frequency_and_at_the_last_step(capsys):
    trainer, _unused, optimizer, loader = make_trainer(
        total_training_steps=8, evaluation_frequency=3, evaluation_loops=1)
    counter = count_optimizer_steps(optimizer)
    updates_before_report = []  # optimizer steps taken before each evaluation
    evaluate = trainer.evaluate

    def counting_evaluate():
        updates_before_report.append(counter["steps"])
        return evaluate()

    trainer.evaluate = counting_evaluate
    trainer.train()  # the tutorial's train returns nothing; what it prints is the report
    printed = capsys.readouterr().out
    reports = training_log.reports(printed)  # the judge reads the log with the same function
    steps = [step for step, _, _ in reports]
    example = "Step 0: Train Loss 1.7925, Validation Loss 1.8037"
    assert reports, (
        _("train printed no report line like {example!r}: at each evaluation print the step, the train loss and the "
          "validation loss. It printed: {printed!r}").format(example=example, printed=printed[:300])
    )
    assert steps[:3] == [0, 3, 6], (
        _("with evaluation_frequency = 3 the reports should come at steps 0, 3, 6, ... got steps {steps}: evaluate "
          "when step % evaluation_frequency == 0").format(steps=steps)
    )
    assert steps[-1] in (7, 8), (
        _("with total_training_steps = 8 the last report should come at the last step, 7 (the tutorial: step == "
          "total_training_steps - 1), got steps {steps}").format(steps=steps)
    )
    assert len(updates_before_report) == len(steps), (
        _("train printed {steps_count} reports but called evaluate {updates_before_report_count} times: every report "
          "shows the losses of one evaluate()").format(
            steps_count=len(steps), updates_before_report_count=len(updates_before_report))
    )
    assert updates_before_report[0] == 0, (
        _("the step 0 report came after an optimizer step: evaluate before that step's train_step, so that step 0 "
          "shows the untrained model")
    )
    assert loader.requests["val"] == len(steps), (
        _("{steps_count} reports with evaluation_loops = 1 should draw {steps_count} validation batches, drew "
          "{requests}").format(steps_count=len(steps), requests=loader.requests['val'])
    )


# ---------------------------------------------------------------- the threshold: your GPT learns


@pytest.mark.kata("Trainer.train_step")
@pytest.mark.training
@pytest.mark.timeout(120)
def test_your_gpt_learns_shakespeare_below_the_unigram_level(shakespeare_text):
    """Trains the whole model (your DataLoader, BigramLanguageModel and Trainer.train_step) for a few seconds."""
    torch.manual_seed(1337)
    config = make_config(
        batch_size=32, input_sequence_length=16, embedding_dim=32, hidden_dim=64, num_attention_heads=2,
        layer_count=2, dropout_rate=0.0, learning_rate=5e-3, total_training_steps=300,
    )
    data_loader = data_chapter.DataLoader(shakespeare_text, config)
    model = model_chapter.BigramLanguageModel(data_loader.vocab_size, config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
    trainer = trainer_chapter.Trainer(model, optimizer, data_loader, config)

    def validation_loss():
        model.eval()
        with torch.no_grad():
            losses = [model(*data_loader.get_batch("val"))[1].item() for _ in range(20)]
        model.train()
        return sum(losses) / len(losses)

    # Tensors this small gain nothing from a second thread, and on a busy machine threads wait for each other.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        start_loss = validation_loss()
        started = time.perf_counter()
        training_losses = [trainer.train_step() for _ in range(config.total_training_steps)]
        seconds = time.perf_counter() - started
        final_loss = validation_loss()
    finally:
        torch.set_num_threads(threads)
    assert final_loss < 2.5, (
        _("after {total_training_steps} AdamW steps ({seconds:.1f} s) the validation loss is {final_loss:.2f} (it "
          "started at {start_loss:.2f}; training losses went {training_losses:.2f} -> {training_losses2:.2f}). A GPT "
          "of this size gets below 2.5 (a unigram model stays near 3.3): if the training loss fell but the "
          "validation loss did not, the model memorises the training text (check the 90/10 split); if neither fell, "
          "check train_step (zero_grad, backward, optimizer.step) and the loss").format(
            total_training_steps=config.total_training_steps,
            seconds=seconds,
            final_loss=final_loss,
            start_loss=start_loss,
            training_losses=training_losses[0],
            training_losses2=training_losses[-1])
    )
