"""Chapter 01, an alternative: vectorised get_batch, starts from torch.rand.

The code, and why it is right: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "vectorised get_batch, starts from torch.rand"

__path__ = falls_through_to_reference(__path__)
