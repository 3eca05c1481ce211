"""Chapter 09 — TransformerBlock. All fail with NotImplementedError at first.

The block is checked against what the pre-norm structure implies, computed
here by calling the block's own sub-modules (``layer_norm1``,
``multihead_attention``, ``layer_norm2``, ``feed_forward``). Every parameter
is randomised first, the norms' gamma and beta included: fresh norms are
almost the identity up to a shift and scale, and would let a norm in the
wrong place slip through. When the structure is wrong, the test works out
what each classic wrong structure would give and names the one you built.

Your own LayerNorm from chapter 05 and ``nn.LayerNorm`` both pass.
"""

import pytest
import torch

from kata_tools.i18n import _
from kata_tools.testing import (
    TOLERANCE,
    assert_shape,
    call_explained,
    chapter_module,
    make_config,
    parameter_count,
    parameter_count_message,
    randomize_parameters,
)

transformer = chapter_module("chapter09_transformer_block")
layer_norm = chapter_module("chapter05_layer_norm")

BATCH = 2
EMBEDDING_DIM = 12  # C
HEAD_COUNT = 3
HIDDEN_DIM = 20
BLOCK = 8
SUB_MODULES = ("layer_norm1", "multihead_attention", "layer_norm2", "feed_forward")


def make_block(dropout_rate=0.0):
    config = make_config(
        embedding_dim=EMBEDDING_DIM, num_attention_heads=HEAD_COUNT, hidden_dim=HIDDEN_DIM,
        input_sequence_length=BLOCK, dropout_rate=dropout_rate,
    )
    return transformer.TransformerBlock(config).eval()


def random_input(length=BLOCK):
    return torch.randn(BATCH, length, EMBEDDING_DIM)


def run(block, x):
    """block(x), with a crash explained in terms of the shapes involved."""
    return call_explained(block, x, _("TransformerBlock on x (B, T, C)"), (
        " " + _("Every step keeps the shape (B, T, C): x + multihead_attention(layer_norm1(x)), then x + "
                "feed_forward(layer_norm2(x)).")))


def parts(block):
    missing = [name for name in SUB_MODULES if not callable(getattr(block, name, None))]
    assert not missing, (
        _("TransformerBlock needs the sub-modules {names}; missing: {missing}").format(
            names=', '.join(SUB_MODULES), missing=', '.join(missing))
    )
    return [getattr(block, name) for name in SUB_MODULES]


def structures(block, x):
    """What the block should give, and what each classic wrong structure would give instead."""
    ln1, attention, ln2, ff = parts(block)
    with torch.no_grad():
        after_attention = x + attention(ln1(x))
        normalised = ln1(x)
        from_normalised = normalised + attention(normalised)
        post_norm = ln1(x + attention(x))
        return after_attention + ff(ln2(after_attention)), {
            _("post-norm (the norm after the residual sum, ln(x + sublayer(x))); a GPT block is pre-norm: x + "
              "sublayer(ln(x))"): ln2(post_norm + ff(post_norm)),
            _("a residual from the normalised input (h = layer_norm1(x); h + multihead_attention(h)): add the "
              "sub-layer to the un-normalised x"): ln2(from_normalised) + ff(ln2(from_normalised)),
            _("a missing residual on both sub-layers (x = multihead_attention(layer_norm1(x)), no x + ...)"):
                ff(ln2(attention(ln1(x)))),
            _("a missing residual around multihead_attention (x + multihead_attention(layer_norm1(x)))"):
                attention(ln1(x)) + ff(ln2(attention(ln1(x)))),
            _("a missing residual around feed_forward (x + feed_forward(layer_norm2(x)))"):
                ff(ln2(after_attention)),
            _("layer_norm1 used twice (feed_forward's input must go through layer_norm2)"):
                after_attention + ff(ln1(after_attention)),
            _("layer_norm2 used twice (multihead_attention's input must go through layer_norm1)"):
                (x + attention(ln2(x))) + ff(ln2(x + attention(ln2(x)))),
            "layer_norm1 and layer_norm2 swapped": (x + attention(ln2(x))) + ff(ln1(x + attention(ln2(x)))),
            _("feed_forward fed with the block input instead of the attention result"):
                after_attention + ff(ln2(x)),
            _("the sub-layers in the wrong order (feed_forward first, then multihead_attention)"):
                (x + ff(ln2(x))) + attention(ln1(x + ff(ln2(x)))),
            _("no layer norm at all"): (x + attention(x)) + ff(x + attention(x)),
        }


