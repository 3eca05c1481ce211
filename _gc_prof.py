import cProfile, pstats, time
import checks.test_grading_checks as t
from kata_tools.grading import judge, checks as jc
mods = judge.reference_modules(t.LABELS)
plans = {l: jc.plan(l, mods) for l in t.LABELS}
ref = judge.reference_outputs(plans, mods)
import collections
for label in t.LABELS:
    start = time.time()
    t.test_cheap_answers_earn_nothing.__wrapped__ if False else None
    judged = ({label: plans[label]}, {label: ref[label]})
    t.LABELS_SAVED = t.LABELS
    t.LABELS = [label]
    t.test_cheap_answers_earn_nothing(judged)
    t.LABELS = t.LABELS_SAVED
    print(label, round(time.time() - start, 2))
