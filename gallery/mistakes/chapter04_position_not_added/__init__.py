"""Chapter 04, a mistake: position vectors not added.

The code, and why it is wrong: chapter04_embedding_module.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "position vectors not added"
EXPECTED_WORDS = ("position",)

__path__ = falls_through_to_reference(__path__)
