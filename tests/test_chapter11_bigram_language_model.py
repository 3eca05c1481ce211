"""Chapter 11 — BigramLanguageModel, the whole GPT. All fail with NotImplementedError at first.

Two jobs: ``forward`` scores every position's guess of the next character
(the loss), and ``generate`` writes new text one sampled character at a time.
"""

import math

import pytest
import torch
from torch.nn import functional as F

from kata_tools.i18n import _
from kata_tools.testing import assert_shape, chapter_module, make_config, parameter_count, randomize_parameters

model_chapter = chapter_module("chapter11_bigram_language_model")

VOCAB_SIZE = 10


def make_model(vocab_size=VOCAB_SIZE, **overrides):
    model = model_chapter.BigramLanguageModel(vocab_size, make_config(**overrides))
    return model.eval()  # dropout is 0 anyway; eval keeps the outputs deterministic for any implementation


def random_indices(batch, length, vocab_size=VOCAB_SIZE):
    return torch.randint(vocab_size, (batch, length))


def logits_as_batch_time_vocab(logits, batch, length, vocab_size=VOCAB_SIZE):
    """Accept logits (B, T, V) or the tutorial's flattened (B * T, V); return them as (B, T, V)."""
    if isinstance(logits, torch.Tensor) and tuple(logits.shape) == (batch * length, vocab_size):
        return logits.view(batch, length, vocab_size)
    assert_shape(logits, (batch, length, vocab_size), "(B, T, V) (or (B * T, V))", "logits")
    return logits


# ---------------------------------------------------------------- steps: Section 3 (generate), piece by piece

# Chapter 11, Section 3: the word-level toy vocabulary and its logits.
WORDS = ["I", "you", "am", "is", "love", "hate"]
TOY_LOGITS_STEP_1 = [[[1.0, 0.5, 0.0, -1.0, 3.0, 2.0]]]  # (1, 1, 6), after "I"
TOY_LOGITS_STEP_2 = [[[1.0, 0.5, 0.0, -1.0, 3.0, 2.0], [0.5, 3.2, -1.0, 0.0, 0.2, -0.5]]]  # (1, 2, 6), after "I love"
TOY_PROBABILITIES = [0.08, 0.05, 0.03, 0.01, 0.60, 0.22]  # softmax of the last row of step 1


@pytest.mark.kata("last_position_logits")
def test_last_position_logits_take_the_last_row_of_the_toy_logits():
    logits = torch.tensor(TOY_LOGITS_STEP_2)
    last = model_chapter.last_position_logits(logits)
    assert_shape(last, (1, 6), "(B, V)", _("last_position_logits of the (1, 2, 6) toy logits"))
    if torch.equal(last, logits[:, 0, :]):
        raise AssertionError(_("last_position_logits took the first position; the next word follows the last: [:, "
                               "-1, :]"))
    assert torch.equal(last, logits[:, 1, :]), (
        _("after 'I love' the tutorial's last row is {toy_logits_step_2}; yours is {yours}").format(
            toy_logits_step_2=TOY_LOGITS_STEP_2[0][1], yours=[round(v, 2) for v in last.flatten().tolist()])
    )
    logits = torch.randn(3, 5, 7)
    assert torch.equal(model_chapter.last_position_logits(logits), logits[:, -1, :]), (
        _("for (B, T, V) = (3, 5, 7) logits, last_position_logits should keep every sequence of the batch: logits[:, "
          "-1, :], not logits[-1]")
    )


