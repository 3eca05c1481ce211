"""The judge's checks of the steps: the small functions a chapter teaches before its class.

Every step function in ``reference/`` has an entry here: the inputs it is
called with (made from fixed seeds, passed as data and made into layers or
generators by ``probes.made`` on both sides) and how its result is judged.
Each entry has two cases or more, inputs whose right answers differ, and a
step passes only when it answers every case: a constant, or an answer that
ignores its inputs, earns nothing. Most steps are judged by their value
against the reference's, of the type the chapter's tests ask for (a tensor,
not a list; integer ids; a Python float where the tutorial returns
``loss.item()``); the random ones by the property their section teaches (a
variance close to the dimension, samples distributed as the probabilities).
``make test`` fails when a step of ``reference/`` has no entry, or an entry
whose cases' answers do not differ (checks/test_grading*.py).
"""

import math

import numpy as np
import torch

from .compare import all_of, differs, every_case, shorten

SEED = 4321


def _random(offset):
    return torch.Generator().manual_seed(SEED + offset)


def step(function, *cases, compare=None, whole=None, **extra):
    """An entry: ``function`` called on each of ``cases`` (lists of inputs), judged by ``compare``.

    ``compare``: one comparison for every case, or a list of one per case (same_value by default).
    ``whole``: a comparison of all the cases together, after those of each case.
    ``extra``: more arguments of probes.probe_step (``optimiser``, ``calls``), the same for every case.
    """
    compare = every_case(compare or same_value)
    if whole:
        compare = all_of(compare, whole)
    return function, [{"function": function, "inputs": list(inputs), **extra} for inputs in cases], compare


def drawn_from_the_generator(first, second):
    """The results of cases ``first`` and ``second`` (the same call, generators of other seeds) differ."""
    def compare(student, _):
        theirs = student["cases"]
        if np.array_equal(np.asarray(theirs[first]["output"]), np.asarray(theirs[second]["output"])):
            return ("two generators of other seeds gave the same result: draw the random numbers from the "
                    "generator given (torch.randn(..., generator=generator))")
        return None
    return compare


def linear(random, inputs, outputs, bias=True):
    return {"make": "linear", "weight": torch.randn(outputs, inputs, generator=random) * 0.5,
            "bias": torch.randn(outputs, generator=random) * 0.5 if bias else None}


def layer_norm(random, width):
    return {"make": "layer_norm", "weight": 1 + 0.3 * torch.randn(width, generator=random),
            "bias": 0.3 * torch.randn(width, generator=random)}


# ---------------------------------------------------------------- how a result is judged


def same_value(student, reference):
    """The step's result equals the reference's, and is of its type.

    Tensors within a tolerance (a tensor, with integers for ids), lists of
    tensors element by element, Python floats within a tolerance (a float,
    not an int or a tensor: the tutorial's ``.item()``), everything else
    (ints, strings, lists, dicts) exactly and of the same type.
    """
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
        if not isinstance(theirs, float) or not math.isclose(theirs, ours, rel_tol=1e-4, abs_tol=1e-6):
            return f"returned {shorten(theirs)}, expected {ours:.6g} (a Python float)"
        return None
    if theirs != ours or type(theirs) is not type(ours):
        return f"returned {shorten(theirs)}, expected {shorten(ours)}"
    return None


def same_sequence(student, reference):
    """The same items in the same order, as a list, a string or a 1-d tensor (the tests read ``list(result)``)."""
    theirs, ours = student.get("output"), reference["output"]
    if isinstance(theirs, str):
        theirs = list(theirs)
    elif isinstance(theirs, np.ndarray) and theirs.ndim == 1 and theirs.dtype.kind in "iu":
        theirs = theirs.tolist()
    if not isinstance(theirs, list) or theirs != ours or any(
            type(mine) is not type(expected) for mine, expected in zip(theirs, ours, strict=True)):
        return f"returned {shorten(student.get('output'))}, expected {shorten(ours)}"
    return None


def same_truth(student, reference):
    """True or False as the reference's: any value ``if`` reads the same way (a bool, 0 or 1, a one-element tensor)."""
    theirs, ours = student.get("output"), reference["output"]
    if isinstance(theirs, np.ndarray) and theirs.size == 1 and theirs.dtype.kind in "biuf":
        theirs = bool(theirs.reshape(-1)[0])
    if not isinstance(theirs, (bool, int, float)) or bool(theirs) is not ours:
        return f"returned {shorten(theirs)}, expected {ours}"
    return None


