"""Helpers the chapter tests share: configs, shape checks, parameter randomising.

Messages name the dimensions, so that a learner reads
``expected (B, T, head_size) = (2, 6, 4), got (2, 6, 12)`` rather than two bare tuples.
"""

import re
from types import SimpleNamespace

import pytest
import torch

from .i18n import _, language
from .implementation import chapter_module

__all__ = [
    "TOLERANCE",
    "assert_dropout_comes_last",
    "assert_every_entry_learns",
    "assert_modules_registered",
    "assert_shape",
    "call_explained",
    "dropout_rate_diagnosis",
    "format_tensor",
    "chapter_module",
    "environment_problem",
    "lead_with_diagnosis",
    "make_config",
    "parameter_count",
    "parameter_count_message",
    "randomize_parameters",
]


# float32 layers against float64 recomputations of them: what "the same numbers" means in the tests
TOLERANCE = dict(atol=1e-5, rtol=1e-4)


def call_explained(module, x, name, explanation):
    """``module(x)``; a crash (other than a stub's NotImplementedError) becomes an AssertionError naming
    ``name``, the input's shape and ``explanation``: what the shapes should be, in the chapter's terms."""
    try:
        return module(x)
    except NotImplementedError:
        raise
    except Exception as error:
        crash = _("{name} = {shape} raised {error_type}: {error}.").format(
            name=name, shape=tuple(x.shape), error_type=type(error).__name__, error=error)
        raise AssertionError(crash + explanation) from error


def dropout_rate_diagnosis(after, before, rate):
    """" It looks like a dropout rate of 0.5 ..." when the kept values were scaled for another rate, else "".

    after, before: the values dropout gave back and received (same shape); rate: config.dropout_rate.
    Inverted dropout scales what it keeps by 1 / (1 - rate); the scale found gives the rate that was used.
    """
    kept = (after != 0) & (before != 0)
    if not kept.any():
        return ""
    scale = (after[kept] / before[kept]).median().item()
    if scale <= 1 or abs(scale - 1 / (1 - rate)) < 1e-3:
        return ""
    used = 1 - 1 / scale
    return " " + _("It looks like a dropout rate of {used} (kept values scaled by {scale}) rather than "
                   "config.dropout_rate = {rate}: pass config.dropout_rate to the dropout, not a number.").format(
        used=f"{used:.2g}", scale=f"{scale:.3g}", rate=rate)


def assert_modules_registered(module):
    """Fail when ``module`` keeps sub-modules in a plain list, tuple or dict attribute.

    PyTorch never sees them: not in parameters() (never trained), state_dict(), .to() or .train()/.eval().
    Checked before any test of behaviour that depends on train()/eval() reaching them (dropout), so that
    the message names the list rather than the dropout.
    """
    for name, value in vars(module).items():
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
        hidden = [item for item in items if isinstance(item, torch.nn.Module)]
        if hidden and not name.startswith("_"):
            kind = type(hidden[0]).__name__
            raise AssertionError(
                _("{module_type}.{name} is a plain Python {value_type} of {kind}: PyTorch never sees modules kept "
                  "that way (not in parameters(), state_dict(), .to() or .eval()). Use nn.ModuleList([...]) "
                  "(or nn.Sequential)").format(module_type=type(module).__name__, name=name,
                                               value_type=type(value).__name__, kind=kind)
            )


def assert_dropout_comes_last(output, evaluated, rate, when, missing, place):
    """A training-mode ``output`` is the eval-mode ``evaluated`` with dropout applied as the last step:
    something changed, some values became 0, and every other value is ``evaluated / (1 - rate)``.

    ``when``: the mode in words ("in training mode"); ``missing``: what to do when nothing changed;
    ``place``: where dropout belongs ("after output_projection, not before it").
    """
    assert not torch.allclose(output, evaluated, **TOLERANCE), (
        _("{when} (dropout_rate = {rate}) the output did not change: {missing}").format(
            when=when, rate=rate, missing=missing)
    )
    kept = output != 0
    assert not kept.all(), (
        _("{when} (dropout_rate = {rate}) the output changed but no value became 0: dropout comes last, "
          "{place}").format(when=when, rate=rate, place=place)
    )
    assert torch.allclose(output[kept], evaluated[kept] / (1 - rate), **TOLERANCE), (
        _("{when}, every output should be either 0 or the eval-mode output / (1 - dropout_rate): dropout comes "
          "last, {place}.").format(when=when, place=place) + dropout_rate_diagnosis(output, evaluated, rate)
    )


