"""How the judge compares a student's outputs with the reference's: each function says why they differ, or None.

Arrays are compared by type, kind of dtype and shape, then values, with a
tolerance (and -1e9 counts as -inf); dropout is judged by where it acts and
how much it drops, whatever random numbers drew its mask (torch.compile
draws its own); sampling is judged as a distribution.

A run holds several cases, inputs whose right answers differ; ``every_case``
judges each, so that an answer that ignores its inputs fails.
"""

import itertools

import numpy as np
import torch

KINDS = {"b": "booleans", "i": "integers", "u": "integers", "f": "floats"}


def _float(array):
    array = np.asarray(array, dtype=np.float64)
    return np.where(array <= -1e9, -np.inf, array)  # -1e9 masks the future as well as -inf does


def differs(student, reference, what="the output", rtol=1e-4, atol=1e-5, any_dtype=False):
    """Why ``student`` is not ``reference`` (type, kind of dtype, shape, then values), or None.

    ``reference`` is an array (a tensor sent back), a Python number or a list
    of numbers. An array must be answered with an array (not a list) of the
    same kind of dtype (integers for ids, floats for values; any float
    width), unless ``any_dtype``; a number with a number (int or float, not a
    bool); a list with a list.
    """
    problem = not_like(student, reference, what, any_dtype)
    if problem:
        return problem
    a, b = _float(student), _float(reference)
    if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False):
        finite = np.isfinite(a) & np.isfinite(b)
        largest = float(np.max(np.abs(a - b)[finite])) if finite.any() else float("nan")
        if np.isnan(a).any():
            return f"{what} holds NaN"
        return f"{what} differs from the reference's (largest difference {largest:.3g})"
    return None


def not_like(student, reference, what="the output", any_dtype=False):
    """Why ``student`` is not of ``reference``'s type, kind of dtype and shape (see ``differs``), or None."""
    if student is None:
        return f"{what} is missing"
    if isinstance(reference, list):
        numbers = isinstance(student, list) and all(
            isinstance(item, (int, float)) and not isinstance(item, bool) for item in student)
        if not numbers:
            return f"{what} is {_kind_of(student)}, expected a list of numbers"
        if len(student) != len(reference):
            return f"{what} holds {len(student)} numbers, expected {len(reference)}"
        return None
    if not isinstance(reference, np.ndarray):
        if isinstance(student, bool) or not isinstance(student, (int, float)):
            return f"{what} is {_kind_of(student)}, expected a number"
        return None
    if not isinstance(student, np.ndarray):
        return f"{what} is {_kind_of(student)}, not a tensor"
    if not any_dtype and KINDS.get(student.dtype.kind) != KINDS.get(reference.dtype.kind):
        return f"{what} holds {KINDS.get(student.dtype.kind, student.dtype)}, expected {KINDS[reference.dtype.kind]}"
    if tuple(student.shape) != tuple(reference.shape):
        return f"{what} has shape {tuple(student.shape)}, expected {tuple(reference.shape)}"
    return None


def _kind_of(value):
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def every_case(compares):
    """A comparison of runs with ``{"cases": [...]}``: ``compares`` (one, or one per case) must accept each case."""
    def compare(student, reference):
        theirs, ours = student.get("cases"), reference["cases"]
        if not isinstance(theirs, list) or len(theirs) != len(ours):
            return f"expected results for {len(ours)} inputs"
        per_case = compares if isinstance(compares, (list, tuple)) else [compares] * len(ours)
        for index, (mine, expected, comparison) in enumerate(zip(theirs, ours, per_case, strict=True)):
            problem = comparison(mine, expected) if isinstance(mine, dict) else "unreadable results"
            if problem:
                return f"{problem} (input {index + 1} of {len(ours)})"
        return None
    return compare


def same_arrays(*keys, **tolerance):
    def compare(student, reference):
        for key in keys:
            problem = differs(student.get(key), reference[key], what=key.replace("_", " "), **tolerance)
            if problem:
                return problem
        return None
    return compare


def same_values(*keys):
    def compare(student, reference):
        for key in keys:
            if student.get(key) != reference[key]:
                return f"{key.replace('_', ' ')} is {shorten(student.get(key))}, expected {shorten(reference[key])}"
        return None
    return compare


def shorten(value, limit=120):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same_parameters(student, reference):
    if student.get("parameters") != reference["parameters"]:
        return (f"registered parameters (shape, trainable) are {shorten(student.get('parameters'), 300)}, "
                f"expected {shorten(reference['parameters'], 300)}")
    return None


def same_gradients(student, reference):
    theirs, ours = student.get("gradients") or {}, reference["gradients"]
    for name, gradient in ours.items():
        if theirs.get(name) is None:
            return f"no gradient reaches {name}"
        problem = differs(theirs[name], gradient, what=f"the gradient of {name}")
        if problem:
            return problem
    return None


def all_of(*comparisons):
    def compare(student, reference):
        for comparison in comparisons:
            problem = comparison(student, reference)
            if problem:
                return problem
        return None
    return compare


