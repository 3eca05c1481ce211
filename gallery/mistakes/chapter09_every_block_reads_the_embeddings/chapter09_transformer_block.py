"""Mistake: stack_blocks gives every block the embeddings, and keeps only the last output.

Block 2 must read block 1's output, or the stack is no deeper than one block.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def stack_blocks(x, blocks):
    output = x
    for block in blocks:
        output = block(x)  # mistake: block(output)
    return output
