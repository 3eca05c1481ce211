"""Chapter 06's diagnosis: which classic attention mistakes a head's numbers match.

The chapter's tests call ``diagnosis(head, x, weights=...)`` or ``diagnosis(head, x, output=...)``
when a check fails, and add its sentence to their message: "It matches attention with no causal
mask." Everything is recomputed in float64 from the head's own key_fc, query_fc and value_fc.
"""

import itertools

import torch
from torch.nn import functional as F

from kata_tools.i18n import _
from kata_tools.testing import TOLERANCE


def future_mask(length):
    """True above the diagonal: the positions each row must not see."""
    return torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)


def project(layer, x):
    """The bias-free projection the contract asks for, from the layer's own weight, in float64."""
    return F.linear(x.double(), layer.weight.detach().double())


def attention_weights(queries, keys, scale, masking="before softmax", softmax_dim=-1):
    """softmax(mask(queries @ keys^T * scale)); ``masking`` names where (or whether) the mask goes."""
    length = queries.shape[-2]
    scores = queries @ keys.transpose(-2, -1) * scale
    future = future_mask(length)
    if masking == "before softmax":
        scores = scores.masked_fill(future, float("-inf"))
    elif masking == "zero":
        scores = scores.masked_fill(future, 0.0)
    elif masking.startswith("diagonal"):
        fill = float("-inf") if masking == "diagonal, -inf" else -1e9
        scores = scores.masked_fill(torch.triu(torch.ones(length, length, dtype=torch.bool)), fill)
    weights = scores.softmax(dim=softmax_dim)
    if masking == "after softmax":
        weights = weights.masked_fill(future, 0.0)
    return weights


def scales(head):
    """The scales to try: the right one, head_size ** -0.5, first; then the classic wrong ones."""
    head_size, embedding_dim = head.query_fc.weight.shape  # (H, C)
    return (
        (head_size**-0.5, None),
        (embedding_dim**-0.5, _("scores scaled by embedding_dim ** -0.5 (the scale is head_size ** -0.5)")),
        (1.0, _("scores not scaled (multiply them by head_size ** -0.5)")),
        (head_size**-1.0, _("scores scaled by 1 / head_size (the scale is head_size ** -0.5)")),
        (head_size**0.5, _("scores multiplied by head_size ** 0.5 (the scale is head_size ** -0.5)")),
    )


MASKINGS = (
    ("before softmax", None),
    ("none", _("no causal mask")),
    ("after softmax", _("the causal mask applied after the softmax (mask the scores, before it)")),
    ("zero", _("the future scores filled with 0 instead of -inf (exp(0) = 1: the future keeps its weight)")),
    ("diagonal, -inf", _("the diagonal masked too (a position must attend to itself)")),
    ("diagonal, -1e9", _("the diagonal masked too (a position must attend to itself)")),
)
SOFTMAX_AXES = ((-1, None), (-2, _("the softmax taken over dim=-2 (each row must sum to 1: dim=-1)")))
ORIENTATIONS = ((False, None), (True, _("queries and keys swapped: your scores[t, s] are key_t · query_s, "
                                        "the right ones query_t · key_s")))
VALUE_SOURCES = (
    ("value_fc", None),
    ("key_fc", _("values taken from key_fc (values = value_fc(x))")),
    ("query_fc", _("values taken from query_fc (values = value_fc(x))")),
)


def mistakes_matching(head, x, weights=None, output=None):
    """The fewest classic mistakes whose result equals ``weights`` (or ``output``); None if nothing fits."""
    queries, keys = project(head.query_fc, x), project(head.key_fc, x)
    values = {name: project(getattr(head, name), x) for name, _ in VALUE_SOURCES}
    candidates = []
    for (masking, m1), (scale, m2), (axis, m3), (swapped, m4) in itertools.product(
        MASKINGS, scales(head), SOFTMAX_AXES, ORIENTATIONS
    ):
        q, k = (keys, queries) if swapped else (queries, keys)
        candidate = attention_weights(q, k, scale, masking, axis)
        for source, m5 in VALUE_SOURCES if output is not None else (("value_fc", None),):
            described = [m for m in (m1, m2, m3, m4, m5) if m]
            candidates.append((len(described), described, candidate, source))
    actual = (weights if output is None else output).detach().double()
    for _count, described, candidate, source in sorted(candidates, key=lambda entry: entry[0]):
        result = candidate if output is None else candidate @ values[source]
        if result.shape == actual.shape and torch.allclose(actual, result, equal_nan=True, **TOLERANCE):
            return described
    return None


def diagnosis(head, x, weights=None, output=None):
    """' It matches attention with <mistakes>.' when a known mistake fits, else '' (or a note on biases)."""
    try:
        described = mistakes_matching(head, x, weights, output)
    except Exception:  # a head too broken to diagnose: the failing check has already said what is wrong
        return ""
    if described is None:
        names = ("key_fc", "query_fc", "value_fc")
        biased = [name for name in names if getattr(getattr(head, name), "bias", None) is not None]
        return " " + _("Note that {layers} add a bias: the projections should be bias-free.").format(
            layers=", ".join(biased)) if biased else ""
    if not described:
        return ""
    return " " + _("It matches attention with {mistakes}.").format(mistakes=_("; and ").join(dict.fromkeys(described)))
