"""The monthly chart: every month in range gets a slot, the numbers add up, and the text says what the bars say."""

from __future__ import annotations

import datetime as dt
import re

from statement_archive.chart import MIN_MONTHS, months_back, monthly_chart, number, plural


def href(year, month):
    return f"/timeline/#y{year}-{month:02d}"


def test_months_back_crosses_years():
    assert months_back((2017, 2), 4) == (2016, 11)
    assert months_back((2020, 5), 1) == (2020, 5)
    assert months_back((2025, 3), MIN_MONTHS) == (2024, 4)


def test_no_dates_means_no_chart():
    assert monthly_chart([], href, "Statements") is None


def test_bars_counts_and_table_agree():
    dates = [dt.date(2023, 2, 26), dt.date(2023, 2, 1), dt.date(2024, 1, 5), dt.date(2025, 6, 30)]
    chart = monthly_chart(dates, href, "Statements in the archive")
    assert [row["count"] for row in chart["rows"]] == [1, 1, 2]  # newest month first
    assert [row["month"] for row in chart["rows"]] == ["June 2025", "January 2024", "February 2023"]
    assert chart["rows"][-1]["href"] == "/timeline/#y2023-02"
    assert len(chart["bars"]) == 3  # empty months get a slot, not a bar
    tallest = max(chart["bars"], key=lambda b: b["height"])
    assert tallest["label"] == "February 2023: 2 statements"
    assert tallest["y"] == chart["top"] and tallest["y"] + tallest["height"] == chart["baseline"]
    assert chart["peak_label"] == "2 statements"
    assert "4 statements, from February 2023 to June 2025, in 3 months" in chart["summary"]
    assert "the most in one month is 2, in February 2023" in chart["summary"]


def test_the_summary_names_a_busiest_month_only_when_there_is_one():
    ones = monthly_chart([dt.date(2023, 2, 26), dt.date(2025, 6, 30)], href, "Statements")
    assert ones["summary"] == "Statements: 2 statements, from February 2023 to June 2025, in 2 months; one in each."
    tied = monthly_chart([dt.date(2023, 2, 1), dt.date(2023, 2, 2), dt.date(2025, 6, 1), dt.date(2025, 6, 2),
                          dt.date(2024, 1, 1)], href, "Statements")
    assert "; the most in one month is 2, in 2 months, the latest June 2025." in tied["summary"]


def test_every_shape_fits_inside_the_drawing():
    dates = [dt.date(2016, 12, 28)] + [dt.date(2025, m, 1) for m in (1, 1, 3, 6)]
    chart = monthly_chart(dates, href, "Statements")
    for bar in chart["bars"]:
        assert 0 <= bar["x"] and bar["x"] + bar["width"] <= chart["width"]
        assert 0 <= bar["y"] and bar["y"] + bar["height"] <= chart["height"]
        assert bar["width"] > 0 and bar["height"] > 0
    xs = [bar["x"] for bar in chart["bars"]]
    assert xs == sorted(xs)
    labels = [y["label"] for y in chart["years"]]
    # December 2016's label would overlap January 2017's: the whole year keeps its label, so no year looks missing.
    assert labels == [str(year) for year in range(2017, 2026)]
    # Each January has a tick, its label just after it, and December's bar ends before it: in its own year.
    ticks = [tick["x"] for tick in chart["ticks"]]
    assert len(ticks) == 9 and all(y["x"] > t for y, t in zip(chart["years"], ticks))
    december = chart["bars"][0]
    assert december["label"] == "December 2016: 1 statement" and december["x"] + december["width"] < ticks[0]
    assert chart["years"][-1]["x"] + 25 <= chart["width"]  # the last label is drawn whole


def test_a_short_span_is_widened_and_a_shared_span_is_kept():
    one = monthly_chart([dt.date(2025, 3, 20)], href, "Statements involving X")
    assert "1 statement, all in March 2025." in one["summary"]
    assert "The chart runs from April 2024 to March 2025." in one["summary"]
    shared = monthly_chart([dt.date(2025, 3, 20)], href, "Statements involving X", ((2016, 12), (2025, 6)))
    assert "The chart runs from December 2016 to June 2025." in shared["summary"]
    assert shared["width"] > one["width"] - 1


def test_home_and_entity_pages_show_the_chart_with_its_text(real_site):
    statements = len([f for f in real_site.html_files() if re.fullmatch(r"statements/\d{4}/\d\d/\d\d/[^/]+/index\.html", f)
                      and not real_site.is_redirect(f)])
    for page in ("index.html", "people/maria-zakharova/index.html", "organisations/russian-foreign-ministry/index.html",
                 "events/khojaly-genocide-31st-anniversary-moscow-2023/index.html"):
        figure = real_site.page(page).find("figure", class_="chart")
        assert figure is not None, page
        svg = figure.find("svg")
        assert svg["role"] == "img" and svg.find("title").get_text().startswith("Bar chart:")
        assert figure.find("figcaption").find("p").get_text().strip()
        table_total = sum(int(td.get_text()) for td in figure.find("table").find_all("td"))
        bars = svg.find_all("rect", class_="bar")
        assert bars and len(bars) == len(figure.find("table").find_all("td"))
        if page == "index.html":
            assert table_total == statements


def test_counts_are_written_with_thousands_separators():
    assert plural(1) == "1 statement"
    assert plural(10000) == "10,000 statements"
    assert plural(1200, "month") == "1,200 months"
    assert number(5907) == "5,907"