def same_numbers(student, reference):
    """The reference's tensor values, of any dtype (the tests compare values only, e.g. a one-hot of floats)."""
    return differs(student.get("output"), reference["output"], any_dtype=True)


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
    return differs(student.get("output"), reference["output"], any_dtype=True)


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
        if not isinstance(ids, np.ndarray) or ids.shape != (rows, 1) or ids.dtype.kind not in "iu":
            return (f"returned {shorten(getattr(ids, 'shape', ids))}, expected integer ids of shape ({rows}, 1): "
                    "one id per row")
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
        if not isinstance(starts, np.ndarray) or starts.shape != (count,) or starts.dtype.kind not in "iu":
            return (f"returned {shorten(getattr(starts, 'shape', starts))}, expected integer starts of shape "
                    f"({count},): one start per row")
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
    theirs, ours = student.get("weights_after"), reference["weights_after"]
    if not isinstance(theirs, list) or len(theirs) != len(ours):
        return "the model's parameters after the step are missing"
    for index, (mine, expected) in enumerate(zip(theirs, ours, strict=True)):
        problem = differs(mine, expected, what=f"parameter {index} after the step", rtol=1e-3, atol=1e-5)
        if problem:
            return problem + ": zero_grad, forward, backward, then the optimiser's step"
    return None



# ---------------------------------------------------------------- the steps of each chapter


