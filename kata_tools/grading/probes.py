"""What the judge asks of a chapter: run it on given inputs, report outputs and facts as plain data.

The same probes run twice, on the same inputs:

* inside the sandbox, on the student's ``katas`` package (``worker.py``
  runs them there and sends the results back as JSON with ``.npy`` arrays);
* in the judge's own process, on ``reference``: what the student's results
  are compared with.

A probe never decides anything: it only reports (outputs, parameter shapes,
gradients, which splits were drawn, ...). The judge compares. So this file
imports nothing of the project's, only torch and the standard library, and
whatever a student's code does to it inside the sandbox changes nothing but
the student's own results.

Arguments are passed positionally and the tutorial's call styles are both
accepted: ``TokenEmbedding.embed`` or the module's ``forward``, a model's
``forward(input_indices, None)``, ``Trainer.train`` printing (its return
value is not used; what it printed is sent back as text), ``decode`` of a
list of ints, a module wrapped by ``torch.compile`` (its parameters named
``..._orig_mod...``).

A run's arguments hold ``"cases"``: the same probe on several inputs whose
right answers differ, so that no answer that ignores its inputs passes.
"""

import contextlib
import io
import types

import torch
from torch import nn

CHAPTER_CLASSES = {
    "02": "TokenEmbedding", "03": "PositionEmbedding", "04": "EmbeddingModule", "05": "LayerNorm",
    "06": "AttentionHead", "07": "MultiHeadAttention", "08": "FeedForward", "09": "TransformerBlock",
    "10": "VocabularyLogits", "11": "BigramLanguageModel", "12": "Trainer",
}
_ALIASES = {"gamma": "weight", "beta": "bias"}
COMPILED = "_orig_mod"  # the attribute under which torch.compile's OptimizedModule keeps the module it wraps
MAX_PRINTED = 256 * 1024  # what Trainer.train prints is sent back up to this many characters


def config_of(values):
    """A config object with the given attributes (any object with them works for a chapter)."""
    return types.SimpleNamespace(**values)


# ---------------------------------------------------------------- weights


def parameter_facts(module):
    """Sorted [shape, trainable] of every parameter the module registers."""
    return sorted([list(parameter.shape), bool(parameter.requires_grad)] for parameter in module.parameters())


def load_weights(module, weights):
    """Copy ``weights`` ({reference name: tensor}) into ``module``'s parameters; return {student name: reference name}.

    Names match first (the tutorial's attribute names, read through
    ``torch.compile``'s wrappers), then ``gamma``/``beta`` as
    ``weight``/``bias``, then the remaining parameters of one shape in
    registration order. Whatever is left keeps its own values.
    """
    student = dict(module.named_parameters())
    mapping, free = {}, dict(weights)

    def take(name, reference_name):
        mapping[name] = reference_name
        del free[reference_name]

    def plain(name):
        return ".".join(part for part in name.split(".") if part != COMPILED)

    for name, parameter in student.items():
        if plain(name) in free and tuple(free[plain(name)].shape) == tuple(parameter.shape):
            take(name, plain(name))
    for name, parameter in student.items():
        if name in mapping:
            continue
        head, _, last = plain(name).rpartition(".")
        alias = f"{head}.{_ALIASES.get(last, last)}" if head else _ALIASES.get(last, last)
        if alias in free and tuple(free[alias].shape) == tuple(parameter.shape):
            take(name, alias)
    for name, parameter in student.items():
        if name in mapping:
            continue
        same_shape = [other for other, value in free.items() if tuple(value.shape) == tuple(parameter.shape)]
        if same_shape:
            take(name, same_shape[0])
    with torch.no_grad():
        for name, reference_name in mapping.items():
            student[name].copy_(weights[reference_name].to(student[name].dtype))
    return mapping


def gradients(module, mapping):
    """{reference name: gradient} of every loaded parameter (None where no gradient reached it)."""
    named = dict(module.named_parameters())
    return {reference_name: (None if named[name].grad is None else named[name].grad.detach().clone())
            for name, reference_name in mapping.items()}


# ---------------------------------------------------------------- guards


class DeviceGuard(torch.overrides.TorchFunctionMode):
    """Refuse, as a GPU does, any operation that mixes tensors of two devices ("meta" stands in for the GPU)."""

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        kwargs = kwargs or {}
        values = list(args) + list(kwargs.values())
        flat = []
        for value in values:
            flat += list(value) if isinstance(value, (list, tuple)) else [value]
        devices = {str(value.device) for value in flat if isinstance(value, torch.Tensor) and value.dim() > 0}
        if len(devices) > 1:
            raise RuntimeError(f"{getattr(func, '__name__', func)} mixes tensors on {sorted(devices)}")
        return func(*args, **kwargs)