@pytest.mark.kata("sample_greedy")
def test_sample_greedy_picks_love_then_you():
    for logits, expected, word in ((TOY_LOGITS_STEP_1, 4, "love"), (TOY_LOGITS_STEP_2, 1, "you")):
        probabilities = F.softmax(torch.tensor(logits)[:, -1, :], dim=-1)  # (1, 6), computed here
        next_token = model_chapter.sample_greedy(probabilities)
        if isinstance(next_token, torch.Tensor) and tuple(next_token.shape) == (1,):
            raise AssertionError(
                _("sample_greedy gave shape (1,), {next_token}: keep the last axis, "
                  "torch.argmax(probabilities, dim=-1, keepdim=True), so that it joins the (B, T) sequence").format(
                    next_token=next_token.tolist())
            )
        assert_shape(next_token, (1, 1), "(B, 1)", "sample_greedy")
        assert next_token.tolist() == [[expected]], (
            _("the tutorial's check point is next_token = tensor([[{expected}]]) ('{word}'), the most likely word; "
              "yours is {next_token}").format(
                expected=expected, word=word, next_token=next_token.tolist())
        )
    probabilities = F.softmax(torch.randn(4, 9), dim=-1)
    assert torch.equal(model_chapter.sample_greedy(probabilities), probabilities.argmax(dim=-1, keepdim=True)), (
        _("for a batch of 4 rows, sample_greedy should pick the most likely token of every row (argmax over dim=-1)")
    )


@pytest.mark.kata("append_token")
def test_append_token_builds_i_love_you():
    sequence = torch.tensor([[0]])  # "I"
    for next_token, expected in (([[4]], [[0, 4]]), ([[1]], [[0, 4, 1]])):
        sequence = model_chapter.append_token(sequence, torch.tensor(next_token))
        if isinstance(sequence, torch.Tensor) and tuple(sequence.shape) == (len(expected[0]), 1):
            raise AssertionError(_("append_token joined on the batch axis (dim=0); append on the time axis, dim=-1"))
        assert_shape(sequence, (1, len(expected[0])), "(B, T + 1)", "append_token")
        assert sequence.tolist() == expected, (
            _("the tutorial's check point is input_indices = tensor({expected}) ('{text}'); yours is "
              "{sequence}: the new token goes at the end").format(
                expected=expected, text=' '.join(WORDS[i] for i in expected[0]), sequence=sequence.tolist())
        )


@pytest.mark.kata("sample_next_token")
def test_sample_next_token_draws_each_word_about_as_often_as_its_probability():
    probabilities = torch.tensor([TOY_PROBABILITIES]) / sum(TOY_PROBABILITIES)
    draws = 4000
    generator = torch.Generator().manual_seed(1337)
    samples = model_chapter.sample_next_token(probabilities.expand(draws, 6).contiguous(), generator)
    assert_shape(samples, (draws, 1), "(B, 1)", _("sample_next_token of {draws} rows").format(draws=draws))
    counts = torch.bincount(samples.flatten(), minlength=6)[:6].float() / draws
    if counts[4] == 1:
        raise AssertionError(
            _("sample_next_token always picked 'love', the most likely word: that is greedy decoding. Sample with "
              "torch.multinomial(probabilities, num_samples=1), so 'hate' (0.22) comes up about 22% of the time")
        )
    assert torch.allclose(counts, probabilities[0], atol=0.03), (
        _("over {draws} draws from the tutorial's probabilities {toy_probabilities} your frequencies were "
          "{frequencies}: "
          "each word should come up about as often as its probability").format(
            draws=draws, toy_probabilities=TOY_PROBABILITIES, frequencies=[round(v, 2) for v in counts.tolist()])
    )


@pytest.mark.kata("crop_context")
def test_crop_context_keeps_the_last_eight_tokens():
    long_sequence = torch.tensor([[0, 4, 1, 6, 7, 8, 0, 9, 1, 10, 7]])  # (1, 11)
    cropped = model_chapter.crop_context(long_sequence, 8)
    if isinstance(cropped, torch.Tensor) and cropped.tolist() == [[0, 4, 1, 6, 7, 8, 0, 9]]:
        raise AssertionError(
            _("crop_context kept the first 8 tokens; keep the newest ones, input_indices[:, -block_size:]")
        )
    assert_shape(cropped, (1, 8), "(B, block_size)", _("crop_context of an (1, 11) sequence"))
    assert cropped.tolist() == [[6, 7, 8, 0, 9, 1, 10, 7]], (
        _("the tutorial crops [[0, 4, 1, 6, 7, 8, 0, 9, 1, 10, 7]] to [[6, 7, 8, 0, 9, 1, 10, 7]]; yours gives "
          "{cropped}").format(cropped=cropped.tolist())
    )
    short = torch.tensor([[0, 4, 1, 6]])
    kept = model_chapter.crop_context(short, 8)
    assert isinstance(kept, torch.Tensor) and kept.tolist() == [[0, 4, 1, 6]], (
        _("a sequence shorter than block_size stays as it is, as the tutorial's [[0, 4, 1, 6]]; yours gives "
          "{kept!r}").format(
            kept=kept)
    )
    batch = torch.arange(2 * 11).view(2, 11)
    assert torch.equal(model_chapter.crop_context(batch, 8), batch[:, 3:]), (
        _("crop_context should crop every sequence of the batch on the time axis (dim=1)")
    )