def format_tensor(tensor, decimals=2, width=6):
    """A tensor as the tutorial's notebooks print it: one row per line, every number right-aligned.

    ``print_formatted_tensor`` of the tutorial: each value ``width`` wide with ``decimals`` decimals,
    nested brackets, rows of a matrix under each other, so that a check point can be read against
    the tutorial row by row. Any shape; a 0-d tensor is one number. E.g. for [[1, 0.5], [-2, 3]]:

        [[  1.00,   0.50],
         [ -2.00,   3.00]]
    """
    values = torch.as_tensor(tensor).detach().double().cpu()

    def rows(part, depth):
        if part.ndim == 0:
            return f"{part.item():{width}.{decimals}f}"
        if part.ndim == 1:
            return "[" + ", ".join(f"{value:{width}.{decimals}f}" for value in part.tolist()) + "]"
        return "[" + ("," + "\n" + " " * (depth + 1)).join(rows(row, depth + 1) for row in part) + "]"

    return rows(values, 0)


def make_config(**overrides):
    """A small config object with every attribute the curriculum reads.

    A plain namespace, not the chapter-00 ModelConfig, so that the tests do
    not depend on the learner's chapter 00.
    """
    settings = dict(
        batch_size=4,
        input_sequence_length=8,
        embedding_dim=12,
        hidden_dim=20,
        num_attention_heads=3,
        layer_count=2,
        dropout_rate=0.0,
        learning_rate=1e-3,
        total_training_steps=10,
        evaluation_frequency=5,
        evaluation_loops=2,
        device_type="cpu",
        random_seed_value=1337,
    )
    settings.update(overrides)
    return SimpleNamespace(**settings)


def assert_shape(tensor, expected, names, what=None):
    """Fail unless ``tensor.shape == expected``; ``names`` spells the dimensions, e.g. "(B, T, C)";
    ``what``: the tensor in words (default "output")."""
    what = _("output") if what is None else what
    if not isinstance(tensor, torch.Tensor):
        raise AssertionError(_("{what} should be a tensor {names} = {expected}, got {got_type}").format(
            what=what, names=names, expected=tuple(expected), got_type=type(tensor).__name__))
    if tuple(tensor.shape) != tuple(expected):
        raise AssertionError(_("{what}: expected {names} = {expected}, got {got}").format(
            what=what, names=names, expected=tuple(expected), got=tuple(tensor.shape)))


def parameter_count(module):
    return sum(parameter.numel() for parameter in module.parameters())


def parameter_count_message(module, expected, formula, input_size):
    """A parameter-count failure, with torchinfo's layer-by-layer table to compare against.

    torchinfo counts a shared layer each time it appears, so its total is shown, never asserted on.
    """
    message = _("{module} has {count} parameters, expected {formula} = {expected}.").format(
        module=type(module).__name__, count=parameter_count(module), formula=formula, expected=expected)
    training = module.training
    try:
        import torchinfo

        table = torchinfo.summary(
            module, input_size=input_size, verbose=0, depth=4,
            col_names=("input_size", "output_size", "num_params"), row_settings=("var_names",),
        )
        return _("{message} Layer by layer (torchinfo counts a shared layer each time it appears):\n{table}").format(
            message=message, table=table)
    except Exception:  # e.g. forward not written yet: the module's own listing still shows the layers
        return _("{message} Its layers:\n{module}").format(message=message, module=module)
    finally:
        module.train(training)


