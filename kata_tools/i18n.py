"""The learner tools and the tests speak English, Chinese or Japanese.

``KATA_LANG=en|zh|ja`` chooses; without it the locale decides (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), and anything
that is not Chinese or Japanese is English. Docstrings stay English; every
line a learner reads comes from the gettext catalogues in
``kata_tools/locale/<lang>/LC_MESSAGES/kata.po`` (compiled to the committed
``kata.mo`` by ``make messages``), in two kinds of msgid:

- the tools' first messages (the one-line stub report, the chapter summary,
  the progress table, the hints' headers, the commands' messages) are keys::

      t("state.done")                      -> "done" / "已完成" / "完了"
      t("summary.line", label="06", ...)   -> one formatted line

- the others are their own English text, with named placeholders that the
  caller fills in with ``.format``: the tests' failure messages and
  diagnoses, the test helpers, the hints' skeleton comments, make help,
  make train and make generate::

      _("expected {names} = {expected}, got {got}").format(names=..., expected=..., got=...)
      ngettext("{count} test", "{count} tests", count).format(count=count)

Without a translation the English msgid is shown; ``make test``
(checks/test_messages_translated.py) fails when a msgid lacks its Chinese or
Japanese translation, or when a translation's placeholders differ.
"""

import functools
import gettext
import os
import re
from pathlib import Path

LANGUAGES = ("en", "zh", "ja")
ENVIRONMENT_VARIABLE = "KATA_LANG"
DOMAIN = "kata"
LOCALE_DIRECTORY = Path(__file__).resolve().parent / "locale"


def _from_locale_value(value):
    value = (value or "").strip().lower()
    if value.startswith("zh"):
        return "zh"
    if value.startswith("ja"):
        return "ja"
    if value.startswith("en"):
        return "en"
    return None


def language(environment=None):
    """"en", "zh" or "ja": KATA_LANG first, then the locale, then English."""
    environment = os.environ if environment is None else environment
    chosen = _from_locale_value(environment.get(ENVIRONMENT_VARIABLE))
    if chosen:
        return chosen
    # gettext's order. LANGUAGE may list several ("ja:en"); the first one counts.
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environment.get(variable, "")
        if not value:
            continue
        chosen = _from_locale_value(value.split(":")[0])
        if chosen:
            return chosen
        if variable != "LANGUAGE":
            return "en"  # the first locale variable that is set decides, as in C ("C.UTF-8" is English)
    return "en"


@functools.lru_cache(maxsize=None)
def catalogue(lang):
    """The gettext catalogue of one language (kata_tools/locale/<lang>/LC_MESSAGES/kata.mo)."""
    return gettext.translation(DOMAIN, LOCALE_DIRECTORY, languages=[lang])


def title(entry, lang=None):
    """A chapter's title in the current language: curriculum.toml's ``title_zh``/``title_ja`` where words need
    translating ("Warm-up"), else ``title`` (class names such as AttentionHead stay as they are)."""
    return entry.titles.get(lang or language()) or entry.title


def t(key, lang=None, **values):
    """The message ``key`` in the current language, formatted with ``values``; English when it has none.

    Raises KeyError for a key no catalogue has. ``{first}`` and ``{last}`` are the first and last chapters.
    """
    text = catalogue(lang or language()).gettext(key)
    if text == key:
        text = catalogue("en").gettext(key)
        if text == key:
            raise KeyError(key)
    from .chapters import FIRST, LAST  # here, so that the language and _() need nothing outside the standard library

    return text.format(**{"first": FIRST.label, "last": LAST.label, **values}) if values else text


def _(message):
    """``message`` (an English msgid) in the current language: itself when no translation exists."""
    return catalogue(language()).gettext(message)


def ngettext(singular, plural, count):
    """``singular`` or ``plural`` (English msgids) as ``count`` asks, in the current language."""
    return catalogue(language()).ngettext(singular, plural, count)


def N_(message):
    """``message`` unchanged, marked for the catalogues: translated later with ``_(message)``."""
    return message


def display_width(text):
    """Columns ``text`` takes in a terminal: Chinese and Japanese characters take two (wcwidth)."""
    try:  # here, not at the top: the help listing (make, before .venv exists) needs no package of PyPI
        from wcwidth import wcwidth
    except ImportError:
        import unicodedata

        return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in str(text))
    return sum(max(0, wcwidth(character)) for character in str(text))


def pad(text, width):
    """``text`` padded with spaces to ``width`` terminal columns."""
    text = str(text)
    return text + " " * max(0, width - display_width(text))


_NO_LINE_START = set("，。、：；）」』！？,.;:!?)]}%")


# A command a learner copies: make with its VARIABLE=value arguments (and any before it); kata or
# python -m kata_tools with its chapter and --options (kata_tools.runner writes them); python -m / pytest.
_COMMAND = re.compile(
    r"(?:\b[A-Z_]+=\S+ )*\bmake [a-z][\w-]*(?: [A-Z_]+=(?:'[^']*'|\"[^\"]*\"|[^\s，。、；）]+))*"
    r"|!?\b(?:kata|python -m kata_tools) [a-z][\w-]*(?: \d\d)?(?: --yes| --[\w-]+ (?:\"[^\"]*\"|[^\s，。、；）\"]+))*"
    r"|\b(?:python -m|pytest) \S+(?: --?[\w-]+(?:=\S+)?)*"
)
_KEEP_TOGETHER = "\u00a0"


def _join_commands(paragraph):
    return _COMMAND.sub(lambda found: found.group(0).replace(" ", _KEEP_TOGETHER), paragraph)


def wrap(text, width):
    """Lines of at most ``width`` terminal columns.

    Breaks at spaces in English, and between characters in Chinese and
    Japanese (never putting a closing punctuation mark first on a line),
    and never inside a command (``make reset CHAPTER=03 CONFIRM=yes``, ``kata reset 03 --yes``).
    """
    lines = []
    for paragraph in _join_commands(str(text)).split("\n"):
        tokens, word = [], ""
        for character in paragraph:  # a token: a word with its trailing space, or one wide character
            if display_width(character) == 2:
                if word:
                    tokens.append(word)
                    word = ""
                tokens.append(character)
            else:
                word += character
                if character == " ":
                    tokens.append(word)
                    word = ""
        if word:
            tokens.append(word)
        line = ""
        for token in tokens:
            if line and display_width(line + token.rstrip()) > width and token[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return [line.replace(_KEEP_TOGETHER, " ") for line in lines]


def fill(text, width=None, indent=0):
    """``text`` wrapped to the terminal (at most 100 columns), for messages longer than a line.

    ``indent``: columns the caller puts before every line.
    """
    import shutil

    width = width or max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 1)
    return "\n".join(wrap(text, width - indent))