# ---------------------------------------------------------------- structure


@pytest.mark.kata("BigramLanguageModel.__init__")
def test_model_is_embedding_then_blocks_then_vocabulary_logits():
    model = make_model(layer_count=3)
    for name in ("embedding", "blocks", "vocab_projection"):
        assert hasattr(model, name), _("the model should have an attribute {name!r} (see the class docstring)").format(
                                         name=name)
    assert len(model.blocks) == 3, _("blocks should hold layer_count = 3 TransformerBlocks, got {blocks_count}").format(
                                       blocks_count=len(model.blocks))


@pytest.mark.kata("BigramLanguageModel.__init__")
def test_blocks_are_registered_sub_modules():
    model = make_model()
    registered = {id(sub_module) for sub_module in model.modules()}
    blocks = list(getattr(model, "blocks", []))
    assert blocks, _("BigramLanguageModel needs self.blocks, an nn.Sequential of layer_count TransformerBlock")
    for index, block in enumerate(blocks):
        assert id(block) in registered, (
            _("blocks[{index}] is not registered with the model: keep the blocks in nn.Sequential. A plain Python "
              "list hides them from parameters() (never trained), state_dict(), .to() and .eval()").format(
                index=index)
        )


@pytest.mark.kata("BigramLanguageModel.forward")
def test_the_loss_accepts_targets_that_are_slices_of_a_larger_tensor():
    model = make_model()
    windows = random_indices(2, make_config().input_sequence_length + 1)
    inputs, targets = windows[:, :-1], windows[:, 1:]  # a vectorised get_batch returns such slices
    try:
        _unused, loss = model(inputs, targets)
    except NotImplementedError:
        raise
    except RuntimeError as error:
        if "view size is not compatible" not in str(error):
            raise  # not about slices: the plugin's "in your code" matches its advice to the error
        raise AssertionError(
            _("the loss failed on targets sliced from a larger tensor ({error}): a get_batch may return such "
              "non-contiguous slices. Keep the given line target_indices = target_indices.contiguous() at the top of "
              "forward (then .view works), or flatten with .reshape").format(error=error)
        ) from error
    assert loss is not None and torch.isfinite(loss), _("the loss should be a finite scalar")


@pytest.mark.kata("BigramLanguageModel.__init__")
def test_parameter_count_matches_the_formula():
    V, T, C, hidden, layers = VOCAB_SIZE, 8, 12, 20, 2
    embedding = V * C + T * C  # a vector per character and per position
    attention = 3 * C * C + (C * C + C)  # queries, keys, values of all heads (no bias) + output projection
    feed_forward = (C * hidden + hidden) + (hidden * C + C)
    block = 2 * (2 * C) + attention + feed_forward  # two layer norms (scale + shift each)
    output = 2 * C + (C * V + V)  # final norm + projection to the vocabulary
    expected = embedding + layers * block + output
    model = make_model(input_sequence_length=T, embedding_dim=C, hidden_dim=hidden, layer_count=layers)
    assert parameter_count(model) == expected, (
        _("expected {expected} parameters (embeddings {embedding}, {layers} blocks of {block}, output {output}), got "
          "{got}: a missing, shared or extra layer?").format(
            expected=expected,
            embedding=embedding,
            layers=layers,
            block=block,
            output=output,
            got=parameter_count(model))
    )


# ---------------------------------------------------------------- forward and loss


