"""Chapter 07 — MultiHeadAttention. All fail with NotImplementedError at first.

The expected output is built here from the module's own parts: each of its
heads is called on the input, the results are joined on the feature axis in
head order, and the output projection's weight and bias are applied. Your
chapter-06 head is trusted here (its own tests checked it); this chapter
checks how the heads are put together.
"""

import itertools

import pytest
import torch
from torch.nn import functional as F

from kata_tools.testing import (
    TOLERANCE,
    assert_dropout_comes_last,
    assert_shape,
    call_explained,
    chapter_module,
    make_config,
    parameter_count,
    parameter_count_message,
)

multi_head = chapter_module("chapter07_multi_head_attention")

BATCH = 2
EMBEDDING_DIM = 12  # C
HEAD_COUNT = 3  # n
HEAD_SIZE = EMBEDDING_DIM // HEAD_COUNT  # H = 4
BLOCK = 8  # input_sequence_length; != HEAD_SIZE, so the time and feature axes have different lengths


def make_attention(dropout_rate=0.0, heads=HEAD_COUNT):
    config = make_config(
        embedding_dim=EMBEDDING_DIM, num_attention_heads=heads, input_sequence_length=BLOCK, dropout_rate=dropout_rate
    )
    return multi_head.MultiHeadAttention(config).eval()


def random_input(length=BLOCK):
    return torch.randn(BATCH, length, EMBEDDING_DIM)


def run(module, x):
    """module(x), with a crash explained in terms of the shapes involved."""
    batch, length, width = x.shape
    heads = len(getattr(module, "attention_heads", [])) or HEAD_COUNT
    return call_explained(module, x, "MultiHeadAttention on x (B, T, C)", (
        f" Each head gives (B, T, head_size) = {(batch, length, width // heads)}; concatenate the {heads} "
        f"outputs on the feature axis (dim=-1) to get (B, T, C) = {(batch, length, width)}, the input "
        f"output_projection expects."))


def heads_of(module):
    heads = list(getattr(module, "attention_heads", None) or [])
    assert heads, (
        "MultiHeadAttention needs self.attention_heads = nn.ModuleList([AttentionHead(head_size, config), ...])"
    )
    return heads


def projection(module, joined):
    layer = module.output_projection
    bias = None if layer.bias is None else layer.bias.detach()
    return F.linear(joined, layer.weight.detach(), bias)


# ---------------------------------------------------------------- shape and heads


@pytest.mark.kata("MultiHeadAttention.forward")
def test_output_has_shape_batch_time_embedding_dim():
    module = make_attention()
    for length in (BLOCK, 3):
        output = run(module, random_input(length))
        assert_shape(output, (BATCH, length, EMBEDDING_DIM), "(B, T, C)", f"MultiHeadAttention output for T = {length}")


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_there_are_num_attention_heads_heads_of_size_embedding_dim_over_num_attention_heads():
    x = random_input()
    for heads in (HEAD_COUNT, 4, 2):
        module = make_attention(heads=heads)
        found = heads_of(module)
        assert len(found) == heads, (
            f"with num_attention_heads = {heads}, attention_heads should hold {heads} heads, got {len(found)}"
        )
        head_size = EMBEDDING_DIM // heads
        for index, head in enumerate(found):
            assert_shape(
                head(x), (BATCH, BLOCK, head_size), "(B, T, head_size)",
                f"attention_heads[{index}] output (head_size = embedding_dim // num_attention_heads = "
                f"{EMBEDDING_DIM} // {heads})",
            )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_heads_do_not_share_parameters():
    module = make_attention()
    heads = heads_of(module)
    for (i, a), (j, b) in itertools.combinations(enumerate(heads), 2):
        assert a is not b, (
            f"heads share parameters: attention_heads[{i}] and attention_heads[{j}] are the same head object "
            "(a list like [head] * n repeats one head); create every head with its own "
            "AttentionHead(head_size, config)"
        )
        shared = {p.data_ptr() for p in a.parameters()} & {p.data_ptr() for p in b.parameters()}
        assert not shared, (
            f"heads share parameters: attention_heads[{i}] and attention_heads[{j}] use the same weight tensors; "
            f"every head needs its own key_fc, query_fc and value_fc"
        )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_heads_are_registered_sub_modules():
    module = make_attention()
    registered = {id(sub_module) for sub_module in module.modules()}
    parameters = {parameter.data_ptr() for parameter in module.parameters()}
    for index, head in enumerate(heads_of(module)):
        assert id(head) in registered and all(p.data_ptr() in parameters for p in head.parameters()), (
            f"attention_heads[{index}] is not registered with the module: keep the heads in an nn.ModuleList. "
            "A plain Python list hides them from parameters() (never trained), state_dict(), .to() and .eval()"
        )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_output_projection_is_a_linear_layer_from_embedding_dim_to_embedding_dim():
    module = make_attention()
    layer = getattr(module, "output_projection", None)
    assert isinstance(getattr(layer, "weight", None), torch.Tensor), (
        "MultiHeadAttention needs self.output_projection = nn.Linear(embedding_dim, embedding_dim)"
    )
    assert tuple(layer.weight.shape) == (EMBEDDING_DIM, EMBEDDING_DIM), (
        f"output_projection.weight: expected (C, C) = {(EMBEDDING_DIM, EMBEDDING_DIM)}, got {tuple(layer.weight.shape)}"
    )
    assert getattr(layer, "bias", None) is not None and tuple(layer.bias.shape) == (EMBEDDING_DIM,), (
        f"output_projection should have a bias of shape (C,) = ({EMBEDDING_DIM},): "
        "nn.Linear(C, C) keeps its default bias"
    )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_parameter_count_is_the_heads_plus_the_output_projection():
    module = make_attention()
    expected = HEAD_COUNT * 3 * EMBEDDING_DIM * HEAD_SIZE + EMBEDDING_DIM * EMBEDDING_DIM + EMBEDDING_DIM
    assert parameter_count(module) == expected, parameter_count_message(
        module, expected,
        f"n * 3 * C * head_size + C * C + C = {HEAD_COUNT} * 3 * {EMBEDDING_DIM} * {HEAD_SIZE} + "
        f"{EMBEDDING_DIM} * {EMBEDDING_DIM} + {EMBEDDING_DIM} (heads that share parameters count once; heads in a "
        "plain Python list, not an nn.ModuleList, not at all)",
        (BATCH, BLOCK, EMBEDDING_DIM),
    )


