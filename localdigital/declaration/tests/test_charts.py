import datetime as dt

import pytest
from bs4 import BeautifulSoup

from localdigital.declaration import charts
from localdigital.declaration.selectors import Growth, GrowthPeriod, MapPoint, PublishedTotal


def parse(markup):
    return BeautifulSoup(str(markup), "html.parser").svg


@pytest.fixture
def growth():
    return Growth(
        periods=[
            GrowthPeriod(2018, 10, 0, 10),
            GrowthPeriod(2019, 5, 1, 14),
            GrowthPeriod(2020, 0, 0, 14),
        ],
        published=[
            PublishedTotal(dt.date(2018, 7, 1), 45),
            PublishedTotal(dt.date(2020, 12, 1), 232),
            # Outside the chart's years: left out rather than drawn off the edge.
            PublishedTotal(dt.date(2024, 2, 1), 361),
        ],
        undated=7,
        source_url="https://www.localdigital.gov.uk/declaration/",
        source_title="Published totals",
    )


def test_the_growth_chart_is_an_accessible_image(growth):
    svg = parse(charts.growth_chart(growth))

    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "growth-chart-title growth-chart-desc"
    assert svg.find("title", id="growth-chart-title").text == (
        "Local Digital Declaration signatories over time"
    )
    description = svg.find("desc").text
    assert "14 signatories with a known date by the end of 2020" in description
    assert "7 more signatories have no known date" in description
    assert "from 45 in July 2018 to 361 in February 2024" in description
    assert svg.find(attrs={"style": True}) is None


def test_the_growth_chart_has_a_bar_for_each_year_as_tall_as_its_total(growth):
    svg = parse(charts.growth_chart(growth))

    bars = svg.select("rect.ldh-chart__bar")
    assert [bar["data-year"] for bar in bars] == ["2018", "2019", "2020"]
    assert [bar["data-total"] for bar in bars] == ["10", "14", "14"]
    heights = [float(bar["height"]) for bar in bars]
    assert heights[1] == heights[2] > heights[0] > 0
    assert heights[0] / heights[1] == pytest.approx(10 / 14, rel=0.01)
    year_labels = [text.text for text in svg.find_all("text") if text.text.isdigit()]
    assert {"2018", "2019", "2020"} <= set(year_labels)


def test_the_growth_chart_plots_published_totals_in_their_months(growth):
    svg = parse(charts.growth_chart(growth))

    points = svg.select("circle.ldh-chart__point")
    assert [(p["data-month"], p["data-count"]) for p in points] == [
        ("2018-07", "45"),
        ("2020-12", "232"),
    ]
    # Later totals sit higher on the chart (smaller y), and later in time (larger x).
    assert float(points[1]["cy"]) < float(points[0]["cy"])
    assert float(points[1]["cx"]) > float(points[0]["cx"])
    assert "Published total" in svg.text


def test_text_in_a_chart_is_escaped():
    growth = Growth(
        periods=[GrowthPeriod(2018, 1, 0, 1)],
        published=[],
        undated=0,
        source_url="",
        source_title="",
    )
    point = MapPoint("X", "<script>alert(1)</script>", "London", 51.5, -0.1, True)

    assert "<script>" not in str(charts.growth_chart(growth))
    assert "<script>" not in str(charts.signatory_map([point]))
    assert "&lt;script&gt;" in str(charts.signatory_map([point]))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, (10, 2)), (1, (1, 1)), (7, (8, 2)), (53, (60, 20)), (361, (400, 100))],
)
def test_axes_end_on_a_round_number(value, expected):
    assert charts.nice_ceiling(value) == expected


def test_the_map_places_north_above_south_and_west_left_of_east():
    layout = charts.MapLayout()
    shetland = charts.project(60.2, -1.2, layout)
    scilly = charts.project(49.9, -6.3, layout)
    kent = charts.project(51.2, 0.7, layout)
    belfast = charts.project(54.6, -5.9, layout)

    assert shetland[1] < belfast[1] < kent[1] < scilly[1]
    assert belfast[0] < kent[0]
    assert scilly[0] < shetland[0]
    # Everything in the UK falls inside the frame.
    for x, y in (shetland, scilly, kent, belfast):
        assert 0 < x < layout.plot_width + 2 * layout.padding
        assert 0 < y < layout.height + 2 * layout.padding


def test_the_map_has_a_point_for_each_council_and_a_legend_with_counts():
    points = [
        MapPoint("HCK", "Hackney", "London", 51.55, -0.06, True),
        MapPoint("KEN", "Kent", "South East", 51.2, 0.7, False),
        MapPoint("EDH", "Edinburgh", "Scotland", 55.95, -3.2, False),
    ]

    svg = parse(charts.signatory_map(points))

    assert svg["role"] == "img"
    assert svg.find("title").text.startswith("Map of current councils")
    assert "1 that have signed are filled blue; 2 that have not" in svg.find("desc").text
    signed = svg.select("circle.ldh-map__point--signed")
    unsigned = svg.select("circle.ldh-map__point--unsigned")
    assert [p["data-code"] for p in signed] == ["HCK"]
    assert sorted(p["data-code"] for p in unsigned) == ["EDH", "KEN"]
    assert signed[0]["fill"] == charts.BLUE
    assert signed[0].title.text == "Hackney: signed"
    # Unsigned councils are drawn first, so no signatory hides beneath one.
    all_points = svg.select("circle.ldh-map__point")
    assert all_points[-1]["data-code"] == "HCK"
    assert "Signed (1)" in svg.text
    assert "Not signed (2)" in svg.text
