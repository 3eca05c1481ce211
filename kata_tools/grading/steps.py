"""The judge's checks of the steps: the small functions a chapter teaches before its class.

Every step function in ``reference/`` has an entry here: the inputs it is
called with (made from fixed seeds, passed as data and made into layers or
generators by ``probes.made`` on both sides) and how its result is judged.
Most steps are judged by their value against the reference's; the random
ones by the property their section teaches (a variance close to the
dimension, samples distributed as the probabilities). ``make test`` fails
when a step of ``reference/`` has no entry (checks/test_grading.py).
"""

import math

import numpy as np
import torch

from .compare import differs, shorten

SEED = 4321


def _random(offset):
    return torch.Generator().manual_seed(SEED + offset)


def linear(random, inputs, outputs, bias=True):
    return {"make": "linear", "weight": torch.randn(outputs, inputs, generator=random) * 0.5,
            "bias": torch.randn(outputs, generator=random) * 0.5 if bias else None}


def layer_norm(random, width):
    return {"make": "layer_norm", "weight": 1 + 0.3 * torch.randn(width, generator=random),
            "bias": 0.3 * torch.randn(width, generator=random)}


# ---------------------------------------------------------------- how a result is judged


def same_value(student, reference):
    """The step's result equals the reference's: tensors within a tolerance, numbers, strings and lists exactly."""
    theirs, ours = student.get("output"), reference["output"]
    if isinstance(ours, np.ndarray):
        return differs(theirs, ours)
    if isinstance(ours, list) and ours and isinstance(ours[0], np.ndarray):
        if not isinstance(theirs, list) or len(theirs) != len(ours):
            return f"expected {len(ours)} tensors, got {shorten(theirs)}"
        for index, (mine, expected) in enumerate(zip(theirs, ours, strict=True)):
            problem = differs(mine, expected, what=f"tensor {index}")
            if problem:
                return problem
        return None
    if isinstance(ours, float):
        if isinstance(theirs, bool) or not isinstance(theirs, (int, float)) or not math.isclose(
                theirs, ours, rel_tol=1e-4, abs_tol=1e-6):
            return f"returned {shorten(theirs)}, expected {ours:.6g}"
        return None
    if theirs != ours or type(theirs) is not type(ours):
        return f"returned {shorten(theirs)}, expected {shorten(ours)}"
    return None


def masked_future(student, reference):
    """The future is masked (-inf, or a number so negative that softmax gives it no weight); the rest unchanged."""
    theirs, ours = student.get("output"), reference["output"]
    if not isinstance(theirs, np.ndarray) or theirs.shape != ours.shape:
        return f"returned {shorten(getattr(theirs, 'shape', theirs))}, expected shape {ours.shape}"
    future = np.isneginf(ours)
    if not np.all(np.asarray(theirs, dtype=np.float64)[future] <= -1e4):
        return "a future position is not masked: fill the scores above the diagonal with -inf"
    return differs(np.where(future, 0.0, theirs), np.where(future, 0.0, ours), what="the unmasked scores")


def as_float_mask(student, reference):
    """A 0/1 mask, given as numbers or booleans."""
    theirs = student.get("output")
    if isinstance(theirs, np.ndarray) and theirs.dtype == bool:
        theirs = theirs.astype(np.float64)
    return differs(theirs, np.asarray(reference["output"], dtype=np.float64))


def close_to_the_dimension(dim):
    def compare(student, _):
        variance = student.get("output")
        if isinstance(variance, np.ndarray) and variance.size == 1:
            variance = float(variance)
        if isinstance(variance, bool) or not isinstance(variance, (int, float)):
            return f"returned {shorten(variance)}, not a number: the variance of the dot products, a float"
        if not 0.85 * dim <= variance <= 1.15 * dim:
            return (f"the variance of 20000 dot products of length {dim} came out {variance:.3g}, "
                    f"expected about {dim}: a dot product of length d has variance d")
        return None
    return compare


def sampled_from(probabilities):
    def compare(student, _):
        ids = student.get("output")
        rows = probabilities.shape[0]
        if not isinstance(ids, np.ndarray) or ids.shape != (rows, 1):
            return f"returned {shorten(getattr(ids, 'shape', ids))}, expected shape ({rows}, 1): one id per row"
        counts = np.bincount(ids.reshape(-1).astype(np.int64), minlength=probabilities.shape[1])
        if counts.shape[0] != probabilities.shape[1]:
            return "an id outside the vocabulary"
        distance = 0.5 * np.abs(counts / rows - probabilities[0].numpy()).sum()
        if distance > 0.05:
            return (f"the ids are not distributed as the probabilities (total variation {distance:.2f}): sample "
                    "with torch.multinomial(probabilities, num_samples=1, generator=generator)")
        return None
    return compare


def starts_in_range(unstartable, count):
    def compare(student, _):
        starts = student.get("output")
        if not isinstance(starts, np.ndarray) or starts.shape != (count,):
            return f"returned {shorten(getattr(starts, 'shape', starts))}, expected shape ({count},): one start per row"
        if starts.min() < 0 or starts.max() >= unstartable:
            return f"a start outside 0 .. {unstartable - 1}: the window would run past the end of the data"
        if len(set(starts.tolist())) < unstartable // 2:
            return f"{count} starts cover only {len(set(starts.tolist()))} of the {unstartable} possible ones"
        return None
    return compare


