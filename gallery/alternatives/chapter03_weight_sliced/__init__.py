"""Chapter 03, an alternative: first T rows sliced.

The code, and why it is right: chapter03_position_embedding.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "first T rows sliced"
# Chapters 03 and 04 check these rows and their gradient: the threshold training would add nothing.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
