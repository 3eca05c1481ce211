"""How the judge compares a student's outputs with the reference's: each function says why they differ, or None.

Arrays are compared by shape, then values, with a tolerance (and -1e9
counts as -inf); dropout is judged by where it acts, whatever random numbers
drew its mask; sampling is judged as a distribution.
"""

import numpy as np
import torch


def _float(array):
    array = np.asarray(array, dtype=np.float64)
    return np.where(array <= -1e9, -np.inf, array)  # -1e9 masks the future as well as -inf does


def differs(student, reference, what="the output", rtol=1e-4, atol=1e-5):
    """Why array ``student`` is not ``reference`` (shape first, then values), or None."""
    if student is None:
        return f"{what} is missing"
    if isinstance(student, (list, int, float)) and not isinstance(student, bool):
        try:
            student = np.asarray(student, dtype=np.float64)
        except (TypeError, ValueError):
            return f"{what} is not a list of numbers"
    reference = np.asarray(reference)
    if not isinstance(student, np.ndarray):
        return f"{what} is a {type(student).__name__}, not a tensor"
    if tuple(student.shape) != tuple(reference.shape):
        return f"{what} has shape {tuple(student.shape)}, expected {tuple(reference.shape)}"
    a, b = _float(student), _float(reference)
    if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False):
        finite = np.isfinite(a) & np.isfinite(b)
        largest = float(np.max(np.abs(a - b)[finite])) if finite.any() else float("nan")
        if np.isnan(a).any():
            return f"{what} holds NaN"
        return f"{what} differs from the reference's (largest difference {largest:.3g})"
    return None


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


def dropout_at_the_end(student, reference, rate=0.5):
    """Why the training-mode output is not the eval-mode output after one dropout, or None.

    Every element must be 0 or the eval-mode value / (1 - rate), and about
    ``rate`` of them 0: what dropout as the very last step gives, whatever
    random numbers drew the mask (torch.compile draws its own).
    """
    output, expected = student.get("output"), reference["eval_output"]
    if not isinstance(output, np.ndarray) or output.shape != expected.shape:
        return f"the training-mode output has shape {getattr(output, 'shape', None)}, expected {expected.shape}"
    output, kept = np.asarray(output, dtype=np.float64), expected / (1 - rate)
    dropped = np.isclose(output, 0, atol=1e-6)
    if not np.all(dropped | np.isclose(output, kept, rtol=1e-4, atol=1e-5)):
        return ("in training mode some outputs are neither 0 nor the eval-mode value / (1 - dropout_rate): "
                "dropout must come last, after the second Linear")
    share = float(dropped.mean())
    if not 0.3 <= share <= 0.7:
        return f"in training mode {share:.0%} of the outputs are 0, with dropout_rate {rate}: apply the dropout"
    return None


def sampling_problem(model, generated, prompt_length, block, limit=4.0):
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
    return None