def same_checkpoint(student, reference):
    """The tutorial's two keys; the model's weights as they are; the optimiser's settings."""
    theirs, ours = student.get("output"), reference["output"]
    if not isinstance(theirs, dict) or sorted(theirs) != sorted(ours):
        keys = sorted(theirs) if isinstance(theirs, dict) else theirs
        return f"returned {shorten(keys)}, expected a dict with the keys {sorted(ours)}"
    model, expected = theirs["model_state_dict"], ours["model_state_dict"]
    if not isinstance(model, dict) or sorted(model) != sorted(expected):
        return "model_state_dict is not the model's state_dict()"
    for name in expected:
        problem = differs(model[name], expected[name], what=f"model_state_dict[{name!r}]")
        if problem:
            return problem
    optimiser = theirs["optimizer_state_dict"]
    if not isinstance(optimiser, dict) or optimiser.get("param_groups") != ours["optimizer_state_dict"]["param_groups"]:
        return "optimizer_state_dict is not the optimiser's state_dict()"
    return None


def optimised(student, reference):
    problem = same_value(student, reference)
    if problem or student.get("type") != "float":
        return problem or f"returned a {student.get('type')}: return loss.item(), a Python float"
    for index, (mine, expected) in enumerate(zip(student.get("weights_after") or [], reference["weights_after"],
                                                 strict=False)):
        problem = differs(mine, expected, what=f"parameter {index} after the step", rtol=1e-3, atol=1e-5)
        if problem:
            return problem + ": zero_grad, forward, backward, then the optimiser's step"
    return None


# ---------------------------------------------------------------- the steps of each chapter


