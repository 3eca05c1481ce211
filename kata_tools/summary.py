"""The end-of-run summary of the chapter tests (used by the pytest plugin).

One line per chapter, e.g. ``chapter 06 AttentionHead  5/9 green  in progress``, then
what to do next: the step to write now, or after a green chapter the first later
chapter not done yet.

Messages follow ``KATA_LANG`` (en, zh, ja; see kata_tools.i18n).
"""

from .chapters import CHAPTERS
from .i18n import display_width, fill, pad, t, title
from .runner import command


class ChapterSummary:
    """The summary lines of a ``ChapterRecorder``: what each chapter's results say, and what comes next."""

    def summary_lines(self, results, whole):
        """[(text, markup)] for the end of the run."""
        from kata_tools.learner.state import DONE, LOCKED, is_untouched, own_state, remembered

        if not results:
            return []
        by_label = {entry.label: entry for entry in CHAPTERS}
        width = max(display_width(title(by_label[label])) for label in results)
        lines = [("", {}), (f"---- {t('summary.title')} ----", {"bold": True})]
        next_line, hintless = None, False
        texts = {
            label: t("summary.line", label=label, title=pad(title(by_label[label]), width),
                     green=results[label].green, total=results[label].total)
            for label in results
        }
        text_width = max(display_width(text) for text in texts.values())
        for label in sorted(results):
            entry, result = by_label[label], results[label]
            text = pad(texts[label], text_width)
            if label in self.environment:
                lines.append((text, {}))
                if next_line is None:
                    next_line, hintless = t("summary.environment", message=self.environment[label]), True
                continue
            if label not in whole:
                lines.append((f"{text}  {t('summary.partial')}", {}))
                continue
            state = own_state(result, is_untouched(entry, self.package))
            blocker = self._earlier_not_done(entry, results, whole, remembered)
            if blocker is not None and state != DONE:
                state = LOCKED
            markup = {"green": True} if state == DONE else {"yellow": True} if state != LOCKED else {}
            lines.append((f"{text}  {t('state.' + state)}", markup))
            if state == LOCKED and next_line is None:
                next_line = t("summary.locked", label=blocker.label, command=command(f"chapter{blocker.label}"))
                hintless = True
            elif state != DONE and next_line is None:
                next_line = self._next_step(entry, result)
        if next_line:
            first, *rest = next_line.split("\n")
            lines.append((first, {"bold": True}))
            lines += [(line, {}) for line in rest]
            if not hintless:
                lines.append((t("summary.stuck", command=command("hint")), {}))
        elif all(results[label].done for label in results):
            lines.append((self._after_green(results, whole, remembered), {"green": True}))
        return lines

    def _step_line(self, entry, result, step):
        """"next: chapter 06, step 3 of 18: scale_scores at katas/...py:84", the command, and why it is red."""
        tests = [test for test in result.tests if test.get("kata") == step.function and test["outcome"] != "passed"]
        failing = tests[0] if tests else None
        text = t("summary.next_step", label=entry.label, index=step.index, count=step.count,
                 function=step.function, where=step.where)
        if failing is None or failing["stub"]:
            return text + "\n  " + t("summary.step_run", command=command(f"chapter{entry.label}"))
        name = failing["id"].split("::")[-1].split("[")[0]
        text += "\n  " + t("summary.step_test", test=name, command=command(f"chapter{entry.label}", test=name))
        message = failing["message"].split("\n\n")[0].strip() if failing["message"] else ""
        if message:  # whole: the most specific diagnosis comes first and is never cut off
            text += "\n" + "\n".join("  " + line for line in fill(message, indent=2).splitlines())
        return text

    def _after_green(self, results, whole, remembered):
        """What to do after a green run: the first later chapter not done yet, or training once all are."""
        last = max(results)
        if last not in whole:
            return t("summary.all_green")
        for entry in CHAPTERS[int(last) + 1:]:
            try:
                result = remembered(entry, self.package, self.keys.get(entry.label))
            except Exception:  # remembered results are a convenience: without them, name the next chapter
                result = None
            if result is None or not result.done:
                return t("summary.next_chapter", done=last, label=entry.label, title=title(entry),
                         command=command(f"chapter{entry.label}"))
        return t("summary.train", command=command("train"))

    def _earlier_not_done(self, entry, results, whole, remembered):
        """The first earlier chapter known not to be done (from this run, or remembered), or None."""
        for earlier in CHAPTERS[: entry.number]:
            if earlier.label in whole:
                result = results[earlier.label]
            else:
                try:
                    result = remembered(earlier, self.package, self.keys.get(earlier.label))
                except Exception:
                    result = None
            if result is not None and not result.done:
                return earlier
        return None

    def _next_step(self, entry, result):
        from kata_tools.learner.state import current_step

        try:
            step = current_step(entry, result, self.package)
        except Exception:  # naming the step is a convenience: fall back to the first failing test
            step = None
        if step is not None:
            return self._step_line(entry, result, step)
        failing = result.first_failing()
        if failing is None:
            return None
        if failing["stub"] and failing.get("function"):
            from kata_tools.learner.state import kata_path, relative

            where = failing.get("where") or relative(kata_path(entry, self.package))
            return t("summary.next_stub", function=failing["function"], path=where)
        name = failing["id"].split("::")[-1].split("[")[0]
        message = failing["message"].split("\n\n")[0].strip() if failing["message"] else ""
        text = t("summary.next_test", test=name, command=command(f"chapter{entry.label}", test=name))
        if message:  # whole: the most specific diagnosis comes first and is never cut off
            text += "\n" + "\n".join("  " + line for line in fill(message, indent=2).splitlines())
        return text
