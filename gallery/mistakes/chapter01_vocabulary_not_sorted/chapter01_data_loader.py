"""Mistake: characters are numbered in the order they first appear, not sorted.

``list(dict.fromkeys(text))`` (or ``list(set(text))``, whose order even changes
from run to run) gives a perfectly usable vocabulary, but not *the*
vocabulary: ids differ from everyone else's, and a model saved by one run
decodes to gibberish in another.
"""

import torch

from gallery import correct_chapter

correct = correct_chapter(__name__)


class DataLoader(correct.DataLoader):
    def __init__(self, text, config):
        self.config = config
        if len(text) < config.input_sequence_length + 1:
            raise ValueError("the text is shorter than one window of input_sequence_length + 1 characters")
        characters = list(dict.fromkeys(text))  # mistake: first-appearance order, not sorted(set(text))
        self.vocab_size = len(characters)
        self.ctoi = {character: index for index, character in enumerate(characters)}
        self.itoc = {index: character for index, character in enumerate(characters)}
        self.data = torch.tensor(self.encode(text), dtype=torch.long)
        self.train_data, self.val_data = self.split_data()
