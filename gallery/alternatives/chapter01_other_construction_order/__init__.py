"""Chapter 01, an alternative: other construction order, one draw per row.

The code, and why it is right: chapter01_data_loader.py.
"""

from gallery import falls_through_to_reference

ALTERNATIVE = "other construction order, one draw per row"

__path__ = falls_through_to_reference(__path__)
