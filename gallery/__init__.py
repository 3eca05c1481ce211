"""The galleries: wrong implementations our tests must catch, right ones they must accept.

    gallery/mistakes/<name>/       one chapter module with one classic mistake in it
    gallery/alternatives/<name>/   one chapter module, correct but written differently

Every entry is a package laid out like ``katas/`` that holds ONE chapter
module; every other chapter falls through to ``reference/``. So
``KATA_IMPL=gallery.mistakes.chapter06_no_causal_mask make chapter06`` shows
what a learner who forgot the mask would see, and a later chapter's
``from .chapter06_attention_head import AttentionHead`` picks up the entry's
AttentionHead, not the reference's.

An entry's ``__init__.py`` says what it is (one source of truth):

    MISTAKE = "no causal mask"          # or ALTERNATIVE = "-1e9 instead of -inf"
    EXPECTED_WORDS = ("causal",)        # mistakes: words the failure message must contain
    TRAINING = True                     # also run the tests marked `training` (default: alternatives only)
    KNOWN_GAP = "..."                   # optional: why the tests miss it (or reject it) for now, and the fix
    __path__ = falls_through_to_reference(__path__)

A KNOWN_GAP entry is reported, not failed, by ``make test``; once the tests
catch (or accept) it, ``make test`` fails until the KNOWN_GAP line is gone.

``make mistakes`` and ``make alternatives`` run them (kata_tools/dev/mistakes.py);
``make test`` checks them (checks/test_gallery.py).
"""

import importlib.util
import sys
from pathlib import Path

REFERENCE_DIRECTORY = Path(__file__).resolve().parent.parent / "reference"


def falls_through_to_reference(package_path):
    """The ``__path__`` of a gallery entry: its own directory first, then ``reference/``."""
    return [*package_path, str(REFERENCE_DIRECTORY)]


def correct_chapter(module_name):
    """The reference version of the chapter module ``module_name``, wired into the same gallery entry.

    A mistake subclasses the correct class and overrides only the method it
    gets wrong:

        correct = correct_chapter(__name__)

        class AttentionHead(correct.AttentionHead):
            def forward(self, x): ...   # the mistake

    Everything else the entry does not define (the chapter's other functions
    and classes) falls through to this correct module, so an entry holds its
    mistake and nothing more.

    Importing ``reference.chapter07_multi_head_attention`` instead would build
    ``reference``'s AttentionHead objects, a different class from the
    entry's own ``AttentionHead``; this copy's relative imports resolve inside
    the entry, so the classes a test compares with are the ones it builds.
    """
    package, _, chapter_module = module_name.rpartition(".")
    name = f"{package}._correct_{chapter_module}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REFERENCE_DIRECTORY / f"{chapter_module}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    correct = sys.modules[name]
    entry = sys.modules.get(module_name)
    if entry is not None and "__getattr__" not in vars(entry):
        entry.__getattr__ = lambda attribute: getattr(correct, attribute)  # PEP 562: names it does not define
    return correct
