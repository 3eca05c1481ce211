"""Chapter 01, a mistake: val batches cut from the train split.

The code, and why it is wrong: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "val batches cut from the train split"
EXPECTED_WORDS = ("val split",)

__path__ = falls_through_to_reference(__path__)
