"""Which implementation the tests check: the package named by ``KATA_IMPL``.

``KATA_IMPL`` names any importable package laid out like ``katas/`` (one
module per chapter, same file names). The default is ``katas``, the
learner's own work; ``reference`` is the solved curriculum; the galleries
hold others. Tests reach the implementation only through ``chapter_module``
below, so none of them is tied to one package.
"""

import importlib
import os

ENVIRONMENT_VARIABLE = "KATA_IMPL"
DEFAULT_PACKAGE = "katas"


def package_name():
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip() or DEFAULT_PACKAGE


class ImplementationNotFound(ImportError):
    pass


def import_chapter(module_name):
    """Import ``<KATA_IMPL>.<module_name>`` and return the module."""
    package = package_name()
    try:
        importlib.import_module(package)
    except ModuleNotFoundError as error:
        if error.name and package.startswith(error.name):
            raise ImplementationNotFound(
                f"{ENVIRONMENT_VARIABLE}={package!r} names no importable package: "
                "use katas (your work, the default), reference, or a package laid out like katas/"
            ) from None
        raise
    return importlib.import_module(f"{package}.{module_name}")


class ChapterModule:
    """A chapter module, imported on first use rather than at test collection.

    ``chapter_module("chapter06_attention_head").AttentionHead`` imports the
    module the first time an attribute is read. A syntax error or a missing
    name in a learner's file then fails the tests that need it, with the
    error shown, instead of breaking collection of the whole suite.
    """

    def __init__(self, module_name):
        self._module_name = module_name

    def __getattr__(self, name):
        module = import_chapter(self._module_name)
        try:
            return getattr(module, name)
        except AttributeError:
            raise AttributeError(
                f"{module.__file__} defines no {name!r}: the chapter asks for a class or function "
                f"named {name} (check the spelling against the docstring)"
            ) from None


def chapter_module(module_name):
    return ChapterModule(module_name)
