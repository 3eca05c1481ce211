"""The learner's code that make train runs: its classes, and what to write first when a stub is hit."""

import os
from types import SimpleNamespace

from kata_tools.chapters import defining
from kata_tools.i18n import _, title
from kata_tools.implementation import ENVIRONMENT_VARIABLE, ImplementationNotFound, import_chapter, package_name
from kata_tools.runner import command
from kata_tools.stubs import parse_stub
from kata_tools.training.recipes import TrainingError

# ---------------------------------------------------------------- the learner's code


def load_curriculum(package=None):
    """The DataLoader, BigramLanguageModel and Trainer classes of ``package`` (default: KATA_IMPL)."""
    package = package or package_name()
    previous = os.environ.get(ENVIRONMENT_VARIABLE)
    os.environ[ENVIRONMENT_VARIABLE] = package
    try:
        classes = {}
        for name in ("DataLoader", "BigramLanguageModel", "Trainer"):
            module = defining(name).module  # curriculum.toml says which chapter builds it
            try:
                classes[name] = getattr(import_chapter(module), name)
            except ImplementationNotFound as error:
                raise TrainingError(str(error)) from None
            except AttributeError:
                raise TrainingError(_("{package}/{module}.py defines no {name}: check the spelling").format(
                                        package=package, module=module, name=name)) from None
    finally:
        if previous is None:
            os.environ.pop(ENVIRONMENT_VARIABLE, None)
        else:
            os.environ[ENVIRONMENT_VARIABLE] = previous
    return SimpleNamespace(package=package, **classes)


TRAINING_NEEDS = ("chapter01_data_loader", "chapter11_bigram_language_model", "chapter12_trainer")


def chapters_training_needs():
    """The chapters whose code ``make train`` runs: 01's DataLoader, 12's Trainer, 11's model and what it imports."""
    from kata_tools.chapters import CHAPTERS
    from kata_tools.learner.state import dependencies

    needed = {}
    for entry in CHAPTERS:
        if entry.module in TRAINING_NEEDS:  # the reference's imports: a learner's may not be written yet
            for dependency in dependencies(entry, "reference"):
                needed[dependency.number] = dependency
    return [needed[number] for number in sorted(needed)]


def first_unwritten_chapter(package=None):
    """The first chapter training needs whose kata is still the untouched stubs, or None."""
    from kata_tools.learner.state import is_untouched

    try:
        return next((entry for entry in chapters_training_needs() if is_untouched(entry, package)), None)
    except Exception:  # a guess for the message only
        return None


def stub_hint(error, package=None):
    """What to write first, for a stub's NotImplementedError: the first unwritten chapter training needs."""
    first = first_unwritten_chapter(package)
    found = parse_stub(error, anywhere=True)
    if first is not None and (found is None or int(found[0]) >= first.number):
        needed = chapters_training_needs()
        what = _(": write {function}").format(function=found[1]) if found and found[0] == first.label else ""
        return (_("training runs chapters {first}-{last}; the first of them not written yet is chapter {label} "
                  "{title}{what} — run {command}").format(
                    first=needed[0].label, last=needed[-1].label, label=first.label, title=title(first), what=what,
                    command=command("chapter" + first.label)))
    if found:
        label, what = found
        return _("chapter {label}: write {what} — run {command}").format(
            label=label, what=what, command=command("chapter" + label))
    return _("a function is not written yet ({error}) — {command} shows which").format(
               error=error or "NotImplementedError", command=command("chapter12"))


