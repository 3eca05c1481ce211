"""Chapter 08 — FeedForward. All fail with NotImplementedError at first.

The expected output is computed here from the module's own two Linear layers:
relu(x @ W1^T + b1) @ W2^T + b2. The layers are found by their shapes, so
the test does not care how you name or order them inside ``net``.
"""

import pytest
import torch
from torch import nn
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

feed_forward = chapter_module("chapter08_feed_forward")

EMBEDDING_DIM = 12  # C
HIDDEN_DIM = 20  # deliberately not 4 * C, so a hard-coded width shows


def make_feed_forward(dropout_rate=0.0):
    config = make_config(embedding_dim=EMBEDDING_DIM, hidden_dim=HIDDEN_DIM, dropout_rate=dropout_rate)
    return feed_forward.FeedForward(config).eval()


def run(module, x):
    """module(x), with a crash explained in terms of the widths involved."""
    return call_explained(module, x, "FeedForward on x (..., C)", (
        f" The widths go embedding_dim -> hidden_dim -> embedding_dim = {EMBEDDING_DIM} -> {HIDDEN_DIM} -> "
        f"{EMBEDDING_DIM}."))


def linear_layers(module):
    """(widening, narrowing): the Linear(C, hidden_dim) and the Linear(hidden_dim, C), found by shape."""
    layers = [layer for layer in module.modules() if isinstance(layer, nn.Linear)]
    shapes = [tuple(layer.weight.shape) for layer in layers]
    widening = [layer for layer in layers if tuple(layer.weight.shape) == (HIDDEN_DIM, EMBEDDING_DIM)]
    narrowing = [layer for layer in layers if tuple(layer.weight.shape) == (EMBEDDING_DIM, HIDDEN_DIM)]
    assert len(layers) == 2 and len(widening) == 1 and len(narrowing) == 1, (
        f"FeedForward should hold two Linear layers, Linear(embedding_dim, hidden_dim) and Linear(hidden_dim, "
        f"embedding_dim), with weights (hidden_dim, C) = {(HIDDEN_DIM, EMBEDDING_DIM)} and (C, hidden_dim) = "
        f"{(EMBEDDING_DIM, HIDDEN_DIM)}; found Linear weights {shapes} (nn.Linear(in, out) stores (out, in); "
        f"the hidden width is config.hidden_dim)"
    )
    for name, layer in (("Linear(C, hidden_dim)", widening[0]), ("Linear(hidden_dim, C)", narrowing[0])):
        assert layer.bias is not None, f"{name} should keep its bias (nn.Linear's default)"
    return widening[0], narrowing[0]


def explicit(module, x, relu=True):
    """What the network computes, written out from its own weights."""
    widening, narrowing = linear_layers(module)
    with torch.no_grad():
        hidden = F.linear(x, widening.weight, widening.bias)  # (..., hidden_dim)
        if relu:
            hidden = torch.relu(hidden)
        return F.linear(hidden, narrowing.weight, narrowing.bias)  # (..., C)


@pytest.mark.kata("FeedForward.forward")
def test_output_keeps_the_input_shape_for_any_leading_dimensions():
    module = make_feed_forward()
    for shape, names in (((5, EMBEDDING_DIM), "(N, C)"), ((2, 8, EMBEDDING_DIM), "(B, T, C)"),
                         ((3, 2, 8, EMBEDDING_DIM), "(A, B, T, C)")):
        assert_shape(run(module, torch.randn(shape)), shape, names, "FeedForward output")


@pytest.mark.kata("FeedForward.__init__")
def test_widths_go_from_embedding_dim_to_hidden_dim_and_back():
    widening, narrowing = linear_layers(make_feed_forward())
    assert tuple(widening.bias.shape) == (HIDDEN_DIM,) and tuple(narrowing.bias.shape) == (EMBEDDING_DIM,), (
        f"biases: expected (hidden_dim,) = ({HIDDEN_DIM},) and (C,) = ({EMBEDDING_DIM},)"
    )


