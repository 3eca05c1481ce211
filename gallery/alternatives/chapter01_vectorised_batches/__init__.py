"""Chapter 01, an alternative: vectorised get_batch, starts from torch.rand.

The code, and why it is right: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "vectorised get_batch, starts from torch.rand"
KNOWN_GAP = (
    "reference/chapter11 flattens the targets with .view, which fails on non-contiguous batches (these are "
    "slices of one (B, T + 1) tensor): it should use .reshape, and tests/test_chapter11 should feed such targets"
)

__path__ = falls_through_to_reference(__path__)
