"""``make map``: the learner's model as a tensor map, drawn by torchinfo.

Every layer with the shape that goes in, the shape that comes out, and its
parameter count, for chapter 00's ModelConfig defaults and the vocabulary of
tiny Shakespeare, like the tutorial's Tensor Map. Until chapter 11 runs,
the map shows the biggest piece that already does.

    python -m kata_tools.learner.cli map [--depth 3]
"""

import contextlib
import re
import sys

from kata_tools.chapters import CHAPTERS, defining
from kata_tools.i18n import fill, t
from kata_tools.implementation import import_chapter, package_name
from kata_tools.runner import command
from kata_tools.stubs import parse_stub

# (chapter label, module, class, how to build it, what it takes) from the whole model down to its first piece:
# the chapters with a `map` in curriculum.toml, last chapter first.
PIECES = tuple(
    (entry.label, entry.module, entry.classes[0], entry.map["build"], entry.map["input"])
    for entry in reversed(CHAPTERS) if entry.map
)


def _vocab_size():
    try:
        from data.tinyshakespeare import load_text

        return len(set(load_text()))
    except Exception:
        return 65  # tiny Shakespeare's vocabulary, when the corpus is not fetched yet


def _short_reason(error):
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    stub = parse_stub(text)
    if isinstance(error, NotImplementedError) and stub:
        return t("stub.short", what=t("stub.what", chapter=stub[0], function=stub[1]))
    return f"{type(error).__name__}: {text}"


def build(piece, config, vocab_size):
    """(module, input tensor) for one piece of the model."""
    import torch

    label, module_name, class_name, construction, takes = piece
    cls = getattr(import_chapter(module_name), class_name)
    if construction == "model":
        module = cls(vocab_size, config)
    elif construction == "head":
        module = cls(config.embedding_dim // config.num_attention_heads, config)
    elif construction == "token":
        module = cls(vocab_size, config.embedding_dim)
    else:
        module = cls(config)
    shape = (config.batch_size, config.input_sequence_length)
    if takes == "ids":
        data = torch.randint(vocab_size, shape)
    else:
        data = torch.randn(*shape, config.embedding_dim)
    return module, data


@contextlib.contextmanager
def forward_calls_visible(model):
    """While inside, ``layer.forward(x)`` runs through ``layer(x)``, so that forward hooks see it.

    torchinfo draws a layer from the hooks ``nn.Module.__call__`` runs; the tutorial calls many layers
    as ``self.key_fc.forward(x)``, which skips them. Each sub-module gets an instance ``forward`` that
    calls the module itself, unless the call already came through ``__call__`` (a pre-hook that runs
    first says so); then it is the class's own forward. Everything is put back on leaving.
    """
    undo = []
    for module in list(model.modules())[1:]:  # torchinfo calls the model itself
        if "forward" in vars(module):
            continue
        inside = []
        own_forward = module.forward

        def forward(*arguments, _module=module, _inside=inside, _own=own_forward, **keywords):
            if _inside:
                return _own(*arguments, **keywords)
            return _module(*arguments, **keywords)

        before = module.register_forward_pre_hook(lambda *_, _inside=inside: _inside.append(True), prepend=True)
        after = module.register_forward_hook(lambda *_, _inside=inside: _inside.pop() and None, always_call=True)
        module.forward = forward
        undo.append((module, before, after))
    try:
        yield model
    finally:
        for module, before, after in undo:
            del module.forward
            before.remove()
            after.remove()


def draw(depth=3, package=None, out=print):
    import torch
    import torchinfo

    package = package or package_name()
    config = import_chapter(defining("ModelConfig").module).ModelConfig()
    vocab_size = _vocab_size()
    torch.manual_seed(0)
    errors = []
    for piece in PIECES:
        try:
            module, data = build(piece, config, vocab_size)
            module.eval()
            with torch.no_grad():
                module(data)  # a piece that builds but does not run yet is not drawn
        except Exception as error:  # the learner's code: any error means "not this piece yet"
            errors.append(error)
            continue
        label, _, class_name, _, _ = piece
        if piece is not PIECES[0]:  # not the whole model yet
            out(fill(t("map.partial", reason=_short_reason(errors[0]))))
            out("")
        out(t("map.header", title=class_name, label=label, B=config.batch_size, T=config.input_sequence_length))
        with forward_calls_visible(module):  # layers called the tutorial's way, layer.forward(x), too
            summary = torchinfo.summary(
                module, input_data=[data], depth=depth, verbose=0, col_width=16,
                col_names=("input_size", "output_size", "num_params"), row_settings=("var_names",),
            )
        out(tidy_summary(str(summary)))
        heads = config.num_attention_heads
        legend = (
            f"B={config.batch_size} T={config.input_sequence_length} C=embedding_dim={config.embedding_dim} "
            f"V=vocab_size={vocab_size} H=head_size={config.embedding_dim // heads} ({heads} heads) "
            f"hidden_dim={config.hidden_dim}"
        )
        out(t("map.legend", legend=legend))
        return 0
    out(fill(t("map.nothing", reason=_short_reason(errors[-1]), command=command("map", impl="reference"))))
    return 0


_UNIT_NAMES = {"NONE": "", "KILOBYTES": "k", "MEGABYTES": "M", "GIGABYTES": "G", "TERABYTES": "T"}


def tidy_summary(text):
    """torchinfo's table, with its enum names ("Total mult-adds (Units.MEGABYTES)") written as units ("(M)")."""
    return re.sub(r"\(Units\.(\w+)\)", lambda found: f"({_UNIT_NAMES.get(found.group(1), found.group(1))})", text)


if __name__ == "__main__":
    sys.exit(draw())