@pytest.mark.kata("BigramLanguageModel.forward")
def test_forward_without_targets_returns_logits_for_every_position_and_no_loss():
    model = make_model()
    logits, loss = model(random_indices(2, 6))
    assert_shape(logits, (2, 6, VOCAB_SIZE), "(B, T, V)", _("logits without targets"))
    assert loss is None, _("without targets the loss should be None, got {loss!r}").format(loss=loss)


@pytest.mark.kata("BigramLanguageModel.forward")
def test_loss_is_the_mean_cross_entropy_of_every_position_against_its_target():
    model = make_model()
    inputs, targets = random_indices(3, 8), random_indices(3, 8)
    plain_logits, _unused = model(inputs)
    logits, loss = model(inputs, targets)
    logits = logits_as_batch_time_vocab(logits, 3, 8)
    assert torch.allclose(logits, plain_logits, atol=1e-5), (
        _("the logits returned with targets should be the same numbers as without targets (only flattened, at most)")
    )
    assert isinstance(loss, torch.Tensor) and loss.dim() == 0, _("the loss should be a scalar tensor, got "
                                                                 "{loss!r}").format(
                                                                   loss=loss)
    flat_logits, flat_targets = plain_logits.reshape(-1, VOCAB_SIZE), targets.reshape(-1)
    expected = F.cross_entropy(flat_logits, flat_targets)
    if torch.isclose(loss, F.cross_entropy(plain_logits[:, :-1].reshape(-1, VOCAB_SIZE), targets[:, 1:].reshape(-1))):
        raise AssertionError(
            _("the loss compares position t with target_indices[:, t + 1]: the targets are shifted again. "
              "target_indices[b, t] already is the next character of input_indices[b, t] (the DataLoader shifted it)")
        )
    if torch.isclose(loss, F.cross_entropy(plain_logits[:, -1], targets[:, -1])):
        raise AssertionError(
            _("the loss uses the last position only: in training every position predicts its next character, so take "
              "the cross-entropy over all B * T positions")
        )
    if torch.isclose(loss, F.cross_entropy(F.softmax(flat_logits, dim=-1), flat_targets)):
        raise AssertionError(
            _("the loss is the cross-entropy of softmax probabilities: F.cross_entropy applies the softmax itself, "
              "so give it the raw logits")
        )
    if torch.isclose(loss, F.cross_entropy(flat_logits, flat_targets, reduction="sum")):
        raise AssertionError(_("the loss is the sum over positions: take the mean cross-entropy (the default)"))
    assert torch.isclose(loss, expected, atol=1e-5), (
        _("the loss should be F.cross_entropy over the (B * T, V) logits and (B * T,) targets = {expected_item:.4f}, "
          "got {loss_item:.4f}: flatten logits and targets the same way so that each position meets its own next "
          "character").format(expected_item=expected.item(), loss_item=loss.item())
    )


@pytest.mark.kata("BigramLanguageModel.forward")
def test_loss_rewards_the_model_for_predicting_the_next_character():
    model = make_model()
    inputs = random_indices(2, 8)
    logits, _unused = model(inputs)
    predicted = logits.argmax(dim=-1)  # (B, T): the model's own favourite next character everywhere
    disliked = logits.argmin(dim=-1)
    _unused, loss_when_right = model(inputs, predicted)
    _unused, loss_when_wrong = model(inputs, disliked)
    assert loss_when_right < loss_when_wrong, (
        _("the loss should be lower when target_indices[b, t] is the character the model favours at position t than "
          "when it is the one it rules out: does the cross-entropy pair each position with its own target (the next "
          "character)?")
    )