@contextlib.contextmanager
def grad_modes():
    """Record torch.is_grad_enabled() at every module call inside the block."""
    seen = []
    handle = nn.modules.module.register_module_forward_hook(lambda *_: seen.append(torch.is_grad_enabled()))
    try:
        yield seen
    finally:
        handle.remove()


def call(module, inputs):
    """Run a module the way the tutorial does: ``embed`` where a TokenEmbedding has it, else the module."""
    embed = getattr(type(module), "embed", None)
    if callable(embed) and type(module).__name__ == "TokenEmbedding":
        return module.embed(*inputs)
    return module(*inputs)


# ---------------------------------------------------------------- probes


def probe_data_loader(chapter, arguments):
    """Chapter 01: vocabulary, encode, decode, the split, and many batches of each split."""
    torch.manual_seed(arguments["seed"])
    loader = chapter.DataLoader(arguments["text"], config_of(arguments["config"]))
    vocab_size = int(loader.vocab_size)
    outputs = {
        "vocab_size": vocab_size,
        "itoc": [loader.itoc[index] for index in range(vocab_size)],
        "ctoi": sorted([character, int(index)] for character, index in loader.ctoi.items()),
        "encoded": [int(index) for index in loader.encode(arguments["encode"])],
        "decoded": loader.decode(list(arguments["decode"])),
        "train_data": loader.train_data, "val_data": loader.val_data,
    }
    outputs["split_train"], outputs["split_val"] = loader.split_data()  # the method itself, called again
    for split in ("train", "val"):
        inputs, targets = zip(*(loader.get_batch(split) for _ in range(arguments["draws"])), strict=True)
        outputs[f"{split}_inputs"] = torch.stack(inputs)
        outputs[f"{split}_targets"] = torch.stack(targets)
        outputs[f"{split}_device"] = sorted({str(tensor.device) for tensor in inputs + targets})
    return outputs


def build(chapter, label, arguments):
    values = [config_of(value) if isinstance(value, dict) else value for value in arguments["build"]]
    return getattr(chapter, CHAPTER_CLASSES[label])(*values)


def probe_module(chapter, arguments):
    """Chapters 02-10: build with given weights, run in eval or training mode, backward, then on "meta".

    ``train``: False (eval mode), True (training mode; the eval-mode output is reported too), or
    ``"last"`` (eval mode but for the module's own ``self.dropout``, as the chapter's tests run it).
    ``meta``: after the rest, the module moved to the "meta" device runs on "meta" inputs; its output's
    shape and device, or the error it raised, are reported.
    """
    label = arguments["label"]
    torch.manual_seed(arguments["seed"])
    module = build(chapter, label, arguments)
    outputs = {"parameters": parameter_facts(module)}
    mapping = load_weights(module, arguments["weights"])
    outputs["loaded"] = sorted(mapping.values())
    inputs = arguments["inputs"]
    train = arguments.get("train", False)
    if train:
        module.eval()
        outputs["eval_output"] = call(module, inputs)
    module.train(train is True)
    if train == "last":
        dropout = getattr(getattr(module, COMPILED, module), "dropout", None)
        if isinstance(dropout, nn.Module):
            dropout.train()
    torch.manual_seed(arguments["seed"] + 1)
    output = call(module, inputs)
    outputs["output"] = output
    if "output_weights" in arguments:
        (output * arguments["output_weights"]).sum().backward()
        outputs["gradients"] = gradients(module, mapping)
    if arguments.get("meta"):
        try:
            module = module.to("meta")
            with DeviceGuard():
                output = call(module, [value.to("meta") for value in inputs])
            outputs["meta"] = {"shape": list(output.shape), "device": output.device.type}
        except Exception as error:  # noqa: BLE001 - reported; the judge fails only the "meta" check
            outputs["meta"] = {"error": f"{type(error).__name__}: {str(error)[:300]}"}
    return outputs


def probe_language_model(chapter, arguments):
    """Chapter 11: logits without targets, loss with them, and generation from a seed."""
    torch.manual_seed(arguments["seed"])
    model = build(chapter, "11", arguments)
    outputs = {"parameters": parameter_facts(model)}
    mapping = load_weights(model, arguments["weights"])
    outputs["loaded"] = sorted(mapping.values())
    model.eval()
    inputs, targets = arguments["inputs"], arguments["targets"]
    with torch.no_grad():
        logits, loss = model(inputs, None)
        outputs["logits"] = logits
        outputs["loss_without_targets"] = loss is None
        logits, loss = model(inputs, targets)
        outputs["logits_with_targets"] = logits.reshape(-1, logits.shape[-1])
        outputs["loss"] = float(loss)
    torch.manual_seed(arguments["seed"] + 1)
    generated = model.generate(arguments["prompt"], arguments["max_new_tokens"])
    outputs["generated"] = generated.detach()
    return outputs