def chapter_steps(label):
    """[(function, arguments for probes.probe_step, compare)] for the steps of chapter ``label``.

    The arguments hold ``"cases"``: the inputs of each call. The first case's inputs come from one
    generator, the other cases' from another, so that adding a case never changes the first.
    """
    random, other = _random(int(label)), _random(100 + int(label))
    x = torch.randn(2, 5, 6, generator=random)
    y = torch.randn(3, 4, 6, generator=other)  # the second case's input, of another shape
    scores = torch.randn(2, 4, 4, generator=random)
    scores_2 = torch.randn(1, 3, 3, generator=other)
    query, key, value = (torch.randn(2, 4, 3, generator=random) for _ in range(3))
    query_2, key_2, value_2 = (torch.randn(1, 5, 2, generator=other) for _ in range(3))
    text = "First Citizen:\nBefore we proceed any further, hear me speak."
    text_2 = "All:\nSpeak, speak.\n\nFirst Citizen:\nYou are all resolved rather to die than to famish?"
    chars, chars_2 = sorted(set(text)), sorted(set(text_2))
    to_id, to_id_2 = ({character: index for index, character in enumerate(c)} for c in (chars, chars_2))
    ids, ids_2 = [to_id[character] for character in text], [to_id_2[character] for character in text_2]
    data, data_2 = torch.tensor(ids, dtype=torch.long), torch.tensor(ids_2, dtype=torch.long)
    table = {"make": "embedding", "weight": torch.randn(9, 6, generator=random)}
    table_2 = {"make": "embedding", "weight": torch.randn(7, 4, generator=other)}
    steps = {
        "00": [
            step("as_batch_of_one", [[24, 43, 58, 5, 57, 1, 46, 43]], [[5, 1, 9]]),
            step("first_row_and_last_column", [torch.randn(3, 4, generator=random)],
                 [torch.randn(2, 5, generator=other)]),
            step("stack_windows", [[torch.randint(0, 9, (6,), generator=random) for _ in range(3)]],
                 [[torch.randint(0, 9, (4,), generator=other) for _ in range(2)]]),
            step("swap_last_two_dims", [x], [y]),
            step("batched_matmul", [torch.randn(2, 4, 3, generator=random), torch.randn(2, 3, 5, generator=random)],
                 [torch.randn(3, 2, 4, generator=other), torch.randn(3, 4, 2, generator=other)]),
            step("add_to_every_sequence", [x, torch.randn(5, 6, generator=random)],
                 [y, torch.randn(4, 6, generator=other)]),
            step("flatten_batch_and_time", [x], [y]),
            step("mean_keepdim", [x], [y]),
        ],
        "01": [
            step("vocabulary", [text], [text_2], compare=same_sequence),
            step("char_to_id", [chars], [chars_2]),
            step("encode", [text[:20], to_id], [text_2[:15], to_id_2], compare=same_sequence),
            step("id_to_char", [chars], [chars_2]),
            step("decode", [ids[:20], {"make": "mapping", "pairs": list(enumerate(chars))}],
                 [ids_2[:15], {"make": "mapping", "pairs": list(enumerate(chars_2))}]),
            step("data_tensor", [text, to_id], [text_2, to_id_2]),
            step("split_index", [101], [50]),
            step("train_val_split", [data], [data_2]),
            step("unstartable_index", [len(ids), 8], [30, 4]),
            step("random_start_indices", [60, 8, 400, {"make": "generator", "seed": 3}],
                 [30, 10, 300, {"make": "generator", "seed": 4}],
                 compare=[starts_in_range(60 - 8, 400), starts_in_range(30 - 10, 300)]),
            step("input_target_windows", [data, torch.tensor([0, 5, len(ids) - 9]), 8],
                 [data_2, torch.tensor([3, len(ids_2) - 5]), 4]),
        ],
        "02": [
            step("embedding_table", [9, 6], [5, 3]),
            step("lookup", [table, torch.randint(0, 9, (2, 5), generator=random)],
                 [table_2, torch.randint(0, 7, (3, 2), generator=other)]),
        ],
        "03": [
            step("position_table", [8, 6], [4, 3]),
            step("lookup_one_position", [table, 2], [table_2, 5]),
            step("position_indices", [torch.randint(0, 9, (2, 5), generator=random)],
                 [torch.randint(0, 9, (3, 7), generator=other)]),
            step("position_vectors", [table, torch.randint(0, 9, (2, 5), generator=random)],
                 [table_2, torch.randint(0, 9, (3, 3), generator=other)]),
        ],
        "04": [step("add_position_embeddings", [x, torch.randn(5, 6, generator=random)],
                    [y, torch.randn(4, 6, generator=other)])],
        "05": [
            step("token_mean", [x, -1], [y, -1]),
            step("token_variance", [x, -1], [y, -1]),
            step("normalise", [x, x.mean(-1, keepdim=True), x.var(-1, keepdim=True, unbiased=False), 1e-5],
                 [y, y.mean(-1, keepdim=True), y.var(-1, keepdim=True, unbiased=False), 0.5]),
            step("scale_and_shift", [x, torch.randn(6, generator=random), torch.randn(6, generator=random)],
                 [y, torch.randn(6, generator=other), torch.randn(6, generator=other)]),
        ],
        "06": [
            step("dot_product_weights", [query[0, 0], key[0]], [query_2[0, 0], key_2[0]]),
            step("weighted_sum", [torch.rand(4, generator=random), value[0]],
                 [torch.rand(5, generator=other), value_2[0]]),
            step("self_attention_unscaled", [query[0], key[0], torch.randn(4, 5, generator=random)],
                 [query_2[0], key_2[0], torch.randn(5, 3, generator=other)]),
            step("dot_product_variance", [16, 20000, {"make": "generator", "seed": 5}],
                 [64, 20000, {"make": "generator", "seed": 6}], [16, 20000, {"make": "generator", "seed": 7}],
                 compare=[close_to_the_dimension(16), close_to_the_dimension(64), close_to_the_dimension(16)],
                 whole=drawn_from_the_generator(0, 2)),
            step("scale_scores", [scores, 3], [scores_2, 5]),
            step("normalise_by_sum", [torch.rand(2, 4, 4, generator=random) + 0.1],
                 [torch.rand(1, 3, 3, generator=other) + 0.1]),
            step("softmax_weights", [scores], [scores_2]),
            step("future_mask", [5], [3], compare=as_float_mask),
            step("mask_future", [scores], [scores_2], compare=masked_future),
            step("inverted_dropout",
                 [torch.rand(2, 4, 4, generator=random), torch.rand(2, 4, 4, generator=random) > 0.3, 0.3],
                 [torch.rand(1, 3, 3, generator=other), torch.rand(1, 3, 3, generator=other) > 0.5, 0.5]),
            step("attention_scores", [query, key, 3], [query_2, key_2, 2]),
            step("attend", [query, key, value, 3], [query_2, key_2, value_2, 2]),
            step("head_size_for", [12, 3], [12, 4]),
            step("project", [x, torch.randn(4, 6, generator=random)], [y, torch.randn(2, 6, generator=other)]),
        ],
        "07": [
            step("head_size_for", [12, 4], [8, 2]),
            step("concat_heads", [[torch.randn(2, 5, 2, generator=random) for _ in range(3)]],
                 [[torch.randn(1, 3, 4, generator=other) for _ in range(2)]]),
            step("project_heads", [x, linear(random, 6, 6)], [y, linear(other, 6, 6)]),
            step("add_residual", [x, torch.randn(2, 5, 6, generator=random)],
                 [y, torch.randn(3, 4, 6, generator=other)]),
        ],
        "08": [
            step("hidden_layer", [x, linear(random, 6, 12)], [y, linear(other, 6, 10)]),
            step("relu", [torch.randn(2, 5, 12, generator=random)], [torch.randn(3, 4, 10, generator=other)]),
            step("output_layer", [torch.randn(2, 5, 12, generator=random), linear(random, 12, 6)],
                 [torch.randn(3, 4, 10, generator=other), linear(other, 10, 6)]),
        ],
        "09": [
            step("attention_sublayer", [x, layer_norm(random, 6), linear(random, 6, 6)],
                 [y, layer_norm(other, 6), linear(other, 6, 6)]),
            step("feed_forward_sublayer", [x, layer_norm(random, 6), linear(random, 6, 6)],
                 [y, layer_norm(other, 6), linear(other, 6, 6)]),
            step("stack_blocks", [x, [linear(random, 6, 6) for _ in range(3)]],
                 [y, [linear(other, 6, 6) for _ in range(2)]]),
        ],
        "10": [
            step("vocabulary_logits", [x, layer_norm(random, 6), linear(random, 6, 9)],
                 [y, layer_norm(other, 6), linear(other, 6, 7)]),
            step("next_character_probabilities", [torch.randn(2, 5, 9, generator=random)],
                 [torch.randn(3, 4, 7, generator=other)]),
            step("one_hot_targets", [torch.randint(0, 9, (2, 5), generator=random), 9],
                 [torch.randint(0, 7, (3, 4), generator=other), 7], compare=same_numbers),
            step("flatten_for_cross_entropy", [torch.randn(2, 5, 9, generator=random),
                                               torch.randint(0, 9, (2, 5), generator=random)],
                 [torch.randn(3, 4, 7, generator=other), torch.randint(0, 7, (3, 4), generator=other)]),
            step("cross_entropy_loss", [torch.randn(10, 9, generator=random),
                                        torch.randint(0, 9, (10,), generator=random)],
                 [torch.randn(12, 7, generator=other), torch.randint(0, 7, (12,), generator=other)]),
        ],
    }
    if label == "11":
        probabilities = torch.softmax(torch.randn(1, 6, generator=random) * 1.5, dim=-1).repeat(4000, 1)
        probabilities_2 = torch.softmax(torch.randn(1, 5, generator=other) * 1.5, dim=-1).repeat(3000, 1)
        steps["11"] = [
            step("last_position_logits", [torch.randn(2, 5, 9, generator=random)],
                 [torch.randn(3, 4, 7, generator=other)]),
            step("sample_greedy", [torch.softmax(torch.randn(3, 9, generator=random), dim=-1)],
                 [torch.softmax(torch.randn(4, 7, generator=other), dim=-1)]),
            step("append_token", [torch.randint(0, 9, (2, 5), generator=random),
                                  torch.randint(0, 9, (2, 1), generator=random)],
                 [torch.randint(0, 9, (3, 2), generator=other), torch.randint(0, 9, (3, 1), generator=other)]),
            step("sample_next_token", [probabilities, {"make": "generator", "seed": 11}],
                 [probabilities_2, {"make": "generator", "seed": 12}],
                 compare=[sampled_from(probabilities), sampled_from(probabilities_2)]),
            step("crop_context", [torch.randint(0, 9, (2, 11), generator=random), 8],
                 [torch.randint(0, 9, (3, 6), generator=other), 4]),
        ]
    if label == "12":

        def tiny_model(generator, vocab_size, width):
            shapes = [(vocab_size, width), (vocab_size, width), (vocab_size,)]
            return {"make": "tiny_model", "vocab_size": vocab_size, "width": width,
                    "weights": [torch.randn(shape, generator=generator) for shape in shapes]}

        model, model_2 = tiny_model(random, 7, 5), tiny_model(other, 6, 3)
        batch = [torch.randint(0, 7, (4, 3), generator=random) for _ in range(2)]
        batch_2 = [torch.randint(0, 6, (2, 5), generator=other) for _ in range(2)]
        steps["12"] = [
            step("optimisation_step", [model, *batch], [model_2, *batch_2], compare=optimised, optimiser=0.05,
                 calls=3),
            step("mean_loss", [[2.5, 1.5, 2.0, 3.25]], [[1.0, 4.5]]),
            step("should_evaluate", [4999, 100, 5000], [4998, 100, 5000], compare=same_truth),
            step("should_evaluate", [4900, 100, 5000], [4950, 100, 5000], compare=same_truth),
            step("should_evaluate", [4950, 100, 5000], [0, 100, 5000], compare=same_truth),
            step("format_report", [4999, {"train": 1.70312, "val": 1.91204}], [0, {"train": 2.30801, "val": 2.30952}]),
            step("million_parameters", [model], [model_2]),
            step("checkpoint_state", [model], [model_2], compare=same_checkpoint, optimiser=0.05),
            step("complete_prompt", [{"make": "next_id_model", "vocab_size": 12},
                                     {"make": "codec", "chars": " 'Laehlprsty"}, "Let's he", 5],
                 [{"make": "next_id_model", "vocab_size": 12}, {"make": "codec", "chars": " 'Laehlprsty"}, "he", 3]),
        ]
    return [(function, {"function": function, "cases": cases}, compare)
            for function, cases, compare in steps.get(label, [])]
