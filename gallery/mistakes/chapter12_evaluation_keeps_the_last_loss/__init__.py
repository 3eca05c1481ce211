"""Chapter 12, a mistake: evaluation that keeps only the last batch's loss. The code, and why: chapter12_trainer.py."""

from gallery import falls_through_to_reference

MISTAKE = "evaluation that keeps only the last batch's loss"
EXPECTED_WORDS = ("mean loss",)

__path__ = falls_through_to_reference(__path__)
