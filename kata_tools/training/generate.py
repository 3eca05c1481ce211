"""make generate: write Shakespeare-like text with the model ``make train`` saved last.

    make generate                              500 characters from a line break
    make generate PROMPT="ROMEO:" LENGTH=800   a prompt of your own (\\n in it is a line break)
    make generate SEED=7                       the same text again for the same seed
    make generate CHECKPOINT=runs/<run>/checkpoint.pt   a run of your choice
    make generate DEVICE=cpu                   on the CPU (default auto: cuda, then mps, then cpu)
    python -m kata_tools.training.generate --help       every option

The checkpoint (the newest ``runs/*/checkpoint.pt`` of a run that trained
all its steps, else the newest; or ``--checkpoint``) holds the weights,
the config they were trained with and the vocabulary.
The model is rebuilt from that config with your ``BigramLanguageModel``
(the package the checkpoint was trained with, unless ``KATA_IMPL`` or
``--impl`` names another), and your DataLoader on the corpus encodes the
prompt and decodes the text. A checkpoint whose vocabulary is not the
corpus's, or whose weights do not fit the model its config builds, is
refused with the reason: retrain with ``make train``. So is one whose
weights are not finite numbers (the run diverged). Only learnt parameters
are compared and loaded: buffers such as a causal mask are rebuilt by the
model's ``__init__``, in whatever shape it keeps them.
"""

import argparse
import os
import random
import sys
from pathlib import Path

import torch

from kata_tools.i18n import _, t
from kata_tools.implementation import ENVIRONMENT_VARIABLE
from kata_tools.runner import command
from kata_tools.training.train import (
    MODEL_SETTINGS,
    RUNS_DIR,
    TrainingError,
    _relative,
    choose_device,
    default_prompt,
    describe_device,
    encoded,
    latest_checkpoint,
    load_checkpoint,
    load_curriculum,
    read_corpus,
    run_was_interrupted,
    stub_hint,
)


def build_model(curriculum, payload, checkpoint_path):
    """The learner's BigramLanguageModel with the checkpoint's config and weights, in eval mode."""
    stored = payload["config"]
    missing = [key for key in MODEL_SETTINGS if key not in stored]
    if missing:
        raise TrainingError(_("{checkpoint_path} has no {missing} in its config: run {command} again").format(
                                checkpoint_path=checkpoint_path, missing=", ".join(missing), command=command("train")))
    config = argparse.Namespace(**stored)
    vocabulary = payload["vocabulary"]
    model = curriculum.BigramLanguageModel(len(vocabulary), config)
    state = payload["model_state"]
    model_state = dict(model.named_parameters())
    settings = ", ".join(f"{key}={stored[key]}" for key in MODEL_SETTINGS)
    # Buffers such as a stored causal mask are rebuilt by __init__; only the learnt parameters must all match.
    parameter_names = set(payload.get("parameter_names", state)) & set(state)
    mismatched = [
        _("{name}: checkpoint {checkpoint}, model {model}").format(
            name=name, checkpoint=tuple(state[name].shape), model=tuple(model_state[name].shape))
        for name in sorted(parameter_names)
        if name in model_state and state[name].shape != model_state[name].shape
    ]
    model_parameters = set(model_state)
    lacking = sorted(model_parameters - set(state))
    extra = sorted(parameter_names - set(model_state))
    if mismatched or lacking or extra:
        details = "; ".join(
            mismatched[:3]
            + ([_("the model has parameters the checkpoint lacks: {names}").format(names=", ".join(lacking[:4]))]
               if lacking else [])
            + ([_("the checkpoint has parameters the model lacks: {names}").format(names=", ".join(extra[:4]))]
               if extra else [])
        )
        raise TrainingError(
            _("{path} does not fit the model that its config ({settings}, vocabulary of {vocabulary_count}) "
              "builds with {package}: {details}. It was made with another config or implementation ({implementation}): "
              "run {command} to make a matching one").format(
                path=_relative(checkpoint_path),
                settings=settings,
                vocabulary_count=len(vocabulary),
                package=curriculum.package,
                details=details,
                implementation=payload.get("implementation"),
                command=command("train"))
        )
    diverged = [name for name in sorted(model_parameters) if not torch.isfinite(state[name]).all()]
    if diverged:
        raise TrainingError(
            _("{path} holds weights that are not finite numbers (NaN or inf, in {names}{more}): the run "
              "diverged; train again ({command}), perhaps with a lower learning rate").format(
                path=_relative(checkpoint_path),
                names=", ".join(diverged[:3]),
                more=_(" and more") if len(diverged) > 3 else "",
                command=command("train"))
        )
    model.load_state_dict({name: state[name] for name in model_parameters}, strict=False)
    return model.eval(), config


def describe_checkpoint(payload, checkpoint_path):
    """One line: which run, how many steps (and whether interrupted), its val loss."""
    losses = payload.get("losses") or {}
    total = (payload.get("recipe") or {}).get("total_training_steps")
    step = payload.get("step")
    steps = _("{step} of {total} steps").format(step=step, total=total) if total else _("{step} steps").format(
        step=step)
    interrupted = payload.get("interrupted") or run_was_interrupted(Path(checkpoint_path).parent)
    val = _(", val loss {val:.4f}").format(val=losses["val"]) if isinstance(losses.get("val"), (int, float)) else ""
    return (f"{_relative(Path(checkpoint_path).parent)}/ ({steps}{_(', interrupted') if interrupted else ''}"
            f"{val}, {payload.get('implementation')})")