def assert_pre_norm_structure(block, x, which_norms):
    output = run(block, x).detach()
    expected, mistakes = structures(block, x)
    assert_shape(output, expected.shape, "(B, T, C)")
    if torch.allclose(output, expected, **TOLERANCE):
        return
    matched = [name for name, candidate in mistakes.items() if torch.allclose(output, candidate, **TOLERANCE)]
    hint = " " + _("It matches {matched}.").format(matched=matched[0]) if matched else ""
    raise AssertionError(
        _("the block should be pre-norm with two residuals: x = x + multihead_attention(layer_norm1(x)), then x = x "
          "+ feed_forward(layer_norm2(x)) (computed here from the block's own sub-modules, {which_norms}, every "
          "parameter randomised; max difference {difference:.3g}).{hint}").format(
            which_norms=which_norms, difference=(output - expected).abs().max(), hint=hint)
    )


# ---------------------------------------------------------------- steps: the block's two halves, then a stack of blocks


def stand_in_parts(seed=0):
    """A LayerNorm and a Linear(C, C) standing in for the attention or the feed-forward, all parameters random."""
    generator = torch.Generator().manual_seed(seed)
    norm, sub_layer = torch.nn.LayerNorm(EMBEDDING_DIM), torch.nn.Linear(EMBEDDING_DIM, EMBEDDING_DIM)
    with torch.no_grad():
        for parameter in (*norm.parameters(), *sub_layer.parameters()):
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5 + 0.5)
    return norm, sub_layer


def sublayer_mistakes(x, norm, sub_layer, output):
    """Name the classic wrong pre-norm residual that gives ``output``; '' if none does."""
    variants = {
        _("post-norm, layer_norm(x + sub_layer(x)) (the 2017 paper); GPT-2 normalises the input of the sub-layer"):
            norm(x + sub_layer(x)),
        _("the residual carries the normalised copy, layer_norm(x) + sub_layer(layer_norm(x)); add the un-normalised "
          "x"): norm(x) + sub_layer(norm(x)),
        _("no residual, sub_layer(layer_norm(x)); add x back"): sub_layer(norm(x)),
        _("no layer norm, x + sub_layer(x)"): x + sub_layer(x),
    }
    for described, candidate in variants.items():
        if candidate.shape == output.shape and torch.allclose(output, candidate, **TOLERANCE):
            return _("It matches {described}.").format(described=described) + " "
    return ""


def check_sublayer(step, name, tutorial):
    norm, sub_layer = stand_in_parts()
    x = torch.randn(BATCH, BLOCK, EMBEDDING_DIM)
    with torch.no_grad():
        output = step(x, norm, sub_layer)
        expected = x + sub_layer(norm(x))
        assert_shape(output, (BATCH, BLOCK, EMBEDDING_DIM), "(B, T, C)", name)
        assert torch.allclose(output, expected, **TOLERANCE), (
            sublayer_mistakes(x, norm, sub_layer, output) + _("{name} should be x + sub_layer(layer_norm(x)), as the "
                                                              "tutorial's {tutorial} (max difference "
                                                              "{difference:.3g})").format(
                                                                name=name,
                                                                tutorial=tutorial,
                                                                difference=(output - expected).abs().max())
        )


@pytest.mark.kata("attention_sublayer")
def test_attention_sublayer_is_pre_norm_with_a_residual():
    check_sublayer(
        transformer.attention_sublayer, "attention_sublayer",
        "residual_attention = multihead_attention(layer_norm1(x)) + x",
    )


@pytest.mark.kata("feed_forward_sublayer")
def test_feed_forward_sublayer_is_pre_norm_with_a_residual():
    check_sublayer(
        transformer.feed_forward_sublayer, "feed_forward_sublayer",
        "feed_forward(layer_norm2(residual_attention)) + residual_attention",
    )


@pytest.mark.kata("stack_blocks")
def test_stack_blocks_feeds_each_block_the_previous_blocks_output():
    first, second = stand_in_parts(1)[1], stand_in_parts(2)[1]  # two stand-in blocks (B, T, C) -> (B, T, C)
    x = torch.randn(BATCH, BLOCK, EMBEDDING_DIM)
    with torch.no_grad():
        output = transformer.stack_blocks(x, [first, second])
        expected = second(first(x))
        assert_shape(output, (BATCH, BLOCK, EMBEDDING_DIM), "(B, T, C)", "stack_blocks")
        if torch.allclose(output, second(x), **TOLERANCE):
            raise AssertionError(
                _("stack_blocks gave block 2 applied to the embeddings: the tutorial's transformer_block2 reads "
                  "transformer_block1's output, so each block reads the one before")
            )
        if torch.allclose(output, first(second(x)), **TOLERANCE):
            raise AssertionError(_("stack_blocks ran the blocks in reversed order: block 1 first, then block 2"))
        assert torch.allclose(output, expected, **TOLERANCE), (
            _("stack_blocks([block1, block2]) should be block2(block1(x)), as the tutorial's transformer_block1 then "
              "transformer_block2 (max difference {difference:.3g})").format(difference=(output - expected).abs().max())
        )
        alone = transformer.stack_blocks(x, [])
    assert alone is x or torch.equal(alone, x), _("stack_blocks with no block should return x unchanged")