@pytest.mark.kata("BigramLanguageModel.forward")
def test_an_untrained_model_starts_near_a_uniform_guess_over_the_65_characters(shakespeare_text):
    characters = sorted(set(shakespeare_text))
    ids = {character: index for index, character in enumerate(characters)}
    data = torch.tensor([ids[character] for character in shakespeare_text[:200_000]])
    T = 16
    starts = torch.randint(len(data) - T - 1, (128,))
    inputs = torch.stack([data[start : start + T] for start in starts])
    targets = torch.stack([data[start + 1 : start + T + 1] for start in starts])  # the next character of each input
    model = model_chapter.BigramLanguageModel(
        len(characters),
        make_config(input_sequence_length=T, embedding_dim=64, hidden_dim=128, num_attention_heads=4, layer_count=2),
    ).eval()
    with torch.no_grad():
        _unused, loss = model(inputs, targets)
    uniform = math.log(len(characters))
    assert abs(loss.item() - uniform) < 0.3, (
        _("an untrained model should start near ln {characters_count} = {uniform:.2f} (every character equally "
          "likely), got a cross-entropy of {loss_item:.2f}: a much larger loss means over-confident random logits "
          "(missing scale or final norm); check that the loss is F.cross_entropy of the logits, not of "
          "probabilities").format(
            characters_count=len(characters), uniform=uniform, loss_item=loss.item())
    )


@pytest.mark.kata("BigramLanguageModel.forward")
def test_the_whole_model_is_causal():
    model = randomize_parameters(make_model(), seed=3)
    inputs = random_indices(2, 8)
    changed = inputs.clone()
    changed[:, 5] = (changed[:, 5] + 1) % VOCAB_SIZE
    with torch.no_grad():
        before, _unused = model(inputs)
        after, _unused = model(changed)
    difference = (after - before).abs().amax(dim=(0, 2))  # (T,)
    leaking = [position for position in range(5) if difference[position] > 1e-5]
    assert not leaking, (
        _("positions {leaking} changed when only the character at position 5 changed: a position may only see itself "
          "and earlier ones (causal mask in every head of every block)").format(leaking=leaking)
    )
    assert difference[5] > 1e-5, _("changing the character at position 5 did not change the logits at position 5")


# ---------------------------------------------------------------- generate


class ForwardSpy:
    """Stands in for ``model.forward``: records every call, then runs ``respond`` (or the real forward)."""

    def __init__(self, model, respond=None):
        self.contexts = []
        self.respond = respond
        self.forward = model.forward
        model.forward = self  # an instance attribute wins over the class method, for model(x) and model.forward(x)

    def __call__(self, *arguments, **keywords):
        """Whatever the learner's forward takes (targets by position or by any name); the indices come first."""
        input_indices = arguments[0] if arguments else next(iter(keywords.values()))
        self.contexts.append(input_indices.clone())
        if self.respond is None:
            return self.forward(*arguments, **keywords)
        return self.respond(input_indices)


EARLIER_FAVOURITE = 1  # what every position but the last predicts
LAST_CHOICES = {3: 0.25, 4: 0.75}  # the last position's distribution


def controlled_logits(input_indices, target_indices=None):
    """Logits (B, T, V): earlier positions are sure of character 1, the last splits 25/75 between 3 and 4."""
    batch, length = input_indices.shape
    logits = torch.full((batch, length, VOCAB_SIZE), -30.0)
    logits[:, :, EARLIER_FAVOURITE] = 0.0
    logits[:, -1, :] = -30.0
    for character, probability in LAST_CHOICES.items():
        logits[:, -1, character] = math.log(probability)
    return logits, None


def generate(model, prompt, max_new_tokens, block=None):
    """model.generate, with a failure explained by what actually went wrong.

    ``block``: the model's input_sequence_length (make_config's, unless given). The contexts the model was
    given are recorded (a ForwardSpy, the test's own or one put in for the call), so that the advice to crop
    the context is given only when a context longer than the block reached the model.
    """
    block = block or make_config().input_sequence_length
    spy = model.__dict__.get("forward")
    own_spy = not isinstance(spy, ForwardSpy)
    if own_spy:
        spy = ForwardSpy(model)
    try:
        return model.generate(prompt, max_new_tokens)
    except NotImplementedError:
        raise
    except (IndexError, RuntimeError, ValueError) as error:
        raise AssertionError(generate_failure(error, spy.contexts, block)) from error
    finally:
        if own_spy:
            del model.forward


