"""Chapter 08 — FeedForward. All fail with NotImplementedError at first.

The expected output is computed here from the module's own two Linear layers:
relu(x @ W1^T + b1) @ W2^T + b2. The layers are found by their shapes, so
the test does not care how you name or order them inside ``net``.
"""

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from kata_tools.i18n import _
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
    return call_explained(module, x, _("FeedForward on x (..., C)"), (
        " " + _("The widths go embedding_dim -> hidden_dim -> embedding_dim = {embedding_dim} -> {hidden_dim} -> "
                "{embedding_dim}.").format(embedding_dim=EMBEDDING_DIM, hidden_dim=HIDDEN_DIM)))


def linear_layers(module):
    """(widening, narrowing): the Linear(C, hidden_dim) and the Linear(hidden_dim, C), found by shape."""
    layers = [layer for layer in module.modules() if isinstance(layer, nn.Linear)]
    shapes = [tuple(layer.weight.shape) for layer in layers]
    widening = [layer for layer in layers if tuple(layer.weight.shape) == (HIDDEN_DIM, EMBEDDING_DIM)]
    narrowing = [layer for layer in layers if tuple(layer.weight.shape) == (EMBEDDING_DIM, HIDDEN_DIM)]
    assert len(layers) == 2 and len(widening) == 1 and len(narrowing) == 1, (
        _("FeedForward should hold two Linear layers, Linear(embedding_dim, hidden_dim) and Linear(hidden_dim, "
          "embedding_dim), with weights (hidden_dim, C) = {first_weight} and (C, hidden_dim) = {second_weight}; "
          "found Linear "
          "weights {found} (nn.Linear(in, out) stores (out, in); the hidden width is config.hidden_dim)").format(
            first_weight=(HIDDEN_DIM, EMBEDDING_DIM), second_weight=(EMBEDDING_DIM, HIDDEN_DIM), found=shapes)
    )
    for name, layer in (("Linear(C, hidden_dim)", widening[0]), ("Linear(hidden_dim, C)", narrowing[0])):
        assert layer.bias is not None, _("{name} should keep its bias (nn.Linear's default)").format(name=name)
    return widening[0], narrowing[0]


def explicit(module, x, relu=True):
    """What the network computes, written out from its own weights."""
    widening, narrowing = linear_layers(module)
    with torch.no_grad():
        hidden = F.linear(x, widening.weight, widening.bias)  # (..., hidden_dim)
        if relu:
            hidden = torch.relu(hidden)
        return F.linear(hidden, narrowing.weight, narrowing.bias)  # (..., C)


# ---------------------------------------------------------------- steps: Section 2, the layers by hand

# Chapter 08, Section 2, check point 1: residual_connection_output_norm (1, 8, 8), 2 decimals.
TUTORIAL_NORMALISED = [
    [-0.24, -1.79, 1.75, -0.20, 1.19, -0.31, -0.02, -0.37],
    [-0.24, -0.83, 0.23, 0.18, -1.14, 0.36, 2.25, -0.81],
    [-0.65, -0.17, -1.40, -0.78, 1.85, 1.24, -0.16, 0.07],
    [-1.06, -0.06, 0.49, -1.09, 0.66, 2.11, -0.43, -0.63],
    [-1.92, -0.12, -0.70, -0.58, 1.29, 1.10, 0.76, 0.17],
    [-0.15, 1.29, -1.38, -0.04, 1.76, -0.11, -0.26, -1.11],
    [-1.67, -0.78, 1.02, 0.52, 0.17, 1.45, -1.03, 0.33],
    [-0.82, 0.44, 0.09, -1.66, 0.36, -0.96, 1.45, 1.10],
]
# Section 2: row 0 of fc1_feedforward_output (1, 8, 16).
TUTORIAL_HIDDEN_ROW_0 = [-0.33, 0.01, -0.51, -0.91, -0.37, 0.21, -0.36, -0.52, -0.64, 0.30, -0.47, -0.29, 0.24, 0.97,
                         -0.11, -0.62]