# ---------------------------------------------------------------- how the heads are combined


def combination_mistakes(module, x, output):
    """Name the classic way of joining the heads that gives ``output``; '' if none does."""
    with torch.no_grad():
        head_outputs = [head(x) for head in heads_of(module)]
        batch, length, width = x.shape
        variants = {
            "the heads concatenated in reversed order (keep head order: head 0's features first)":
                projection(module, torch.cat(head_outputs[::-1], dim=-1)),
            "output_projection skipped (it should mix the concatenated heads)": torch.cat(head_outputs, dim=-1),
            "the heads concatenated on the time axis (dim=1) and reshaped; concatenate on the feature axis (dim=-1)":
                projection(module, torch.cat(head_outputs, dim=1).reshape(batch, length, width)),
            "the heads concatenated on the batch axis (dim=0) and reshaped; concatenate on the feature axis (dim=-1)":
                projection(module, torch.cat(head_outputs, dim=0).reshape(batch, length, width)),
            "the heads stacked first and reshaped in the wrong order; concatenate on the feature axis (dim=-1)":
                projection(module, torch.stack(head_outputs, dim=-1).reshape(batch, length, width)),
            "only the first head used":
                projection(module, head_outputs[0].repeat(1, 1, len(head_outputs))),
        }
    for described, candidate in variants.items():
        if candidate.shape == output.shape and torch.allclose(output, candidate, **TOLERANCE):
            return f" It matches {described}."
    return ""


@pytest.mark.kata("MultiHeadAttention.forward")
def test_output_is_output_projection_of_the_heads_concatenated_in_order():
    module = make_attention()
    x = random_input()
    output = run(module, x).detach()
    with torch.no_grad():
        joined = torch.cat([head(x) for head in heads_of(module)], dim=-1)  # (B, T, n * head_size)
        expected = projection(module, joined)
    assert_shape(output, expected.shape, "(B, T, C)")
    assert torch.allclose(output, expected, **TOLERANCE), (
        "the output should be output_projection(cat([head_0(x), ..., head_{n-1}(x)], dim=-1)): the heads' "
        f"outputs concatenated on the feature axis in head order, then projected (max difference "
        f"{(output - expected).abs().max():.3g})." + combination_mistakes(module, x, output)
    )


@pytest.mark.kata("MultiHeadAttention.forward")
def test_changing_a_later_position_leaves_every_earlier_output_unchanged():
    module = make_attention()
    x = random_input()
    output = run(module, x).detach()
    for changed in range(1, BLOCK):
        altered = x.clone()
        altered[:, changed] = torch.randn(BATCH, EMBEDDING_DIM)
        difference = (run(module, altered).detach() - output).abs().amax(dim=(0, 2))
        moved = [t for t in range(changed) if not difference[t] <= 1e-5]
        assert not moved, (
            f"position {moved[0]} changed when only position {changed} changed: the causal mask must hold for "
            f"the whole module. Each head masks the future; after them, concatenating on the feature axis and "
            f"output_projection act on every position separately, so nothing there may mix positions."
        )


# ---------------------------------------------------------------- dropout


@pytest.mark.kata("MultiHeadAttention.forward")
def test_dropout_comes_last_after_the_output_projection():
    rate = 0.5
    module = make_attention(dropout_rate=rate).eval()
    x = random_input()
    evaluated = run(module, x).detach()
    assert torch.equal(evaluated, run(module, x).detach()), (
        "in eval mode, with dropout_rate = 0.5, two calls on the same input differ: dropout must do nothing in "
        "eval mode; use self.dropout = nn.Dropout(config.dropout_rate), which follows train()/eval()"
    )
    dropout = getattr(module, "dropout", None)
    assert isinstance(dropout, torch.nn.Module), (
        "MultiHeadAttention needs self.dropout = nn.Dropout(config.dropout_rate)"
    )
    dropout.train()  # only the final dropout is live: the heads stay in eval mode and deterministic
    assert_dropout_comes_last(
        run(module, x).detach(), evaluated, rate, when="with self.dropout in training mode",
        missing="apply self.dropout (the module's own nn.Dropout) to the projected output, as the last step",
        place="after output_projection, not before it",
    )