def generate_failure(error, contexts, block):
    """What a crash inside generate means, from the error and the contexts the model was given."""
    text = f"{type(error).__name__}: {error}"
    if "probability tensor" in str(error):
        return _("torch.multinomial rejected its input ({error}): it takes probabilities, not logits. "
                 "Apply F.softmax(logits[:, -1, :], dim=-1) first").format(error=text)
    if "selected index k out of range" in str(error):
        return _("torch.topk asked for more characters than the vocabulary has ({error}): the tutorial samples "
                 "from the whole distribution, without top-k: torch.multinomial(probabilities, num_samples=1)").format(
                     error=text)
    longest = max((context.shape[1] for context in contexts), default=0)
    if longest > block:
        return _("the model was given a context of {longest} tokens and failed ({error}): it has no position "
                 "vector past input_sequence_length = {block}, so crop the context to its last "
                 "input_sequence_length tokens before each forward pass").format(longest=longest, error=text,
                                                                                 block=block)
    if "except in dimension 0" in str(error):
        return _("joining the new token to the sequence failed ({error}): torch.cat joins along dimension 0 "
                 "unless told otherwise; the new token goes on the time axis, torch.cat((input_indices, "
                 "next_token), dim=1)").format(error=text)
    if contexts:
        return _("generate failed with a context of {length} tokens (input_sequence_length = {block}): "
                 "{error}").format(length=contexts[-1].shape[1], block=block, error=text)
    return _("generate failed before the model ran (input_sequence_length = {block}): {error}").format(
        block=block, error=text)


@pytest.mark.kata("BigramLanguageModel.generate")
def test_generate_returns_the_prompt_followed_by_the_new_tokens():
    model = make_model()
    prompt = random_indices(2, 3)
    output = generate(model, prompt, 5)
    if isinstance(output, torch.Tensor) and tuple(output.shape) == (2, 5):
        raise AssertionError(
            _("generate returned only the 5 new tokens (B, max_new_tokens) = (2, 5): return the prompt followed by "
              "the new tokens, (B, T0 + max_new_tokens) = (2, 8)")
        )
    assert_shape(output, (2, 3 + 5), "(B, T0 + max_new_tokens)", _("generate's output (prompt + new tokens)"))
    assert torch.equal(output[:, :3], prompt), (
        _("the first T0 tokens of generate's output should be the prompt itself: return prompt + new tokens, not the "
          "new tokens only")
    )
    assert output.dtype == torch.long and bool(((output >= 0) & (output < VOCAB_SIZE)).all()), (
        _("generated tokens should be character ids (long) in 0..{last}").format(last=VOCAB_SIZE - 1)
    )


@pytest.mark.kata("BigramLanguageModel.generate")
def test_generate_can_write_far_past_the_block_length():
    model = make_model(input_sequence_length=8)
    output = generate(model, random_indices(1, 2), 30)
    assert_shape(output, (1, 32), "(B, T0 + max_new_tokens)", _("generate's output (prompt + new tokens)"))


@pytest.mark.kata("BigramLanguageModel.generate")
def test_generate_crops_the_context_to_the_last_input_sequence_length_tokens():
    model = make_model(input_sequence_length=8)
    spy = ForwardSpy(model)
    prompt = random_indices(2, 5)
    output = generate(model, prompt, 12)
    assert_shape(output, (2, 5 + 12), "(B, T0 + max_new_tokens)", _("generate's output (prompt + new tokens)"))
    assert len(spy.contexts) == 12, (
        _("generate should run the model once per new token (12 times), ran it {contexts_count} times").format(
            contexts_count=len(spy.contexts))
    )
    for step, context in enumerate(spy.contexts):
        so_far = output[:, : 5 + step]
        length = so_far.shape[1]
        expected = so_far[:, -8:]
        assert context.shape[1] <= 8, (
            _("step {step}: the model was given {shape} tokens, more than input_sequence_length = 8: crop the "
              "context to its last input_sequence_length tokens").format(step=step, shape=context.shape[1])
        )
        if not torch.equal(context, expected):
            width = context.shape[1]
            seen = [
                start for start in range(length - width + 1) if torch.equal(so_far[:, start : start + width], context)
            ]
            saw = (_("positions {first}..{last}").format(first=seen[0], last=seen[0] + width - 1) if seen
                   else _("tokens that are not a window of it"))
            raise AssertionError(
                _("step {step}: the sequence so far has {length} tokens, so the model should see the last {shape} "
                  "(positions {first}..{last}), but it saw {saw}: crop with input_indices[:, "
                  "-input_sequence_length:]").format(
                    step=step,
                    length=length,
                    shape=expected.shape[1],
                    first=length - expected.shape[1],
                    last=length - 1,
                    saw=saw)
            )


