"""A bar chart of statements per month, as plain numbers for templates/_chart.html to draw in SVG.

Made at build time so it needs no JavaScript. Every month between the first and the last
statement gets a bar (empty months too, so gaps show); the same counts are listed in a
table for screen readers and for readers who prefer numbers.
"""

from __future__ import annotations

from collections import Counter

from .model import display_month


# Geometry in SVG user units; the SVG scales to the width of the page.
HEIGHT = 120  # plot area
TOP = 18  # room for the top label
BOTTOM = 24  # room for the year labels
LEFT = 8
RIGHT = 8
MIN_PLOT_WIDTH = 320
MAX_STEP = 40
MIN_STEP = 6
MIN_MONTHS = 12  # a shorter span is widened backwards, so one month is not a lone bar
TICK = 6  # a year's tick, below the axis
TICK_GAP = 3  # between a tick and its year's label
LABEL_WIDTH = 27  # a year's label, with a little room after it


def number(count: int) -> str:
    """A count as English readers write it: 10,000. Templates use it as the `number` filter."""
    return f"{count:,}"


def plural(count: int, word: str = "statement", words: str = "") -> str:
    """`words`: the plural where it is not `word` + s (person, people)."""
    return f"1 {word}" if count == 1 else f"{number(count)} {words or word + 's'}"


def months_back(last: tuple[int, int], count: int) -> tuple[int, int]:
    """The month `count - 1` months before `last`."""
    index = last[0] * 12 + last[1] - 1 - (count - 1)
    return (index // 12, index % 12 + 1)


def monthly_chart(dates, month_href, subject: str, span: tuple | None = None) -> dict | None:
    """Chart data for the given statement dates; None when there is nothing to draw.

    `month_href(year, month)` gives the link for a month (the timeline's month heading);
    `subject` names what is counted, e.g. "Statements involving Maria Zakharova"; `span`,
    ((year, month), (year, month)), draws the same months as another chart (the archive's
    whole range on entity pages, so charts can be compared).
    """
    counts = Counter((d.year, d.month) for d in dates)
    if not counts:
        return None
    first, last = span if span else (min(counts), max(counts))
    first, last = min(first, min(counts)), max(last, max(counts))
    first = min(first, months_back(last, MIN_MONTHS))
    start = first[0] * 12 + first[1] - 1  # months counted from year 0, so positions are subtractions
    months = last[0] * 12 + last[1] - 1 - start + 1
    step = max(MIN_STEP, min(MAX_STEP, MIN_PLOT_WIDTH / months))
    plot_width = step * months
    gap = max(1.0, step * 0.2)
    peak = max(counts.values())
    bars = []
    for (year, month) in sorted(counts):  # only months with statements get a bar
        count = counts[(year, month)]
        position = year * 12 + month - 1 - start
        height = round(HEIGHT * count / peak, 2)
        bars.append({"x": round(LEFT + position * step + gap / 2, 2), "y": round(TOP + HEIGHT - height, 2),
                     "width": round(step - gap, 2), "height": height,
                     "label": f"{display_month(year, month)}: {plural(count)}"})
    # A year label at the chart's first month and at every January after it; each January also gets a tick below
    # the axis, with its label just after it, so that a December's bar is seen to stand before the tick, in its own
    # year, and not over the next year's label (with the labels alone, a reader took December 2016 for 2017).
    ticks = [round(LEFT + (year * 12 - start) * step, 2) for year in range(first[0] + 1, last[0] + 1)]
    years = [{"x": LEFT, "label": str(first[0])}]
    years += [{"x": round(x + TICK_GAP, 2), "label": str(year)} for x, year in zip(ticks, range(first[0] + 1, last[0] + 1))]
    # A label that would overlap the one before it is dropped; but the chart's first label, when the chart
    # starts late in a year (December 2016), gives way to the next January's, which marks a whole year:
    # an axis reading "2016, 2018" looked as if 2017 were missing.
    spaced = []
    for year in years:
        if spaced and year["x"] - spaced[-1]["x"] < 34:
            if len(spaced) == 1 and first[1] != 1:
                spaced[-1] = year
            continue
        spaced.append(year)
    busiest = max(counts, key=lambda ym: (counts[ym], ym))
    earliest, latest = min(counts), max(counts)
    total = sum(counts.values())
    if earliest == latest:
        when = f"all in {display_month(*latest)}"
    else:
        # The busiest month, unless there is none: one statement in each, or several months tied (then the latest).
        most = counts[busiest]
        tied = sum(count == most for count in counts.values())
        busiest_said = ("one in each" if most == 1 else
                f"the most in one month is {most}, in {display_month(*busiest)}" if tied == 1 else
                f"the most in one month is {most}, in {tied} months, the latest {display_month(*busiest)}")
        when = (f"from {display_month(*earliest)} to {display_month(*latest)}, "
                f"in {plural(len(counts), 'month')}; {busiest_said}")
    summary = f"{subject}: {plural(total)}, {when}."
    if (first, last) != (earliest, latest):
        summary += f" The chart runs from {display_month(*first)} to {display_month(*last)}."
    rows = [{"month": display_month(y, m), "count": counts[(y, m)], "href": month_href(y, m)}
            for (y, m) in sorted(counts, reverse=True)]
    return {
        "title": subject + " per month",
        "summary": summary,
        # Room for the last year's label, which stands after its tick: four digits in 11px type are some 25 units.
        "width": round(max(LEFT + plot_width + RIGHT, spaced[-1]["x"] + LABEL_WIDTH), 2),
        "height": TOP + HEIGHT + BOTTOM,
        "baseline": TOP + HEIGHT,
        "left": LEFT,
        "right": round(LEFT + plot_width, 2),
        "top": TOP,
        "peak": peak,
        "peak_label": plural(peak),
        "peak_y": TOP - 5,
        "label_y": TOP + HEIGHT + 17,
        "bars": bars,
        "years": spaced,
        "ticks": [{"x": x, "y2": TOP + HEIGHT + TICK} for x in ticks],
        "rows": rows,
    }
