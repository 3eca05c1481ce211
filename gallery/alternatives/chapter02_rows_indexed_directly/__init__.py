"""Chapter 02, an alternative: rows indexed directly.

The code, and why it is right: chapter02_token_embedding.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "rows indexed directly"
# Chapters 02 and 04 check this lookup's output and its gradient: the threshold training would add
# nothing.
TRAINING = False

__path__ = falls_through_to_reference(__path__)
