"""Chapter 01, a mistake: vocabulary in order of appearance.

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "vocabulary in order of appearance"
EXPECTED_WORDS = ('sorted',)

__path__ = falls_through_to_reference(__path__)
