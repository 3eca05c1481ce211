"""Chapter 04, a mistake: position table sized by the vocabulary.

The code, and why it is wrong: chapter04_embedding_module.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "position table sized by the vocabulary"
EXPECTED_WORDS = ("input_sequence_length",)

__path__ = falls_through_to_reference(__path__)
