"""Chapter 12, a mistake: million_parameters counts the state_dict.

The code, and why it is wrong: chapter12_trainer.py.
"""

from gallery import falls_through_to_reference

MISTAKE = "million_parameters counts the state_dict"
EXPECTED_WORDS = ("state_dict", "buffers")

__path__ = falls_through_to_reference(__path__)