class TinyLanguageModel(nn.Module):
    """A small model with the chapter-11 interface, for chapter 12: the trainer, not the model, is graded."""

    def __init__(self, vocab_size, width):
        super().__init__()
        self.table = nn.Embedding(vocab_size, width)
        self.dropout = nn.Dropout(0.5)
        self.head = nn.Linear(width, vocab_size)
        # A buffer, as every attention head's causal mask is: saved in the state_dict, not a parameter.
        self.register_buffer("tril", torch.tril(torch.ones(width, width)))

    def forward(self, input_indices, target_indices=None):
        logits = self.head(self.dropout(self.table(input_indices)))  # (B, T, V)
        if target_indices is None:
            return logits, None
        return logits, nn.functional.cross_entropy(logits.flatten(0, 1), target_indices.flatten())


class NextIdModel(nn.Module):
    """A stand-in language model for chapter 12's complete_prompt: generate appends (last id + 1) % V."""

    def __init__(self, vocab_size):
        super().__init__()
        self.vocab_size = vocab_size
        self.anchor = nn.Parameter(torch.zeros(1))

    def generate(self, input_indices, max_new_tokens):
        if input_indices.dim() != 2 or input_indices.dtype != torch.long:
            raise ValueError(f"generate takes a (B, T) LongTensor, got {tuple(input_indices.shape)} "
                             f"{input_indices.dtype}")
        for _ in range(max_new_tokens):
            input_indices = torch.cat((input_indices, (input_indices[:, -1:] + 1) % self.vocab_size), dim=1)
        return input_indices


class Codec:
    """A data loader's encode and decode over the given characters."""

    def __init__(self, chars):
        self.chars = chars

    def encode(self, text):
        return [self.chars.index(character) for character in text]

    def decode(self, indices):
        return "".join(self.chars[index] for index in indices)


class RecordingLoader:
    """Batches from a fixed stream per split; records which splits were asked for."""

    def __init__(self, batches):
        self.batches = batches  # {"train": (N, 2, B, T) tensor, "val": ...}
        self.drawn = []

    def get_batch(self, split):
        key = "train" if split == "train" else "val"
        count = sum(1 for drawn in self.drawn if drawn == key)
        self.drawn.append(key)
        stream = self.batches[key]
        pair = stream[count % len(stream)]
        return pair[0], pair[1]


def probe_trainer(chapter, arguments):
    """Chapter 12: two train steps, an evaluation, then a whole short training run, on a tiny model."""
    config = config_of(arguments["config"])
    batches = {"train": arguments["train_batches"], "val": arguments["val_batches"]}
    part = arguments["part"]

    def fresh():
        torch.manual_seed(arguments["seed"])
        model = TinyLanguageModel(arguments["vocab_size"], arguments["width"])
        with torch.no_grad():
            for parameter, value in zip(model.parameters(), arguments["weights"], strict=True):
                parameter.copy_(value)
        loader = RecordingLoader(batches)
        optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
        return model, loader, chapter.Trainer(model, optimizer, loader, config)

    outputs = {}
    model, loader, trainer = fresh()
    if part == "train_step":
        losses = [trainer.train_step() for _ in range(3)]
        outputs["loss_types"] = [type(loss).__name__ for loss in losses]
        outputs["losses"] = [float(loss) for loss in losses]
    elif part == "evaluate":
        model.train()
        with grad_modes() as seen:
            losses = trainer.evaluate()
        outputs["losses"] = {split: float(losses[split]) for split in ("train", "val")}
        outputs["training_after"] = model.training
        outputs["gradients_while_evaluating"] = any(seen)
    else:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            trainer.train()
        outputs["printed"] = printed.getvalue()[:MAX_PRINTED]  # read by the judge (training_log.py)
    outputs["drawn"] = loader.drawn
    outputs["weights_after"] = [parameter.detach().clone() for parameter in model.parameters()]
    return outputs


