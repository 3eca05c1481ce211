"""A statistical chapter test almost never fails a correct implementation: the odds, computed exactly.

Chapter 11's sampling test draws SAMPLING_DRAWS characters from a known distribution and fails when the
likely character's share leaves its window or a character never comes up. A correct sampler fails it with
the probability computed here from the test's own constants (exact binomial tails, no approximation).
"""

import importlib.util
import math

from kata_tools.chapters import REPO_ROOT

FALSE_FAILURE_BOUND = 1e-6


def chapter_11_tests():
    path = REPO_ROOT / "tests" / "test_chapter11_bigram_language_model.py"
    spec = importlib.util.spec_from_file_location("_chapter11_tests_for_odds", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # chapter modules load lazily: nothing of katas/ runs here
    return module


def binomial_probability(draws, probability, count):
    log = (math.lgamma(draws + 1) - math.lgamma(count + 1) - math.lgamma(draws - count + 1)
           + count * math.log(probability) + (draws - count) * math.log1p(-probability))
    return math.exp(log)


def test_the_sampling_test_fails_a_correct_sampler_with_probability_below_1e_6():
    tests = chapter_11_tests()
    draws, probability, window = tests.SAMPLING_DRAWS, tests.LIKELY_PROBABILITY, tests.SHARE_WINDOW
    low, high = probability - window, probability + window
    outside = sum(binomial_probability(draws, probability, count) for count in range(draws + 1)
                  if not low <= count / draws <= high)
    probabilities = tests.last_position_probabilities().tolist()
    a_character_never_drawn = sum((1 - each) ** draws for each in probabilities)  # union bound
    false_failure = outside + a_character_never_drawn
    assert false_failure < FALSE_FAILURE_BOUND, (
        f"a correct sampler fails chapter 11's sampling test with probability {false_failure:.2g} "
        f"(share outside the window {outside:.2g}, a character never drawn {a_character_never_drawn:.2g})"
    )
    assert outside < 1e-8 and a_character_never_drawn < 1e-17, "update the odds stated in the test's comment"
    # and the window rejects temperature 0.8 and 1.25 with the same certainty
    logits = [math.log(each) for each in probabilities]
    for temperature in (0.8, 1.25):
        weights = [math.exp(logit / temperature) for logit in logits]
        share = weights[tests.LIKELY_CHARACTER] / sum(weights)
        assert not low - window <= share <= high + window, (temperature, share)