@pytest.mark.kata("BigramLanguageModel.generate")
def test_generate_samples_from_the_last_positions_distribution():
    model = make_model()
    ForwardSpy(model, respond=controlled_logits)
    output = generate(model, random_indices(64, 3), 20)
    assert_shape(output, (64, 3 + 20), "(B, T0 + max_new_tokens)", _("generate's output (prompt + new tokens)"))
    new_tokens = output[:, 3:]
    if (new_tokens == EARLIER_FAVOURITE).float().mean() > 0.9:
        raise AssertionError(
            _("generate picked a character that only earlier positions predict: sample from the last position's "
              "logits, logits[:, -1, :]")
        )
    allowed = torch.isin(new_tokens, torch.tensor(list(LAST_CHOICES)))
    assert bool(allowed.all()), (
        _("generate produced characters {characters}, to which the last position gives almost zero probability: "
          "softmax the "
          "last position's logits over the vocabulary (dim=-1), then sample").format(
            characters=sorted(set(new_tokens[~allowed].tolist())))
    )
    share_of_likelier = (new_tokens == 4).float().mean().item()
    assert share_of_likelier < 0.95, (
        _("generate chose the most likely character {share_of_likelier:.0%} of the time: that is argmax, not "
          "sampling. Sample from the last position's probabilities with torch.multinomial").format(
            share_of_likelier=share_of_likelier)
    )
    assert 0.65 < share_of_likelier < 0.85, (
        _("the last position gives character 4 a probability of 75 %, but it was sampled {share_of_likelier:.0%} of "
          "the time: sample from softmax(logits[:, -1, :]), the probabilities themselves").format(
            share_of_likelier=share_of_likelier)
    )


# Sampling at temperature 1, without top-k: the last position gives character LIKELY_CHARACTER a probability
# of LIKELY_PROBABILITY and shares the rest among the other VOCAB_SIZE - 1 characters in proportion 1, 2, ..., 9
# (all different, so that a top-k cut falls between two of them). Over SAMPLING_DRAWS draws the likely
# character's share must land within SHARE_WINDOW of its probability, and every character must come up. For a
# correct sampler the share is Binomial(SAMPLING_DRAWS, LIKELY_PROBABILITY) / SAMPLING_DRAWS: it leaves the
# window with probability 2.4e-9, and the rarest character (0.8 %, about 41 expected draws) never comes up with
# probability < 1e-17 (checks/test_statistical_tests.py computes both exactly). Temperature 0.8 gives the likely
# character about 0.77, temperature 1.25 about 0.51; any top-k drops a character.
LIKELY_CHARACTER = 4
LIKELY_PROBABILITY = 0.64
SAMPLING_BATCH, SAMPLING_STEPS = 256, 20
SAMPLING_DRAWS = SAMPLING_BATCH * SAMPLING_STEPS
SHARE_WINDOW = 0.04


def last_position_probabilities():
    """(V,): LIKELY_PROBABILITY on LIKELY_CHARACTER, the rest in proportion 1, 2, ..., V - 1 on the others."""
    others = [character for character in range(VOCAB_SIZE) if character != LIKELY_CHARACTER]
    weights = torch.arange(1, VOCAB_SIZE, dtype=torch.float64)
    probabilities = torch.zeros(VOCAB_SIZE, dtype=torch.float64)
    probabilities[others] = (1 - LIKELY_PROBABILITY) * weights / weights.sum()
    probabilities[LIKELY_CHARACTER] = LIKELY_PROBABILITY
    return probabilities


