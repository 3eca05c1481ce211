"""Mistake: the split point is round(0.9 * N) instead of int(0.9 * N).

Rounding looks harmless ("it is only one token"), but with N = 101 the train
split gets 91 tokens instead of 90: the split no longer matches the one the
rest of the course (and any checkpoint trained with it) assumes.
"""

from gallery import correct_chapter

correct = correct_chapter(__name__)


class DataLoader(correct.DataLoader):
    def split_data(self):
        split_point = round(0.9 * len(self.data))  # mistake: int() truncates, round() may go up
        return self.data[:split_point], self.data[split_point:]