def dropout_at_the_end(rate):
    """A comparison: the training-mode output is the eval-mode output after one dropout of ``rate``.

    Every element must be 0 or the eval-mode value / (1 - rate), and about
    ``rate`` of them 0: what dropout as the very last step gives, whatever
    random numbers drew the mask (torch.compile draws its own). The chapter's
    tests check the same.
    """
    def compare(student, reference):
        output, expected = student.get("output"), reference["eval_output"]
        problem = not_like(output, expected, what="the training-mode output")
        if problem:
            return problem
        output, kept = np.asarray(output, dtype=np.float64), expected / (1 - rate)
        dropped = np.isclose(output, 0, atol=1e-6)
        if not np.all(dropped | np.isclose(output, kept, rtol=1e-4, atol=1e-5)):
            return (f"in training mode (dropout_rate {rate}) some outputs are neither 0 nor the eval-mode value "
                    "/ (1 - dropout_rate): dropout comes last, and nn.Dropout(config.dropout_rate) scales what it "
                    "keeps")
        return _share_dropped(float(dropped.mean()), rate, "outputs")
    return compare


def _share_dropped(share, rate, what):
    if abs(share - rate) > 0.2:
        return (f"in training mode {share:.0%} of the {what} were dropped, with dropout_rate {rate}: "
                "nn.Dropout(config.dropout_rate), active in training mode")
    return None


def dropout_on_the_weights(weights, values, rate):
    """A comparison: the training-mode output of attention is dropout(``weights``) @ ``values``.

    ``weights`` (B, T, T) are the reference's attention weights for the run's
    input, ``values`` (B, T, H) its values. For every output row the judge
    looks for a mask of that row's weights (0 or weight / (1 - rate)) that
    gives it, and about ``rate`` of the weights must be dropped: dropout acts
    on the weights, whatever random numbers drew the mask, as the chapter's
    tests check it.
    """
    weights, values = np.asarray(weights, dtype=np.float64), np.asarray(values, dtype=np.float64)

    def compare(student, reference):
        output = student.get("output")
        problem = not_like(output, reference["output"], what="the training-mode output")
        if problem:
            return problem
        output = np.asarray(output, dtype=np.float64)
        batch, length, _ = weights.shape
        dropped = 0
        for b, t in itertools.product(range(batch), range(length)):
            masks = np.array(list(itertools.product((0.0, 1.0), repeat=t + 1)))  # (2 ** (t + 1), t + 1)
            terms = weights[b, t, : t + 1, None] * values[b, : t + 1] / (1 - rate)  # (t + 1, H)
            candidates = masks @ terms  # (2 ** (t + 1), H)
            error = np.abs(candidates - output[b, t]).max(axis=1)
            best = int(np.argmin(error))
            if not error[best] <= 1e-4 + 1e-3 * np.abs(output[b, t]).max():
                return (f"in training mode (dropout_rate {rate}) the output of position {t} is not the values "
                        "mixed by the attention weights with some of them dropped and the rest scaled by "
                        "1 / (1 - dropout_rate): dropout belongs on the weights, before weights @ values")
            dropped += int(t + 1 - masks[best].sum())
        return _share_dropped(dropped / (batch * length * (length + 1) / 2), rate, "attention weights")
    return compare


def sampling_problem(model, generated, prompt_length, block, limit=4.0, tail_limit=5.0):
    """Why the new ids of ``generated`` do not look sampled from ``model``'s next-id distribution, or None.

    For every new id x, with p the model's distribution at that point
    (context cropped to the last ``block`` ids), sampling from p gives
    E[p(x)] = sum(p ** 2). At every step the mean of p(x) over the rows must
    lie within ``limit`` standard errors of that: argmax, a wrong position or
    a wrong context shifts it far more. Steps are tested one by one, since the
    shifts of different steps can cancel out when pooled.
    """
    with torch.no_grad():
        for step in range(prompt_length, generated.shape[1]):
            context = generated[:, :step][:, -block:]
            logits, _ = model(context, None)
            p = torch.softmax(logits[:, -1, :].double(), dim=-1)  # (N, V)
            chosen = p.gather(1, generated[:, step : step + 1]).squeeze(1)  # (N,)
            square = (p**2).sum(-1)
            variance = (p**3).sum(-1) - square**2
            z = float((chosen.mean() - square.mean()) / (variance.sum().sqrt() / len(chosen) + 1e-12))
            if abs(z) > limit:
                return (f"new id {step - prompt_length + 1} is not distributed as samples of the softmax of the "
                        f"last position's logits would be (z = {z:.1f}): sample with torch.multinomial from the "
                        "probabilities of the last position, with the context cropped to its last "
                        "input_sequence_length ids")
            tail = _tail_problem(p, chosen, tail_limit)
            if tail:
                return f"new id {step - prompt_length + 1}: {tail}"
    return None


def _tail_problem(p, chosen, limit):
    """Why the unlikely ids come up too rarely (or too often), or None.

    For every rank r, the share of rows whose chosen id is not among the r
    likeliest must match the probability mass outside them: top-k (or
    top-p) sampling never picks the tail, a low temperature picks it too
    rarely, a high one too often. ``limit`` standard errors, per rank.
    """
    descending = p.sort(dim=-1, descending=True).values  # (N, V)
    for rank in range(1, p.shape[1]):
        expected = descending[:, rank:].sum(-1)  # (N,) mass outside the `rank` likeliest
        observed = (chosen < descending[:, rank - 1]).double()  # chosen id less likely than the rank-th
        spread = float((expected * (1 - expected)).sum().sqrt())
        if spread < 1e-9:
            continue
        z = float((observed.sum() - expected.sum()) / spread)
        if abs(z) > limit:
            too = "rarely" if z < 0 else "often"
            return (f"ids outside the {rank} likeliest came up too {too} (z = {z:.1f}): sample from the whole "
                    "softmax at temperature 1, no top-k, with torch.multinomial")
    return None