def one_likely_character(input_indices, target_indices=None):
    """Logits (B, T, V) whose every position has the distribution of ``last_position_probabilities``."""
    batch, length = input_indices.shape
    logits = last_position_probabilities().log().float()
    return logits.expand(batch, length, VOCAB_SIZE).clone(), None


@pytest.mark.kata("BigramLanguageModel.generate")
def test_generate_samples_at_temperature_1_from_every_character():
    model = make_model()
    ForwardSpy(model, respond=one_likely_character)
    with torch.random.fork_rng():
        torch.manual_seed(1337)
        output = generate(model, torch.zeros(SAMPLING_BATCH, 1, dtype=torch.long), SAMPLING_STEPS)
    assert_shape(output, (SAMPLING_BATCH, 1 + SAMPLING_STEPS), "(B, T0 + max_new_tokens)",
                 _("generate's output (prompt + new tokens)"))
    new_tokens = output[:, 1:].flatten()
    counts = torch.bincount(new_tokens, minlength=VOCAB_SIZE)[:VOCAB_SIZE]
    probabilities = last_position_probabilities()
    never = [character for character in range(VOCAB_SIZE) if counts[character] == 0]
    assert not never, (
        _("characters {never} never came up in {draws} draws, though the last position gives them "
          "probabilities {probabilities} (at least {expected} draws expected): it looks like top-k "
          "sampling, which keeps only the likeliest characters. The tutorial samples from the whole distribution: "
          "torch.multinomial(F.softmax(logits[:, -1, :], dim=-1), num_samples=1)").format(
            never=never, draws=SAMPLING_DRAWS, probabilities=[round(probabilities[c].item(), 3) for c in never],
            expected=f"{SAMPLING_DRAWS * probabilities[never].min().item():.0f}")
    )
    share = counts[LIKELY_CHARACTER].item() / SAMPLING_DRAWS
    low, high = LIKELY_PROBABILITY - SHARE_WINDOW, LIKELY_PROBABILITY + SHARE_WINDOW
    if not low <= share <= high:
        way = (_("sharpens the distribution (a temperature below 1)") if share > high
               else _("flattens the distribution (a temperature above 1)"))
        raise AssertionError(
            _("the last position gives character {character} a probability of {probability}, but it came up in "
              "{share} of {draws} draws (a correct sampler lands within {low}-{high}): it looks like the logits "
              "were scaled before the softmax, which {way}. Sample from F.softmax(logits[:, -1, :], dim=-1) as "
              "it is").format(character=LIKELY_CHARACTER, probability=f"{LIKELY_PROBABILITY:.0%}",
                              share=f"{share:.1%}", draws=SAMPLING_DRAWS, low=f"{low:.0%}", high=f"{high:.0%}",
                              way=way)
        )


@pytest.mark.kata("BigramLanguageModel.generate")
def test_a_fixed_seed_repeats_a_continuation_and_another_seed_changes_it():
    model = make_model()
    prompt = torch.zeros(2, 1, dtype=torch.long)
    torch.manual_seed(5)
    first = generate(model, prompt, 7)
    torch.manual_seed(5)
    repeated = generate(model, prompt, 7)
    torch.manual_seed(6)
    other = generate(model, prompt, 7)
    assert torch.equal(first, repeated), _("the same seed should give the same text: sample with torch's generator")
    assert not torch.equal(first, other), (
        _("two different seeds gave the same continuation: generate should sample (torch.multinomial), not pick the "
          "most likely character every time")
    )


@pytest.mark.kata("BigramLanguageModel.forward")
def test_every_entry_of_every_weight_receives_a_gradient():
    from kata_tools.testing import assert_every_entry_learns

    model = make_model().train()
    T = make_config().input_sequence_length
    indices = torch.cat([torch.arange(VOCAB_SIZE), torch.randint(VOCAB_SIZE, (4 * T - VOCAB_SIZE,))]).reshape(4, T)
    logits, _unused = model(indices)
    assert_every_entry_learns(model, logits, _("every character 0..{last_character} at every position "
                                               "0..{last_position}").format(
                                                 last_character=VOCAB_SIZE - 1, last_position=T - 1))