# Section 2, check point 2: fc2_feedforward_output (1, 8, 8).
TUTORIAL_FC2_OUTPUT = [
    [-0.09, -0.27, -0.10, 0.22, 0.14, 0.42, 0.15, -0.20],
    [0.08, -0.37, 0.19, 0.57, -0.21, 0.64, 0.09, -0.19],
    [-0.05, -0.22, -0.20, -0.08, -0.09, 0.29, 0.21, 0.11],
    [0.06, -0.25, -0.09, 0.07, -0.16, 0.29, 0.21, 0.02],
    [0.17, -0.10, 0.09, 0.04, -0.02, 0.45, 0.10, 0.03],
    [-0.08, -0.13, -0.01, 0.00, 0.13, 0.42, 0.24, 0.15],
    [0.00, -0.16, -0.06, 0.03, 0.01, 0.29, 0.21, 0.08],
    [0.16, -0.13, -0.16, 0.61, 0.08, 0.41, 0.12, -0.46],
]


def tutorial_feed_forward_layers():
    """fc1 = Linear(8, 16) and fc2 = Linear(16, 8) drawn as in the tutorial.

    Seed 1337, the embedding tables (65, 8) and (8, 8), the multi-head attention's two heads (three bias-free
    Linear(8, 4) each) and its output projection Linear(8, 8), then the feed-forward's two layers.
    """
    torch.manual_seed(1337)
    nn.Embedding(65, 8), nn.Embedding(8, 8)
    for _unused in range(2 * 3):
        nn.Linear(8, 4, bias=False)
    nn.Linear(8, 8)
    return nn.Linear(8, 16), nn.Linear(16, 8)


@pytest.mark.kata("hidden_layer")
def test_hidden_layer_gives_the_tutorials_fc1_feedforward_output():
    fc1, _unused = tutorial_feed_forward_layers()
    x = torch.tensor([TUTORIAL_NORMALISED])
    with torch.no_grad():
        hidden = feed_forward.hidden_layer(x, fc1)
        assert_shape(hidden, (1, 8, 16), "(B, T, hidden_dim)",
                     _("hidden_layer with hidden_dim = 2 * embedding_dim = 16"))
        if torch.allclose(hidden, x @ fc1.weight.T, atol=1e-5):
            raise AssertionError(
                _("hidden_layer left out fc1's bias: nn.Linear computes x @ W^T + b; call the layer, fc1(x)")
            )
    assert torch.allclose(hidden[0, 0], torch.tensor(TUTORIAL_HIDDEN_ROW_0), atol=0.012), (
        _("the tutorial's fc1_feedforward_output row 0 is {tutorial_hidden_row_0}; yours is {yours}: apply fc1 "
          "(weight and bias) to every position").format(
            tutorial_hidden_row_0=TUTORIAL_HIDDEN_ROW_0, yours=[round(v, 2) for v in hidden[0, 0].tolist()])
    )