def chapter_steps(label):
    """[(function, arguments for probes.probe_step, compare)] for the steps of chapter ``label``."""
    random = _random(int(label))
    x = torch.randn(2, 5, 6, generator=random)
    scores = torch.randn(2, 4, 4, generator=random)
    query, key, value = (torch.randn(2, 4, 3, generator=random) for _ in range(3))
    text = "First Citizen:\nBefore we proceed any further, hear me speak."
    chars = sorted(set(text))
    ids = [chars.index(character) for character in text]
    data = torch.tensor(ids, dtype=torch.long)
    table = {"make": "embedding", "weight": torch.randn(9, 6, generator=random)}
    steps = {
        "00": [
            ("as_batch_of_one", [[24, 43, 58, 5, 57, 1, 46, 43]], same_value),
            ("first_row_and_last_column", [torch.randn(3, 4, generator=random)], same_value),
            ("stack_windows", [[torch.randint(0, 9, (6,), generator=random) for _ in range(3)]], same_value),
            ("swap_last_two_dims", [x], same_value),
            ("batched_matmul", [torch.randn(2, 4, 3, generator=random), torch.randn(2, 3, 5, generator=random)],
             same_value),
            ("add_to_every_sequence", [x, torch.randn(5, 6, generator=random)], same_value),
            ("flatten_batch_and_time", [x], same_value),
            ("mean_keepdim", [x], same_value),
        ],
        "01": [
            ("vocabulary", [text], same_value),
            ("char_to_id", [chars], same_value),
            ("encode", [text[:20], {character: index for index, character in enumerate(chars)}], same_value),
            ("id_to_char", [chars], same_value),
            ("decode", [ids[:20], {"make": "mapping", "pairs": list(enumerate(chars))}], same_value),
            ("data_tensor", [text, {character: index for index, character in enumerate(chars)}], same_value),
            ("split_index", [101], same_value),
            ("train_val_split", [data], same_value),
            ("unstartable_index", [len(ids), 8], same_value),
            ("random_start_indices", [60, 8, 400, {"make": "generator", "seed": 3}], starts_in_range(60 - 8, 400)),
            ("input_target_windows", [data, torch.tensor([0, 5, len(ids) - 9]), 8], same_value),
        ],
        "02": [
            ("embedding_table", [9, 6], same_value),
            ("lookup", [table, torch.randint(0, 9, (2, 5), generator=random)], same_value),
        ],
        "03": [
            ("position_table", [8, 6], same_value),
            ("lookup_one_position", [table, 2], same_value),
            ("position_indices", [torch.randint(0, 9, (2, 5), generator=random)], same_value),
            ("position_vectors", [table, torch.randint(0, 9, (2, 5), generator=random)], same_value),
        ],
        "04": [("add_position_embeddings", [x, torch.randn(5, 6, generator=random)], same_value)],
        "05": [
            ("token_mean", [x, -1], same_value),
            ("token_variance", [x, -1], same_value),
            ("normalise", [x, x.mean(-1, keepdim=True), x.var(-1, keepdim=True, unbiased=False), 1e-5],
             same_value),
            ("scale_and_shift", [x, torch.randn(6, generator=random), torch.randn(6, generator=random)],
             same_value),
        ],
        "06": [
            ("dot_product_weights", [query[0, 0], key[0]], same_value),
            ("weighted_sum", [torch.rand(4, generator=random), value[0]], same_value),
            ("self_attention_unscaled", [query[0], key[0], torch.randn(4, 5, generator=random)], same_value),
            ("dot_product_variance", [16, 20000, {"make": "generator", "seed": 5}], close_to_the_dimension(16)),
            ("scale_scores", [scores, 3], same_value),
            ("normalise_by_sum", [torch.rand(2, 4, 4, generator=random) + 0.1], same_value),
            ("softmax_weights", [scores], same_value),
            ("future_mask", [5], as_float_mask),
            ("mask_future", [scores], masked_future),
            ("inverted_dropout", [torch.rand(2, 4, 4, generator=random),
                                  torch.rand(2, 4, 4, generator=random) > 0.3, 0.3], same_value),
            ("attention_scores", [query, key, 3], same_value),
            ("attend", [query, key, value, 3], same_value),
            ("head_size_for", [12, 3], same_value),
            ("project", [x, torch.randn(4, 6, generator=random)], same_value),
        ],
        "07": [
            ("head_size_for", [12, 4], same_value),
            ("concat_heads", [[torch.randn(2, 5, 2, generator=random) for _ in range(3)]], same_value),
            ("project_heads", [x, linear(random, 6, 6)], same_value),
            ("add_residual", [x, torch.randn(2, 5, 6, generator=random)], same_value),
        ],
        "08": [
            ("hidden_layer", [x, linear(random, 6, 12)], same_value),
            ("relu", [torch.randn(2, 5, 12, generator=random)], same_value),
            ("output_layer", [torch.randn(2, 5, 12, generator=random), linear(random, 12, 6)], same_value),
        ],
        "09": [
            ("attention_sublayer", [x, layer_norm(random, 6), linear(random, 6, 6)], same_value),
            ("feed_forward_sublayer", [x, layer_norm(random, 6), linear(random, 6, 6)], same_value),
            ("stack_blocks", [x, [linear(random, 6, 6) for _ in range(3)]], same_value),
        ],
        "10": [
            ("vocabulary_logits", [x, layer_norm(random, 6), linear(random, 6, 9)], same_value),
            ("next_character_probabilities", [torch.randn(2, 5, 9, generator=random)], same_value),
            ("one_hot_targets", [torch.randint(0, 9, (2, 5), generator=random), 9], same_value),
            ("flatten_for_cross_entropy", [torch.randn(2, 5, 9, generator=random),
                                           torch.randint(0, 9, (2, 5), generator=random)], same_value),
            ("cross_entropy_loss", [torch.randn(10, 9, generator=random),
                                    torch.randint(0, 9, (10,), generator=random)], same_value),
        ],
    }
    if label == "11":
        probabilities = torch.softmax(torch.randn(1, 6, generator=random) * 1.5, dim=-1).repeat(4000, 1)
        steps["11"] = [
            ("last_position_logits", [torch.randn(2, 5, 9, generator=random)], same_value),
            ("sample_greedy", [torch.softmax(torch.randn(3, 9, generator=random), dim=-1)], same_value),
            ("append_token", [torch.randint(0, 9, (2, 5), generator=random),
                              torch.randint(0, 9, (2, 1), generator=random)], same_value),
            ("sample_next_token", [probabilities, {"make": "generator", "seed": 11}], sampled_from(probabilities)),
            ("crop_context", [torch.randint(0, 9, (2, 11), generator=random), 8], same_value),
        ]
    if label == "12":
        vocab_size, width = 7, 5
        shapes = [(vocab_size, width), (vocab_size, width), (vocab_size,)]
        model = {"make": "tiny_model", "vocab_size": vocab_size, "width": width,
                 "weights": [torch.randn(shape, generator=random) for shape in shapes]}
        batch = [torch.randint(0, vocab_size, (4, 3), generator=random) for _ in range(2)]
        steps["12"] = [
            ("optimisation_step", [model, *batch], optimised, {"optimiser": 0.05, "calls": 3}),
            ("mean_loss", [[2.5, 1.5, 2.0, 3.25]], same_value),
            ("should_evaluate", [4999, 100, 5000], same_value),
            ("should_evaluate", [4900, 100, 5000], same_value),
            ("should_evaluate", [4950, 100, 5000], same_value),
            ("format_report", [4999, {"train": 1.70312, "val": 1.91204}], same_value),
            ("million_parameters", [model], same_value),
            ("checkpoint_state", [model], same_checkpoint, {"optimiser": 0.05}),
            ("complete_prompt", [{"make": "next_id_model", "vocab_size": 12},
                                 {"make": "codec", "chars": " 'Laehlprsty"}, "Let's he", 5], same_value),
        ]
    entries = []
    for item in steps.get(label, []):
        function, inputs, compare, *extra = item
        arguments = {"function": function, "inputs": inputs, **(extra[0] if extra else {})}
        entries.append((function, arguments, compare))
    return entries
