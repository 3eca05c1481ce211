"""Mistake: ``sum(value.numel() for value in model.state_dict().values()) / 1e6``.

The state_dict holds the buffers too: every head's causal mask ``tril``.
They are saved with the model but are not parameters, so the learner's GPT
would print a number other than the tutorial's 0.209729.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def million_parameters(model):
    return sum(value.numel() for value in model.state_dict().values()) / 1e6  # mistake: model.parameters()