def randomize_parameters(module, seed=0, scale=0.5):
    """Give every parameter (LayerNorm weights and biases included) random values.

    Freshly made norms are the identity (gamma 1, beta 0) and would hide a
    norm applied in the wrong place; random ones do not.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            offset = scale if parameter.ndim == 1 else 0.0  # lift norm weights and biases off 1 and 0
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale + offset)
    return module


# A test appends what a wrong result matches (" It matches attention with ...", ": it looks like ...") to its
# general message. Their translations start the same way in each language: "看起来……。", "どうやら……。".
_DIAGNOSES = {
    "en": re.compile(r"(?:(?<=\s)|^)((?:It matches|[Ii]t looks like) .*?\.)(?=\s|$)", re.DOTALL),
    "zh": re.compile(r"(看起来[^。]*。)", re.DOTALL),
    "ja": re.compile(r"(どうやら[^。]*。)", re.DOTALL),
}
_SENTENCE_ENDS = {"en": (".", "!", "?"), "zh": tuple("。！？.!?"), "ja": tuple("。！？.!?")}
_STOPS = {"en": ".", "zh": "。", "ja": "。"}


def lead_with_diagnosis(message):
    """The message with its diagnosis sentence ("It matches ...", "it looks like ...") moved to the front.

    A check's general message says what is wrong; the diagnosis, found by
    trying the classic mistakes, says why, and is the most specific thing a
    learner can read, so it comes first and is never cut off.
    """
    lang = language()
    found = _DIAGNOSES[lang].search(message or "")
    if not found or found.start() == 0:
        return message
    before, after = message[: found.start()].rstrip(), message[found.end():].strip()
    if before.endswith((":", "：", "，", ",")):
        before = before[:-1].rstrip()
    if before and not before.endswith(_SENTENCE_ENDS[lang]):
        before += _STOPS[lang]
    diagnosis = found.group(1)
    if lang != "en":  # Chinese and Japanese: no capitals, and no space after a full stop
        return f"{diagnosis}{before}{after}".strip()
    rest = f"{before} {after}".strip()
    return f"{diagnosis[:1].upper()}{diagnosis[1:]} {rest[:1].upper()}{rest[1:]}".strip()



class EnvironmentProblem(pytest.fail.Exception):
    """A test could not run because of the machine, not the learner's code (a missing or corrupt corpus)."""


def environment_problem(message):
    """Fail the test with ``message``, marked so that the tools never record it as the learner's failure."""
    __tracebackhide__ = True
    raise EnvironmentProblem(message, pytrace=False)


def _ranges(indices):
    """"0, 3-5" for [0, 3, 4, 5]."""
    parts, start = [], None
    for position, index in enumerate(indices):
        start = index if start is None else start
        if position + 1 == len(indices) or indices[position + 1] != index + 1:
            parts.append(f"{start}" if start == index else f"{start}-{index}")
            start = None
    return ", ".join(parts)


def entries_without_gradient(module):
    """{parameter name: which of its entries got no gradient} after a backward pass, e.g. {"table.weight": "rows 0"}.

    A (rows, C) table is described by rows; anything else by its count of entries.
    """
    found = {}
    for name, parameter in module.named_parameters():
        if parameter.grad is None:
            found[name] = _("all of it (no gradient at all)")
            continue
        zero = parameter.grad == 0
        if not zero.any():
            continue
        if parameter.ndim == 2 and zero.all(dim=1).any():
            rows = zero.all(dim=1).nonzero().flatten().tolist()
            found[name] = _("rows {rows} of {count}").format(rows=_ranges(rows), count=parameter.shape[0])
        else:
            found[name] = _("{zero} of its {count} entries").format(zero=int(zero.sum()), count=parameter.numel())
    return found


def assert_every_entry_learns(module, output, what):
    """Fail unless every entry of every parameter of ``module`` gets a gradient from ``output``.

    ``output``: a tensor computed by ``module`` from inputs that use everything
    (every id, every position); it is weighted randomly and summed, so that no
    gradient cancels by chance. ``what`` says what the inputs covered. An
    entry without a gradient never changes in training: a row frozen by
    ``padding_idx``, a slice of a table cut off, a part detached.
    """
    module.zero_grad(set_to_none=True)
    generator = torch.Generator().manual_seed(0)
    weights = torch.randn(output.shape, generator=generator, dtype=output.dtype)
    (output * weights.to(output.device)).sum().backward()
    missing = entries_without_gradient(module)
    assert not missing, (
        _("with {what}, these parts of {module}'s parameters never receive a gradient, so they never learn: "
          "{parts}. Every entry must take part: look for padding_idx, a slice of a table, a detach() or a frozen "
          "copy").format(what=what, module=type(module).__name__,
                         parts="; ".join(f"{name}: {entries}" for name, entries in missing.items()))
    )
