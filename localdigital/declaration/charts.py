"""Server-rendered SVG charts for the Declaration pages: signatory growth and the signatory map.

Both are plain SVG built on the server, so they need no JavaScript. They use presentation
attributes (fill, stroke) rather than style attributes, which the Content Security Policy
forbids, and carry role="img" with a title and description. Each page shows the same data as a
table beside the chart, for people who cannot see it.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from localdigital.declaration.selectors import Growth, MapPoint

# GOV.UK colours, each with at least 3:1 contrast against the white or light grey behind it.
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"
WHITE = "#ffffff"
# Text in an inline SVG does not take the page's font from GOV.UK's classes, so name it.
FONT = "'GDS Transport', arial, sans-serif"


def _attrs(**attributes: object) -> str:
    # Attribute names use underscores where SVG has hyphens (font_size -> font-size).
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.1f}"
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"')
    return " ".join(parts)


def _element(tag: str, body: str = "", **attributes: object) -> str:
    attrs = _attrs(**attributes)
    return f"<{tag} {attrs}>{body}</{tag}>" if body else f"<{tag} {attrs}/>"


def _text(x: float, y: float, text: str, **attributes: object) -> str:
    attributes.setdefault("font_size", 16)
    attributes.setdefault("fill", BLACK)
    return _element("text", str(escape(text)), x=x, y=y, **attributes)


def _svg(
    chart_id: str, width: int, height: int, title: str, description: str, body: Iterable[str]
) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="ldh-chart" '
        f'id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" focusable="false" '
        f'font-family="{FONT}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every value above is escaped


def nice_ceiling(value: int) -> tuple[int, int]:
    """A round top for an axis at or above `value`, and the step between its gridlines."""
    if value <= 0:
        return 10, 2
    magnitude = 10 ** math.floor(math.log10(value))
    for multiple in (1, 2, 2.5, 5, 10):
        step = int(multiple * magnitude / 5) or 1
        top = math.ceil(value / step) * step
        if top / step <= 5:
            return top, step
    return value, max(1, value // 5)  # pragma: no cover - the loop always returns


# Growth chart


@dataclass(frozen=True)
class GrowthLayout:
    width: int = 680
    height: int = 400
    left: int = 56
    right: int = 16
    top: int = 64
    bottom: int = 40

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def growth_description(growth: Growth) -> str:
    """The chart in one or two sentences, for its <desc> and for screen readers."""
    last = growth.periods[-1]
    parts = [
        f"Bars show the Hub's own records: {last.total} signatories with a known date "
        f"by the end of {last.year}."
    ]
    if growth.undated:
        parts.append(f"{growth.undated} more signatories have no known date and are not shown.")
    if growth.published:
        latest = growth.published[-1]
        parts.append(
            f"The line shows the totals the programme published, from {growth.published[0].count} "
            f"in {growth.published[0].month:%B %Y} to {latest.count} in {latest.month:%B %Y}."
        )
    return " ".join(parts)


def growth_chart(growth: Growth, layout: GrowthLayout | None = None) -> Markup:
    """Signatories over time: a bar a year for the Hub's records, a dashed line with a point for
    each published total. The y axis starts at zero."""
    layout = layout or GrowthLayout()
    periods = growth.periods
    first_year, years = periods[0].year, len(periods)
    band = layout.plot_width / years
    highest = max([p.total for p in periods] + [p.count for p in growth.published] + [1])
    top, step = nice_ceiling(highest)
    baseline = layout.top + layout.plot_height

    def y_for(value: int) -> float:
        return baseline - value / top * layout.plot_height

    body: list[str] = []
    # Gridlines and y axis labels.
    for value in range(0, top + 1, step):
        y = y_for(value)
        body.append(
            _element(
                "line",
                x1=layout.left,
                x2=layout.width - layout.right,
                y1=y,
                y2=y,
                stroke=MID_GREY if value else BLACK,
                stroke_width=1,
            )
        )
        body.append(_text(layout.left - 8, y + 5, f"{value:,}", text_anchor="end"))
    # The Hub's records: one bar a year, with its total above it.
    for index, period in enumerate(periods):
        x = layout.left + index * band
        bar_width = band * 0.6
        height = baseline - y_for(period.total)
        body.append(
            _element(
                "rect",
                _element("title", str(escape(f"{period.year}: {period.total:,} on the Hub"))),
                class_="ldh-chart__bar",
                x=x + (band - bar_width) / 2,
                y=baseline - height,
                width=bar_width,
                height=height,
                fill=BLUE,
                data_year=period.year,
                data_total=period.total,
            )
        )
        if period.total:
            body.append(
                _text(
                    x + band / 2, baseline - height - 6, f"{period.total:,}", text_anchor="middle"
                )
            )
        body.append(_text(x + band / 2, baseline + 24, str(period.year), text_anchor="middle"))
    # The published totals: placed in the middle of their month on the same time axis.
    points = []
    for total in growth.published:
        offset = total.month.year - first_year + (total.month.month - 0.5) / 12
        if 0 <= offset <= years:
            points.append((layout.left + offset * band, y_for(total.count), total))
    if len(points) > 1:
        body.append(
            _element(
                "polyline",
                points=" ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points),
                fill="none",
                stroke=BLACK,
                stroke_width=2,
                stroke_dasharray="6 4",
            )
        )
    for x, y, total in points:
        label = f"{total.month:%B %Y}: {total.count:,} published"
        body.append(
            _element(
                "circle",
                _element("title", str(escape(label))),
                class_="ldh-chart__point",
                cx=x,
                cy=y,
                r=5,
                fill=WHITE,
                stroke=BLACK,
                stroke_width=2,
                data_month=f"{total.month:%Y-%m}",
                data_count=total.count,
            )
        )
        body.append(_text(x, y - 10, f"{total.count:,}", text_anchor="middle", font_weight="bold"))
    # Legend, above the plot.
    body.append(_element("rect", x=layout.left, y=12, width=16, height=16, fill=BLUE))
    body.append(_text(layout.left + 24, 25, "Signatories on the Hub with a known date"))
    body.append(
        _element(
            "line",
            x1=layout.left,
            x2=layout.left + 16,
            y1=44,
            y2=44,
            stroke=BLACK,
            stroke_width=2,
            stroke_dasharray="4 2",
        )
    )
    body.append(
        _element("circle", cx=layout.left + 8, cy=44, r=4, fill=WHITE, stroke=BLACK, stroke_width=2)
    )
    body.append(_text(layout.left + 24, 49, "Published total (Local Digital programme)"))
    title = "Local Digital Declaration signatories over time"
    return _svg(
        "growth-chart", layout.width, layout.height, title, growth_description(growth), body
    )


# Map


# A box around the UK, Shetland to the Scilly Isles and Northern Ireland to Kent, in degrees.
UK_BOUNDS = {"west": -8.7, "east": 1.9, "south": 49.8, "north": 60.9}
# Plain equirectangular projection, with longitudes shrunk by the cosine of the UK's middle
# latitude so the country keeps roughly its shape. Good enough for dots at council centroids.
UK_MIDDLE_LATITUDE = 54.5


@dataclass(frozen=True)
class MapLayout:
    height: int = 640
    padding: int = 12
    legend_height: int = 64

    @property
    def scale(self) -> float:
        """Pixels per degree of latitude."""
        return self.height / (UK_BOUNDS["north"] - UK_BOUNDS["south"])

    @property
    def plot_width(self) -> float:
        degrees = UK_BOUNDS["east"] - UK_BOUNDS["west"]
        return degrees * math.cos(math.radians(UK_MIDDLE_LATITUDE)) * self.scale


def project(latitude: float, longitude: float, layout: MapLayout) -> tuple[float, float]:
    """Where a place falls on the map, in SVG units from the top left."""
    shrink = math.cos(math.radians(UK_MIDDLE_LATITUDE))
    x = (longitude - UK_BOUNDS["west"]) * shrink * layout.scale
    y = (UK_BOUNDS["north"] - latitude) * layout.scale
    return layout.padding + x, layout.padding + y


def map_description(points: list[MapPoint]) -> str:
    signed = sum(point.signed for point in points)
    return (
        f"A dot for each of {len(points):,} current councils, at its centre. "
        f"{signed:,} that have signed are filled blue; {len(points) - signed:,} that have not "
        "are empty grey circles. The table below gives the same figures by region."
    )


def signatory_map(points: list[MapPoint], layout: MapLayout | None = None) -> Markup:
    """Current councils as dots on a UK-shaped frame: signed filled blue, not signed hollow grey.

    Unsigned councils are drawn first so a signatory is never hidden under a neighbour.
    """
    layout = layout or MapLayout()
    width = math.ceil(layout.plot_width + 2 * layout.padding)
    map_height = layout.height + 2 * layout.padding
    height = map_height + layout.legend_height
    body = [
        _element("rect", x=0, y=0, width=width, height=map_height, fill=LIGHT_GREY, stroke=MID_GREY)
    ]
    ordered = sorted(points, key=lambda point: point.signed)
    for point in ordered:
        x, y = project(point.latitude, point.longitude, layout)
        status = "signed" if point.signed else "not signed"
        body.append(
            _element(
                "circle",
                _element("title", str(escape(f"{point.name}: {status}"))),
                class_=f"ldh-map__point ldh-map__point--{'signed' if point.signed else 'unsigned'}",
                cx=x,
                cy=y,
                r=4 if point.signed else 3,
                fill=BLUE if point.signed else WHITE,
                stroke=BLUE if point.signed else DARK_GREY,
                stroke_width=1,
                data_code=point.code,
            )
        )
    signed = sum(point.signed for point in points)
    legend_y = map_height + 22
    body.append(_element("circle", cx=16, cy=legend_y, r=5, fill=BLUE, stroke=BLUE))
    body.append(_text(28, legend_y + 5, f"Signed ({signed:,})"))
    body.append(
        _element(
            "circle", cx=16, cy=legend_y + 26, r=4, fill=WHITE, stroke=DARK_GREY, stroke_width=1
        )
    )
    body.append(_text(28, legend_y + 31, f"Not signed ({len(points) - signed:,})"))
    title = "Map of current councils that have signed the Local Digital Declaration"
    return _svg("signatory-map", width, height, title, map_description(points), body)