@pytest.mark.kata("relu")
def test_relu_keeps_positives_and_zeroes_negatives():
    x = torch.tensor([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    output = feed_forward.relu(x)
    assert_shape(output, (1, 5), _("the input's shape"), "relu")
    expected = torch.tensor([[0.0, 0.0, 0.0, 0.5, 3.0]])
    assert torch.equal(output, expected), (
        _("relu([-2.0, -0.5, 0.0, 0.5, 3.0]) should be {expected} (each value or 0, whichever is larger); yours is "
          "{output}").format(expected=expected[0].tolist(), output=output[0].tolist())
    )
    x = torch.randn(2, 8, 16)
    assert torch.equal(feed_forward.relu(x), torch.where(x > 0, x, torch.zeros_like(x))), (
        _("relu should work element by element on any shape, e.g. the (B, T, hidden_dim) fc1_feedforward_output")
    )


@pytest.mark.kata("output_layer")
def test_output_layer_gives_the_tutorials_fc2_feedforward_output():
    fc1, fc2 = tutorial_feed_forward_layers()
    with torch.no_grad():
        hidden = F.relu(fc1(torch.tensor([TUTORIAL_NORMALISED])))  # (1, 8, 16), computed here
        output = feed_forward.output_layer(hidden, fc2)
    assert_shape(output, (1, 8, 8), "(B, T, C)", "output_layer")
    expected = torch.tensor([TUTORIAL_FC2_OUTPUT])
    assert torch.allclose(output, expected, atol=0.012), (
        _("the tutorial's check point fc2_feedforward_output starts {tutorial_fc2_output}; yours starts {yours}: "
          "apply fc2 to the ReLU output").format(
            tutorial_fc2_output=TUTORIAL_FC2_OUTPUT[0], yours=[round(v, 2) for v in output[0, 0].tolist()])
    )

@pytest.mark.kata("FeedForward.forward")
def test_output_keeps_the_input_shape_for_any_leading_dimensions():
    module = make_feed_forward()
    for shape, names in (((5, EMBEDDING_DIM), "(N, C)"), ((2, 8, EMBEDDING_DIM), "(B, T, C)"),
                         ((3, 2, 8, EMBEDDING_DIM), "(A, B, T, C)")):
        assert_shape(run(module, torch.randn(shape)), shape, names, _("FeedForward output"))


@pytest.mark.kata("FeedForward.__init__")
def test_widths_go_from_embedding_dim_to_hidden_dim_and_back():
    widening, narrowing = linear_layers(make_feed_forward())
    assert tuple(widening.bias.shape) == (HIDDEN_DIM,) and tuple(narrowing.bias.shape) == (EMBEDDING_DIM,), (
        _("biases: expected (hidden_dim,) = ({hidden_dim},) and (C,) = ({embedding_dim},)").format(
            hidden_dim=HIDDEN_DIM, embedding_dim=EMBEDDING_DIM)
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
        _("FeedForward behaves as an affine map: f(a + b) = f(a) + f(b) - f(0). Two Linear layers in a row collapse "
          "into one; put a ReLU between them: Linear(C, hidden_dim), ReLU, Linear(hidden_dim, C).")
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
            _("the two Linear layers without the ReLU between them"): explicit(module, x, relu=False),
            _("a ReLU after the last Linear as well"): torch.relu(expected),
            _("the ReLU after the last Linear instead of between the two"):
                torch.relu(explicit(module, x, relu=False)),
        }
    matched = [described for described, candidate in variants.items() if torch.allclose(output, candidate, **TOLERANCE)]
    hint = " " + _("It matches {matched}.").format(matched=matched[0]) if matched else ""
    raise AssertionError(
        _("the output should be Linear(hidden_dim, C)(ReLU(Linear(C, hidden_dim)(x))), computed from the module's "
          "own weights (max difference "
          "{difference:.3g}).{hint}").format(difference=(output - expected).abs().max(), hint=hint)
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
        _("position {moved} changed when only position 5 changed: the feed-forward network works on the last "
          "dimension only, every position on its own").format(moved=moved[0])
    )


@pytest.mark.kata("FeedForward.forward")
@pytest.mark.parametrize("rate", [0.5, 0.2], ids=["dropout_rate=0.5", "dropout_rate=0.2"])
def test_dropout_at_the_end_acts_in_training_only(rate):
    module = make_feed_forward(dropout_rate=rate).eval()
    x = torch.randn(2, 8, EMBEDDING_DIM)
    expected, again = run(module, x).detach(), run(module, x).detach()  # eval mode: no dropout
    assert torch.equal(expected, again), (
        _("in eval mode, with dropout_rate = {rate}, two calls on the same input differ: dropout must do nothing in "
          "eval mode; use nn.Dropout, which follows train()/eval()").format(rate=rate)
    )
    module.train()
    output = run(module, x).detach()
    assert_dropout_comes_last(
        output, expected, rate, when=_("in training mode"),
        missing=_("FeedForward should end with nn.Dropout(config.dropout_rate), after the second Linear"),
        place=_("after Linear(hidden_dim, C), not between the layers"),
    )
    assert not torch.equal(run(module, x).detach(), output), (
        _("two training-mode calls gave the same output: dropout should drop different values on every call")
    )
