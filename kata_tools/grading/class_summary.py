"""Where a class stands: its points distribution and each chapter's pass rate, as a table and a PNG.

Made from the gradebook's rows (classroom.py): only graded students count;
a chapter is passed when it earned all its points.
"""

from ..chapters import CHAPTERS
from ..i18n import t, title

PNG = "summary.png"
BINS = 10  # the distribution in tenths of the maximum


def summarize(rows, labels, max_points):
    """{"students", "statuses", "graded", "bins": [(low %, high %, count)], "mean", "median",
    "chapters": {label: {"title", "pass_rate" (0..1 or None), "mean" (points or None), "max_points"}}}."""
    from .classroom import chapter_column

    statuses = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    graded = [row for row in rows if row["status"] == "graded" and row["points"] is not None]
    percents = sorted(float(row["percent"]) for row in graded)
    bins = []
    for index in range(BINS):
        low, high = 100 * index / BINS, 100 * (index + 1) / BINS
        inside = [p for p in percents if low <= p < high or (index == BINS - 1 and p == 100)]
        bins.append((low, high, len(inside)))
    titles = {entry.label: title(entry) for entry in CHAPTERS}
    chapters = {}
    for label in labels:
        earned = [row[chapter_column(label)] for row in graded if row.get(chapter_column(label)) is not None]
        full = max_points[label]
        chapters[label] = {
            "title": titles.get(label, label), "max_points": full,
            "pass_rate": (sum(points >= full for points in earned) / len(earned)) if earned else None,
            "mean": (sum(earned) / len(earned)) if earned else None,
        }
    middle = len(percents) // 2
    median = None if not percents else (percents[middle] if len(percents) % 2
                                        else (percents[middle - 1] + percents[middle]) / 2)
    return {"students": len(rows), "statuses": statuses, "graded": len(graded), "bins": bins,
            "mean": sum(percents) / len(percents) if percents else None, "median": median, "chapters": chapters}


def _percent(value):
    return "-" if value is None else f"{100 * value:.0f}%"


def print_table(summary, console=None):
    """Two rich tables: the distribution, then each chapter's pass rate (the weakest in red)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console(highlight=False)
    statuses = ", ".join(f"{status} {count}" for status, count in sorted(summary["statuses"].items()))
    console.print(t("class.summary_head", students=summary["students"], graded=summary["graded"],
                    statuses=statuses or "-"))
    if summary["mean"] is not None:
        console.print(t("class.summary_mean", mean=f"{summary['mean']:.1f}", median=f"{summary['median']:.1f}"))
    widest = max([count for _, _, count in summary["bins"]] + [1])
    console.print(t("class.summary_distribution"))
    distribution = Table()
    distribution.add_column(t("class.col_percent"), justify="right")
    distribution.add_column(t("class.col_students"), justify="right")
    distribution.add_column("")
    for low, high, count in summary["bins"]:
        bar = "█" * round(30 * count / widest)
        distribution.add_row(f"{low:.0f}-{high:.0f}", str(count), Text(bar))
    console.print(distribution)
    console.print(t("class.summary_chapters"))
    chapters = Table()
    chapters.add_column(t("class.col_chapter"))
    chapters.add_column(t("class.col_pass_rate"), justify="right")
    chapters.add_column(t("class.col_mean"), justify="right")
    for label, chapter in summary["chapters"].items():
        rate = chapter["pass_rate"]
        style = "red" if rate is not None and rate < 0.5 else None
        mean = "-" if chapter["mean"] is None else f"{chapter['mean']:.1f} / {chapter['max_points']:g}"
        chapters.add_row(Text(f"{label} {chapter['title']}"), _percent(rate), mean, style=style)
    console.print(chapters)


def write_png(summary, path):
    """The distribution (a histogram of percent) beside the chapters' pass rates, as a PNG (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(11, 4.2), dpi=100)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.4]})
    lows = [low for low, _, _ in summary["bins"]]
    left.bar(lows, [count for _, _, count in summary["bins"]], width=100 / BINS, align="edge",
             color="#4c72b0", edgecolor="white")
    left.set_xlim(0, 100)
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_xlabel("grade (% of the points)")
    left.set_ylabel("students")
    left.set_title(f"{summary['graded']} graded of {summary['students']} students")
    labels = list(summary["chapters"])
    rates = [100 * (summary["chapters"][label]["pass_rate"] or 0) for label in labels]
    colours = ["#c44e52" if rate < 50 else "#55a868" for rate in rates]
    right.bar(labels, rates, color=colours)
    right.set_ylim(0, 100)
    right.set_xlabel("chapter")
    right.set_ylabel("students with all its points (%)")
    right.set_title("each chapter's pass rate")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    return path