def check_vocabulary(payload, data_loader, checkpoint_path, corpus_name):
    vocabulary = payload["vocabulary"]
    current = "".join(data_loader.itoc[index] for index in range(data_loader.vocab_size))
    if vocabulary != current:
        only_checkpoint = sorted(set(vocabulary) - set(current))
        only_corpus = sorted(set(current) - set(vocabulary))
        differences = []
        if only_checkpoint:
            differences.append(_("only the checkpoint has {characters!r}").format(characters=''.join(only_checkpoint)))
        if only_corpus:
            differences.append(_("only the corpus has {characters!r}").format(characters=''.join(only_corpus)))
        if not differences:
            differences.append(_("the same characters, numbered in another order"))
        raise TrainingError(
            _("{path} was trained with another vocabulary ({vocabulary_count} characters) than {corpus_name} "
              "gives ({current_count} characters): {differences}. Its character ids would mean other characters: "
              "run {command} on this corpus, or pass the corpus it was trained on (--corpus)").format(
                path=_relative(checkpoint_path),
                vocabulary_count=len(vocabulary),
                corpus_name=corpus_name,
                current_count=len(current),
                differences="; ".join(differences),
                command=command("train"))
        )


def check_prompt(prompt, vocabulary):
    unknown = sorted(set(prompt) - set(vocabulary))
    if unknown:
        raise TrainingError(
            _("the prompt has characters the model has never seen: {unknown!r}. It knows only the {vocabulary_count} "
              "characters of its training text: {vocabulary!r}").format(
                unknown=''.join(unknown), vocabulary_count=len(vocabulary), vocabulary=vocabulary)
        )


def generate(prompt="", length=500, checkpoint=None, runs_dir=RUNS_DIR, package=None, corpus=None, seed=None,
             stream=sys.stdout, chunk=1, device="auto", info=sys.stderr):
    """Write ``prompt`` and ``length`` generated characters to ``stream``; return the whole text.

    ``info`` gets the lines about which model and device are used.
    """
    device = choose_device(device)
    checkpoint_path = Path(checkpoint) if checkpoint else latest_checkpoint(runs_dir)
    if checkpoint_path is None:
        raise TrainingError(_("there is no trained model in {folder}/: run {command} first").format(
                                folder=_relative(runs_dir), command=command("train")))
    payload = load_checkpoint(checkpoint_path)
    package = package or os.environ.get(ENVIRONMENT_VARIABLE, "").strip() or payload.get("implementation")
    curriculum = load_curriculum(package)
    model, config = build_model(curriculum, payload, checkpoint_path)
    print(t("generate.model", description=describe_checkpoint(payload, checkpoint_path)), file=info)
    print(t("train.device", device=describe_device(device)), file=info, flush=True)
    model.to(device)
    config.device_type = device
    text = read_corpus(corpus)
    data_loader = curriculum.DataLoader(text, config)
    check_vocabulary(payload, data_loader, checkpoint_path, str(corpus) if corpus else "data/input.txt")
    prompt = prompt or default_prompt(payload["vocabulary"])
    check_prompt(prompt, payload["vocabulary"])
    torch.manual_seed(seed)
    indices = encoded(data_loader, prompt, device)
    stream.write(prompt)
    stream.flush()
    written = 0
    # One character at a time through your generate (it crops the context itself): the text appears as it is made.
    while written < length:
        count = min(chunk, length - written)
        indices = model.generate(indices, count)
        stream.write(data_loader.decode([int(index) for index in indices[0, -count:].tolist()]))
        stream.flush()
        written += count
        if indices.shape[1] > 4 * config.input_sequence_length:
            indices = indices[:, -config.input_sequence_length :]  # keep only what the next step can see
    stream.write("\n")
    stream.flush()
    return prompt


def _quiet_stdout():
    """After a closed pipe, point stdout at /dev/null so that Python's exit flush raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kata_tools.training.generate",
                                     description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompt", default="", help=_("text to continue (default: a line break); \\n is a line break"))
    parser.add_argument("--length", type=int, default=500, help=_("characters to write (default 500)"))
    parser.add_argument("--checkpoint", type=Path, help=_("a checkpoint.pt (default: the newest under --runs-dir)"))
    parser.add_argument("--runs-dir", type=Path, default=RUNS_DIR)
    parser.add_argument("--impl", help=_("package whose model to use (default: ${environment_variable}, else the one "
                                         "the checkpoint was trained with)").format(
                                           environment_variable=ENVIRONMENT_VARIABLE))
    parser.add_argument("--corpus", type=Path, help=_("the text the vocabulary comes from (default data/input.txt)"))
    parser.add_argument("--seed", type=int, help=_("random seed (default: a new one each time, printed at the end)"))
    parser.add_argument("--device", default="auto", help=_("auto (cuda, then mps, then cpu), cpu, cuda or mps"))
    args = parser.parse_args(argv)
    if args.length < 0:
        parser.error(_("--length must be 0 or more"))
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    try:
        generate(args.prompt.replace("\\n", "\n"), args.length, args.checkpoint, args.runs_dir, args.impl,
                 args.corpus, seed, device=args.device)
    except NotImplementedError as error:
        print(t("generate.needs_model", hint=stub_hint(error, args.impl), command=command("generate")), file=sys.stderr)
        return 2
    except TrainingError as error:
        print(t("generate.error", error=error, command=command("generate")), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # make generate | head
        _quiet_stdout()
        return 0
    print(t("generate.seed", seed=seed, command=command("generate", seed=seed)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