def warm_up():
    """Pay torch's first-call costs once (autograd, AdamW, the meta device, sampling), before any fork."""
    model = nn.Sequential(nn.Embedding(5, 4), nn.LayerNorm(4), nn.Dropout(0.5), nn.Linear(4, 5))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    ids = torch.tensor([[1, 2, 3]])
    logits = model(ids)
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), ids.flatten())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    torch.multinomial(torch.softmax(logits[:, -1, :], dim=-1), 1)
    scores = (logits @ logits.transpose(-2, -1)).masked_fill(torch.tril(torch.ones(3, 3)) == 0, float("-inf"))
    torch.cat([scores, scores], dim=-1).view(-1)
    with grad_modes(), torch.no_grad():
        model.eval()(ids)
    meta = model.to("meta")
    with DeviceGuard():
        meta(ids.to("meta"))


def made(value):
    """An input the judge describes as data, made into what a step takes: a layer, a generator, a list of them.

    ``{"make": "linear", "weight": (out, in), "bias": (out,) or None}``, ``{"make": "layer_norm", "weight",
    "bias"}``, ``{"make": "embedding", "weight"}``, ``{"make": "generator", "seed": int}``, ``{"make":
    "mapping", "pairs"}``, ``{"make": "tiny_model", "vocab_size", "width", "weights"}``, ``{"make":
    "next_id_model", "vocab_size"}``, ``{"make": "codec", "chars"}``; lists are made
    element by element; anything else is passed as it is.
    """
    if isinstance(value, list):
        return [made(item) for item in value]
    if not isinstance(value, dict) or "make" not in value:
        return value
    kind = value["make"]
    if kind == "generator":
        return torch.Generator().manual_seed(int(value["seed"]))
    if kind == "mapping":  # a dict with keys JSON cannot keep, e.g. id -> character
        return {key: item for key, item in value["pairs"]}
    if kind == "next_id_model":
        return NextIdModel(value["vocab_size"])
    if kind == "codec":
        return Codec(value["chars"])
    if kind == "embedding":
        table = nn.Embedding(*value["weight"].shape)
        with torch.no_grad():
            table.weight.copy_(value["weight"])
        return table
    if kind == "tiny_model":
        model = TinyLanguageModel(value["vocab_size"], value["width"])
        with torch.no_grad():
            for parameter, weight in zip(model.parameters(), value["weights"], strict=True):
                parameter.copy_(weight)
        return model.eval()  # no dropout: the update is then the same on both sides
    if kind == "linear":
        weight, bias = value["weight"], value.get("bias")
        layer = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None)
    elif kind == "layer_norm":
        weight, bias = value["weight"], value["bias"]
        layer = nn.LayerNorm(weight.shape[0])
    else:
        raise ValueError(f"the judge asked for an unknown input {kind!r}")
    with torch.no_grad():
        layer.weight.copy_(weight)
        if bias is not None:
            layer.bias.copy_(bias)
    return layer.eval()


def probe_step(chapter, arguments):
    """A step of a chapter: call the function on inputs made from the judge's description; report what it returns.

    With ``"optimiser"`` set, the first input is a model and an AdamW optimiser with that learning rate is
    made for it and passed second; the model's parameters after the call are reported too. With ``"calls"``
    the step is called that many times on the same inputs, and the last call's result is reported.
    """
    inputs = [made(value) for value in arguments["inputs"]]
    if "optimiser" in arguments:
        inputs.insert(1, torch.optim.AdamW(inputs[0].parameters(), lr=arguments["optimiser"]))
    step = getattr(chapter, arguments["function"])
    for _ in range(arguments.get("calls", 1) - 1):  # e.g. two updates in a row: stale gradients show
        step(*inputs)
    result = step(*inputs)
    if isinstance(result, nn.Module):  # a layer the step creates: what it holds, not its random values
        result = {"parameters": parameter_facts(result)}
    if isinstance(result, tuple):
        result = list(result)
    if isinstance(result, torch.Tensor):
        result = result.detach()
    outputs = {"output": result, "type": type(result).__name__}
    if "optimiser" in arguments:
        outputs["weights_after"] = [parameter.detach().clone() for parameter in inputs[0].parameters()]
    return outputs


PROBES = {"step": probe_step, "data_loader": probe_data_loader, "module": probe_module,
          "language_model": probe_language_model, "trainer": probe_trainer}


def run(chapter, probe, arguments):
    """Run one probe on the imported chapter module; returns its outputs (tensors as tensors).

    With ``arguments = {"cases": [arguments, ...]}`` the probe runs on each, and the outputs are
    ``{"cases": [outputs, ...]}`` in the same order.
    """
    if "cases" in arguments:
        return {"cases": [PROBES[probe](chapter, case) for case in arguments["cases"]]}
    return PROBES[probe](chapter, arguments)
