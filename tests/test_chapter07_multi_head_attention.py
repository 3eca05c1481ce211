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

from kata_tools.i18n import _
from kata_tools.testing import (
    TOLERANCE,
    assert_dropout_comes_last,
    assert_modules_registered,
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
    return call_explained(module, x, _("MultiHeadAttention on x (B, T, C)"), (
        " " + _("Each head gives (B, T, head_size) = {head}; concatenate the {heads} outputs on the feature axis "
                "(dim=-1) to get (B, T, C) = {joined}, the input output_projection expects.").format(
            head=(batch, length, width // heads), heads=heads, joined=(batch, length, width))))


def heads_of(module):
    heads = list(getattr(module, "attention_heads", None) or [])
    assert heads, (
        _("MultiHeadAttention needs self.attention_heads = nn.ModuleList([AttentionHead(head_size, config), ...])")
    )
    return heads


def projection(module, joined):
    layer = module.output_projection
    bias = None if layer.bias is None else layer.bias.detach()
    return F.linear(joined, layer.weight.detach(), bias)


# ---------------------------------------------------------------- steps: the tutorial's sections 1-2, piece by piece

# Chapter 07, Section 2: head_outputs_list as the tutorial prints it (4 decimals), first head then second head.
TUTORIAL_HEAD_OUTPUTS = [
    [[1.0879, -0.7514, -1.0459, -0.7242], [0.7008, -0.7171, 0.2538, 0.3989], [0.5133, -0.4401, -0.4348, 0.1008],
     [0.5774, -0.5573, -0.0916, 0.3766], [0.4546, -0.4700, 0.0130, 0.4691], [0.4076, -0.3061, -0.3269, 0.1686],
     [0.6275, -0.4762, -0.4037, 0.2408], [0.3771, -0.2982, -0.1023, 0.0807]],
    [[-0.4560, -0.2606, -1.1140, -0.4387], [-0.2478, -0.7122, -0.8625, -0.5661], [0.0014, 0.2337, 0.1087, 0.2222],
     [-0.2847, 0.0092, -0.1315, 0.2296], [-0.0292, -0.0181, 0.0600, 0.1488], [-0.1627, 0.2202, 0.1944, 0.3699],
     [-0.2611, 0.2188, 0.0898, 0.4392], [-0.1885, -0.0787, 0.0722, 0.2151]],
]
# Section 2, check point 1: concatenated_attention_output (2 decimals).
TUTORIAL_CONCATENATED = [
    [1.09, -0.75, -1.05, -0.72, -0.46, -0.26, -1.11, -0.44],
    [0.70, -0.72, 0.25, 0.40, -0.25, -0.71, -0.86, -0.57],
    [0.51, -0.44, -0.43, 0.10, 0.00, 0.23, 0.11, 0.22],
    [0.58, -0.56, -0.09, 0.38, -0.28, 0.01, -0.13, 0.23],
    [0.45, -0.47, 0.01, 0.47, -0.03, -0.02, 0.06, 0.15],
    [0.41, -0.31, -0.33, 0.17, -0.16, 0.22, 0.19, 0.37],
    [0.63, -0.48, -0.40, 0.24, -0.26, 0.22, 0.09, 0.44],
    [0.38, -0.30, -0.10, 0.08, -0.19, -0.08, 0.07, 0.22],
]
# Section 3, check point 1: multihead_attention_output; check point 2: residual_connection_output (2 decimals).
TUTORIAL_MULTIHEAD_OUTPUT = [
    [-0.40, -0.38, -0.41, -0.26, 0.82, 0.00, 1.66, -0.08],
    [-0.23, -0.22, -0.82, 0.23, 0.81, 0.37, 0.92, 0.53],
    [0.06, -0.10, -0.35, -0.26, 0.64, 0.41, 0.49, 0.09],
    [-0.10, -0.11, -0.52, -0.12, 0.78, 0.54, 0.33, 0.00],
    [0.06, -0.07, -0.51, -0.00, 0.67, 0.50, 0.00, 0.31],
    [0.08, -0.00, -0.00, -0.19, 0.57, 0.51, 0.25, 0.11],
    [-0.04, -0.11, -0.36, -0.27, 0.73, 0.56, 0.32, 0.08],
    [0.05, -0.00, -0.00, -0.08, 0.45, 0.45, 0.35, 0.22],
]
TUTORIAL_RESIDUAL = [
    [0.24, -1.89, 2.99, 0.30, 2.23, 0.14, 0.54, 0.06],
    [-0.53, -1.24, 0.02, -0.04, -1.61, 0.18, 2.44, -1.22],
    [-0.93, -0.31, -1.88, -1.09, 2.24, 1.47, -0.31, -0.01],
    [-1.49, -0.21, 0.49, -1.53, 0.71, 2.56, -0.69, -0.94],
    [-1.84, -0.04, -0.63, -0.51, 1.37, 1.18, 0.84, 0.25],
    [0.02, 1.28, -1.05, 0.12, 1.70, 0.06, -0.07, -0.82],
    [-1.81, -0.69, 1.57, 0.94, 0.51, 2.11, -1.00, 0.70],
    [-0.76, 0.66, 0.26, -1.71, 0.57, -0.92, 1.81, 1.40],
]
RUNNING_EXAMPLE = [[24, 43, 58, 5, 57, 1, 46, 43]]  # "Let's he"


def tutorial_embeddings():
    """The tutorial's "std chain": seed 1337, token table (65, 8), position table (8, 8), "Let's he" embedded."""
    torch.manual_seed(1337)
    token_table, position_table = torch.nn.Embedding(65, 8), torch.nn.Embedding(8, 8)
    with torch.no_grad():
        return token_table(torch.tensor(RUNNING_EXAMPLE)) + position_table(torch.arange(8))  # (1, 8, 8)


@pytest.mark.kata("head_size_for")
def test_head_size_for_two_heads_of_embedding_dim_8_is_4():
    head_size = multi_head.head_size_for(8, 2)
    assert head_size == 4, _("the tutorial splits embedding_dim 8 into 2 heads of size 4; yours gives "
                             "{head_size!r}").format(
                               head_size=head_size)
    assert isinstance(head_size, int), (
        _("head_size_for(8, 2) should be the int 4, not {head_size!r} ({head_size_type}): it becomes nn.Linear's "
          "out_features; C // n (or int(C / n)) gives an int, C / n a float").format(
            head_size=head_size, head_size_type=type(head_size).__name__)
    )
    for embedding_dim, heads in ((12, 3), (64, 4), (12, 4)):
        found = multi_head.head_size_for(embedding_dim, heads)
        assert found == embedding_dim // heads and isinstance(found, int), (
            _("head_size_for({embedding_dim}, {heads}) should be {expected} (C // n), got {found!r}").format(
                embedding_dim=embedding_dim, heads=heads, expected=embedding_dim // heads, found=found)
        )


@pytest.mark.kata("concat_heads")
def test_concat_heads_reproduces_the_tutorials_concatenated_attention_output():
    head_outputs = [torch.tensor([rows]) for rows in TUTORIAL_HEAD_OUTPUTS]  # two (1, 8, 4)
    joined = multi_head.concat_heads(head_outputs)
    if isinstance(joined, torch.Tensor) and tuple(joined.shape) == (1, 16, 4):
        raise AssertionError(
            _("concat_heads gave (1, 16, 4): the heads were joined on the time axis (dim=1). Join them on the "
              "feature axis, dim=-1, to get the tutorial's concatenated_attention_output (1, 8, 8)")
        )
    assert_shape(joined, (1, 8, 8), "(B, T, n * H)", _("concat_heads of two (1, 8, 4) heads"))
    expected = torch.tensor([TUTORIAL_CONCATENATED])
    if torch.allclose(joined[..., :4], expected[..., 4:], atol=0.006):
        raise AssertionError(
            _("concat_heads put the second head first: keep head order, head 0's features in columns 0-3")
        )
    assert torch.allclose(joined, expected, atol=0.006), (
        _("the tutorial's check point concatenated_attention_output starts {tutorial_concatenated}; yours starts "
          "{yours}: join the heads with torch.cat(..., dim=-1), in list order").format(
            tutorial_concatenated=TUTORIAL_CONCATENATED[0], yours=[round(v, 2) for v in joined[0, 0].tolist()])
    )


@pytest.mark.kata("concat_heads")
def test_concat_heads_joins_any_number_of_heads_in_order():
    heads = [torch.full((2, 3, 4), float(index)) for index in range(3)]
    joined = multi_head.concat_heads(heads)
    assert_shape(joined, (2, 3, 12), "(B, T, n * H)")
    for index in range(3):
        assert (joined[..., index * 4 : (index + 1) * 4] == index).all(), (
            _("features {first}..{last} should come from head {index}: join on dim=-1, in list order").format(
                first=index * 4, last=index * 4 + 3, index=index)
        )


@pytest.mark.kata("project_heads")
def test_project_heads_applies_the_output_projection_with_its_bias():
    projection = torch.nn.Linear(8, 8)
    with torch.no_grad():
        projection.bias.uniform_(0.5, 1.0)  # a bias you cannot miss
    concatenated = torch.tensor([TUTORIAL_CONCATENATED])
    with torch.no_grad():
        output = multi_head.project_heads(concatenated, projection)
        expected = concatenated @ projection.weight.T + projection.bias
    assert_shape(output, (1, 8, 8), "(B, T, C)", "project_heads")
    if torch.allclose(output, concatenated @ projection.weight.T, atol=1e-5):
        raise AssertionError(_("project_heads left out the projection's bias: call the layer, "
                               "projection(concatenated)"))
    if torch.allclose(output, concatenated @ projection.weight + projection.bias, atol=1e-5):
        raise AssertionError(_("project_heads used the weight untransposed: nn.Linear computes x @ W^T + b"))
    assert torch.allclose(output, expected, atol=1e-5), (
        _("project_heads should be proj_output = projection.forward(concatenated_attention_output), (1, 8, 8) -> (1, "
          "8, 8); max difference {difference:.3g}").format(difference=(output - expected).abs().max())
    )


@pytest.mark.kata("add_residual")
def test_add_residual_gives_the_tutorials_residual_connection_output():
    embeddings = tutorial_embeddings()
    multihead_output = torch.tensor([TUTORIAL_MULTIHEAD_OUTPUT])
    residual = multi_head.add_residual(embeddings, multihead_output)
    assert_shape(residual, (1, 8, 8), "(B, T, C)", "add_residual")
    expected = torch.tensor([TUTORIAL_RESIDUAL])
    assert torch.allclose(residual, expected, atol=0.012), (
        _("the tutorial's check point residual_connection_output starts {tutorial_residual}; yours starts {yours}: "
          "it is multihead_attention_output + embeddings, the sub-layer's output added to its un-normalised "
          "input").format(
            tutorial_residual=TUTORIAL_RESIDUAL[0], yours=[round(v, 2) for v in residual[0, 0].tolist()])
    )

# ---------------------------------------------------------------- shape and heads


@pytest.mark.kata("MultiHeadAttention.forward")
def test_output_has_shape_batch_time_embedding_dim():
    module = make_attention()
    for length in (BLOCK, 3):
        output = run(module, random_input(length))
        assert_shape(output, (BATCH, length, EMBEDDING_DIM), "(B, T, C)", _("MultiHeadAttention output for T = "
                                                                            "{length}").format(length=length))


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_there_are_num_attention_heads_heads_of_size_embedding_dim_over_num_attention_heads():
    x = random_input()
    for heads in (HEAD_COUNT, 4, 2):
        module = make_attention(heads=heads)
        found = heads_of(module)
        assert len(found) == heads, (
            _("with num_attention_heads = {heads}, attention_heads should hold {heads} heads, got "
              "{found_count}").format(
                heads=heads, found_count=len(found))
        )
        head_size = EMBEDDING_DIM // heads
        for index, head in enumerate(found):
            assert_shape(
                head(x), (BATCH, BLOCK, head_size), "(B, T, head_size)",
                _("attention_heads[{index}] output (head_size = embedding_dim // num_attention_heads = "
                  "{embedding_dim} // {heads})").format(index=index, embedding_dim=EMBEDDING_DIM, heads=heads),
            )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_heads_do_not_share_parameters():
    module = make_attention()
    heads = heads_of(module)
    for (i, a), (j, b) in itertools.combinations(enumerate(heads), 2):
        assert a is not b, (
            _("heads share parameters: attention_heads[{i}] and attention_heads[{j}] are the same head object (a "
              "list like [head] * n repeats one head); create every head with its own AttentionHead(head_size, "
              "config)").format(i=i, j=j)
        )
        shared = {p.data_ptr() for p in a.parameters()} & {p.data_ptr() for p in b.parameters()}
        assert not shared, (
            _("heads share parameters: attention_heads[{i}] and attention_heads[{j}] use the same weight tensors; "
              "every head needs its own key_fc, query_fc and value_fc").format(i=i, j=j)
        )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_heads_are_registered_sub_modules():
    module = make_attention()
    registered = {id(sub_module) for sub_module in module.modules()}
    parameters = {parameter.data_ptr() for parameter in module.parameters()}
    for index, head in enumerate(heads_of(module)):
        assert id(head) in registered and all(p.data_ptr() in parameters for p in head.parameters()), (
            _("attention_heads[{index}] is not registered with the module: keep the heads in an nn.ModuleList. A "
              "plain Python list hides them from parameters() (never trained), state_dict(), .to() and .eval()").format(
                index=index)
        )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_output_projection_is_a_linear_layer_from_embedding_dim_to_embedding_dim():
    module = make_attention()
    layer = getattr(module, "output_projection", None)
    assert isinstance(getattr(layer, "weight", None), torch.Tensor), (
        _("MultiHeadAttention needs self.output_projection = nn.Linear(embedding_dim, embedding_dim)")
    )
    assert tuple(layer.weight.shape) == (EMBEDDING_DIM, EMBEDDING_DIM), (
        _("output_projection.weight: expected (C, C) = {expected}, got {got}").format(
            expected=(EMBEDDING_DIM, EMBEDDING_DIM), got=tuple(layer.weight.shape))
    )
    assert getattr(layer, "bias", None) is not None and tuple(layer.bias.shape) == (EMBEDDING_DIM,), (
        _("output_projection should have a bias of shape (C,) = ({embedding_dim},): nn.Linear(C, C) keeps its "
          "default bias").format(embedding_dim=EMBEDDING_DIM)
    )


@pytest.mark.kata("MultiHeadAttention.__init__")
def test_parameter_count_is_the_heads_plus_the_output_projection():
    module = make_attention()
    expected = HEAD_COUNT * 3 * EMBEDDING_DIM * HEAD_SIZE + EMBEDDING_DIM * EMBEDDING_DIM + EMBEDDING_DIM
    assert parameter_count(module) == expected, parameter_count_message(
        module, expected,
        _("n * 3 * C * head_size + C * C + C = {head_count} * 3 * {embedding_dim} * {head_size} + {embedding_dim} * "
          "{embedding_dim} + {embedding_dim} (heads that share parameters count once; heads in a plain Python list, "
          "not an nn.ModuleList, not at all)").format(
            head_count=HEAD_COUNT, embedding_dim=EMBEDDING_DIM, head_size=HEAD_SIZE),
        (BATCH, BLOCK, EMBEDDING_DIM),
    )


# ---------------------------------------------------------------- how the heads are combined


def combination_mistakes(module, x, output):
    """Name the classic way of joining the heads that gives ``output``; '' if none does."""
    with torch.no_grad():
        head_outputs = [head(x) for head in heads_of(module)]
        batch, length, width = x.shape
        variants = {
            _("the heads concatenated in reversed order (keep head order: head 0's features first)"):
                projection(module, torch.cat(head_outputs[::-1], dim=-1)),
            _("output_projection skipped (it should mix the concatenated heads)"): torch.cat(head_outputs, dim=-1),
            _("the heads concatenated on the time axis (dim=1) and reshaped; concatenate on the feature axis (dim=-1)"):
                projection(module, torch.cat(head_outputs, dim=1).reshape(batch, length, width)),
            _("the heads concatenated on the batch axis (dim=0) and reshaped; concatenate on the feature axis "
              "(dim=-1)"):
                projection(module, torch.cat(head_outputs, dim=0).reshape(batch, length, width)),
            _("the heads stacked first and reshaped in the wrong order; concatenate on the feature axis (dim=-1)"):
                projection(module, torch.stack(head_outputs, dim=-1).reshape(batch, length, width)),
            _("only the first head used"):
                projection(module, head_outputs[0].repeat(1, 1, len(head_outputs))),
        }
    for described, candidate in variants.items():
        if candidate.shape == output.shape and torch.allclose(output, candidate, **TOLERANCE):
            return " " + _("It matches {described}.").format(described=described)
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
        _("the output should be output_projection(cat([head_0(x), ..., head_{{n-1}}(x)], dim=-1)): the heads' outputs "
          "concatenated on the feature axis in head order, then projected (max difference {difference:.3g}).").format(
            difference=(output - expected).abs().max()) + combination_mistakes(module, x, output)
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
            _("position {moved} changed when only position {changed} changed: the causal mask must hold for the "
              "whole module. Each head masks the future; after them, concatenating on the feature axis and "
              "output_projection act on every position separately, so nothing there may mix positions.").format(
                moved=moved[0], changed=changed)
        )


# ---------------------------------------------------------------- dropout


@pytest.mark.kata("MultiHeadAttention.forward")
@pytest.mark.parametrize("rate", [0.5, 0.2], ids=["dropout_rate=0.5", "dropout_rate=0.2"])
def test_dropout_comes_last_after_the_output_projection(rate):
    module = make_attention(dropout_rate=rate).eval()
    assert_modules_registered(module)  # heads in a plain list would miss .eval(): their dropout would still run
    x = random_input()
    evaluated = run(module, x).detach()
    assert torch.equal(evaluated, run(module, x).detach()), (
        _("in eval mode, with dropout_rate = {rate}, two calls on the same input differ: dropout must do nothing in "
          "eval mode; use self.dropout = nn.Dropout(config.dropout_rate), which follows train()/eval()").format(
            rate=rate)
    )
    dropout = getattr(module, "dropout", None)
    assert isinstance(dropout, torch.nn.Module), (
        _("MultiHeadAttention needs self.dropout = nn.Dropout(config.dropout_rate)")
    )
    dropout.train()  # only the final dropout is live: the heads stay in eval mode and deterministic
    assert_dropout_comes_last(
        run(module, x).detach(), evaluated, rate, when=_("with self.dropout in training mode"),
        missing=_("apply self.dropout (the module's own nn.Dropout) to the projected output, as the last step"),
        place=_("after output_projection, not before it"),
    )