@pytest.mark.kata("FeedForward.__init__")
def test_parameter_count_is_two_weight_matrices_and_two_biases():
    module = make_feed_forward()
    expected = EMBEDDING_DIM * HIDDEN_DIM + HIDDEN_DIM + HIDDEN_DIM * EMBEDDING_DIM + EMBEDDING_DIM
    assert parameter_count(module) == expected, parameter_count_message(
        module, expected,
        f"C * hidden_dim + hidden_dim + hidden_dim * C + C = {EMBEDDING_DIM} * {HIDDEN_DIM} + {HIDDEN_DIM} + "
        f"{HIDDEN_DIM} * {EMBEDDING_DIM} + {EMBEDDING_DIM}",
        (2, 8, EMBEDDING_DIM),
    )


@pytest.mark.kata("FeedForward.forward")
def test_feed_forward_is_not_a_linear_map():
    """f(a + b) = f(a) + f(b) - f(0) holds for every affine map, and a ReLU breaks it."""
    module = make_feed_forward()
    a, b = torch.randn(2, 8, EMBEDDING_DIM), torch.randn(2, 8, EMBEDDING_DIM)
    zero = torch.zeros_like(a)
    together = run(module, a + b).detach()
    apart = (run(module, a) + run(module, b) - run(module, zero)).detach()
    assert not torch.allclose(together, apart, atol=1e-4), (
        "FeedForward behaves as an affine map: f(a + b) = f(a) + f(b) - f(0). Two Linear layers in a row collapse "
        "into one; put a ReLU between them: Linear(C, hidden_dim), ReLU, Linear(hidden_dim, C)."
    )


@pytest.mark.kata("FeedForward.forward")
def test_output_is_linear_relu_linear_of_the_input():
    module = make_feed_forward()
    x = torch.randn(2, 8, EMBEDDING_DIM)
    output = run(module, x).detach()
    expected = explicit(module, x)
    if torch.allclose(output, expected, **TOLERANCE):
        return
    with torch.no_grad():
        variants = {
            "the two Linear layers without the ReLU between them": explicit(module, x, relu=False),
            "a ReLU after the last Linear as well": torch.relu(expected),
            "the ReLU after the last Linear instead of between the two":
                torch.relu(explicit(module, x, relu=False)),
        }
    matched = [described for described, candidate in variants.items() if torch.allclose(output, candidate, **TOLERANCE)]
    hint = f" It matches {matched[0]}." if matched else ""
    raise AssertionError(
        "the output should be Linear(hidden_dim, C)(ReLU(Linear(C, hidden_dim)(x))), computed from the module's own "
        f"weights (max difference {(output - expected).abs().max():.3g}).{hint}"
    )


@pytest.mark.kata("FeedForward.forward")
def test_each_position_is_processed_on_its_own():
    module = make_feed_forward()
    x = torch.randn(2, 8, EMBEDDING_DIM)
    output = run(module, x).detach()
    altered = x.clone()
    altered[:, 5] = torch.randn(2, EMBEDDING_DIM)
    difference = (run(module, altered).detach() - output).abs().amax(dim=(0, 2))
    moved = [t for t in range(8) if t != 5 and not difference[t] <= 1e-6]
    assert not moved, (
        f"position {moved[0]} changed when only position 5 changed: the feed-forward network works on the last "
        "dimension only, every position on its own"
    )


@pytest.mark.kata("FeedForward.forward")
def test_dropout_at_the_end_acts_in_training_only():
    rate = 0.5
    module = make_feed_forward(dropout_rate=rate).eval()
    x = torch.randn(2, 8, EMBEDDING_DIM)
    expected, again = run(module, x).detach(), run(module, x).detach()  # eval mode: no dropout
    assert torch.equal(expected, again), (
        "in eval mode, with dropout_rate = 0.5, two calls on the same input differ: dropout must do nothing in "
        "eval mode; use nn.Dropout, which follows train()/eval()"
    )
    module.train()
    output = run(module, x).detach()
    assert_dropout_comes_last(
        output, expected, rate, when="in training mode",
        missing="FeedForward should end with nn.Dropout(config.dropout_rate), after the second Linear",
        place="after Linear(hidden_dim, C), not between the layers",
    )
    assert not torch.equal(run(module, x).detach(), output), (
        "two training-mode calls gave the same output: dropout should drop different values on every call"
    )
