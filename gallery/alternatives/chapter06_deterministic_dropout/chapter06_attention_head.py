"""Alternative: ``self.dropout = DeterministicDropout(config.dropout_rate)``, as the tutorial writes it.

The tutorial's chapters 06-11 use its own seeded dropout so that their printed
check points repeat; the chapter gives the class. Dropout with its own
generator is dropout all the same: the tests must accept it.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)
DeterministicDropout = correct.DeterministicDropout  # given code in the kata, above the class


class AttentionHead(correct.AttentionHead):
    def __init__(self, head_size, config):
        super().__init__(head_size, config)
        self.dropout = DeterministicDropout(config.dropout_rate)
