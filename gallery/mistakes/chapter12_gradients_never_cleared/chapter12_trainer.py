"""Mistake: optimisation_step never calls optimizer.zero_grad().

PyTorch adds each backward's gradients to the ones already there, so every
update carries all the earlier batches' gradients too.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def optimisation_step(model, optimizer, inputs, targets):
    _, loss = model(inputs, targets)  # mistake: optimizer.zero_grad() first
    loss.backward()
    optimizer.step()
    return loss.item()
