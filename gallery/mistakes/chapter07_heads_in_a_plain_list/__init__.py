"""Chapter 07, a mistake: heads kept in a plain Python list.

The code, and why it is wrong: chapter07_multi_head_attention.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "heads kept in a plain Python list"
EXPECTED_WORDS = ("ModuleList",)

__path__ = falls_through_to_reference(__path__)