@pytest.mark.kata("TransformerBlock.forward")
def test_output_keeps_the_shape_batch_time_embedding_dim():
    block = make_block()
    for length in (BLOCK, 3):
        output = run(block, random_input(length))
        assert_shape(output, (BATCH, length, EMBEDDING_DIM), "(B, T, C)", _("TransformerBlock output for T = "
                                                                            "{length}").format(
                                                                              length=length))


@pytest.mark.kata("TransformerBlock.__init__")
def test_each_sub_layer_has_its_own_layer_norm_over_embedding_dim():
    block = make_block()
    first, _unused, second, _unused = parts(block)
    assert first is not second, (
        _("layer_norm1 and layer_norm2 are the same object: one norm used twice. Each sub-layer needs its own "
          "LayerNorm(embedding_dim), with its own gamma and beta")
    )
    x = random_input() * 3 + 1
    for name, norm in (("layer_norm1", first), ("layer_norm2", second)):
        normalised = norm(x).detach()  # a fresh norm: gamma 1, beta 0, so only the normalisation shows
        assert_shape(normalised, x.shape, "(B, T, C)", _("{name} output").format(name=name))
        mean, variance = normalised.mean(dim=-1), normalised.var(dim=-1, unbiased=False)
        assert torch.allclose(mean, torch.zeros_like(mean), atol=1e-4) and torch.allclose(
            variance, torch.ones_like(variance), atol=1e-3
        ), (
            _("a fresh {name} should give every token's C = {embedding_dim} numbers mean 0 and variance 1: use "
              "LayerNorm(embedding_dim), nn.LayerNorm or your chapter-05 LayerNorm").format(
                name=name, embedding_dim=EMBEDDING_DIM)
        )


@pytest.mark.kata("TransformerBlock.forward")
def test_block_is_pre_norm_with_a_residual_around_each_sub_layer():
    block = randomize_parameters(make_block(), seed=1)
    assert_pre_norm_structure(block, random_input(), "as built")


@pytest.mark.kata("TransformerBlock.forward")
def test_block_works_with_the_chapter05_layer_norm_too():
    """The block only calls its norms; nn.LayerNorm and the chapter-05 LayerNorm are interchangeable."""
    block = make_block()
    block.layer_norm1 = layer_norm.LayerNorm(EMBEDDING_DIM)
    block.layer_norm2 = layer_norm.LayerNorm(EMBEDDING_DIM)
    randomize_parameters(block, seed=2)
    assert_pre_norm_structure(block, random_input(), _("with chapter-05 LayerNorms swapped in for both norms"))


@pytest.mark.kata("TransformerBlock.forward")
def test_changing_a_later_position_leaves_every_earlier_output_unchanged():
    block = randomize_parameters(make_block(), seed=3)
    x = random_input()
    output = run(block, x).detach()
    for changed in range(1, BLOCK):
        altered = x.clone()
        altered[:, changed] = torch.randn(BATCH, EMBEDDING_DIM)
        difference = (run(block, altered).detach() - output).abs().amax(dim=(0, 2))
        moved = [t for t in range(changed) if not difference[t] <= 1e-5]
        assert not moved, (
            _("position {moved} changed when only position {changed} changed: the block must stay causal. The layer "
              "norms, the residuals and the feed-forward act on each position alone; only the masked attention may "
              "mix positions").format(moved=moved[0], changed=changed)
        )


@pytest.mark.kata("TransformerBlock.__init__")
def test_parameter_count_is_two_norms_attention_and_feed_forward():
    block = make_block()
    norms = 2 * 2 * EMBEDDING_DIM
    attention = 4 * EMBEDDING_DIM * EMBEDDING_DIM + EMBEDDING_DIM
    feed_forward = 2 * EMBEDDING_DIM * HIDDEN_DIM + HIDDEN_DIM + EMBEDDING_DIM
    expected = norms + attention + feed_forward
    assert parameter_count(block) == expected, parameter_count_message(
        block, expected,
        f"2 norms * 2C + (4 * C * C + C) + (2 * C * hidden_dim + hidden_dim + C) = {norms} + {attention} + "
        f"{feed_forward} (C = {EMBEDDING_DIM}, hidden_dim = {HIDDEN_DIM})",
        (BATCH, BLOCK, EMBEDDING_DIM),
    )
