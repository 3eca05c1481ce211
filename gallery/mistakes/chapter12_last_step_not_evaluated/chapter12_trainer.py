"""Mistake: should_evaluate forgets the last step (total_training_steps - 1).

The final losses are never reported: 50 reports instead of the tutorial's 51.
"""

from gallery import correct_chapter

correct_chapter(__name__)


def should_evaluate(step, evaluation_frequency, total_training_steps):
    return step % evaluation_frequency == 0  # mistake: or step == total_training_steps - 1
