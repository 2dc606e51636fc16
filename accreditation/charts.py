"""Charts drawn on the server as SVG, so they need no script and obey the CSP.

Each chart is an image with a name and a description a screen reader reads out (role="img",
<title> and <desc>), and the page shows the same figures in a table beside it. Every label is
escaped. Colours and fonts come from the site's stylesheet through class names: the CSP allows
no style attribute.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Drawing units (the SVG scales to its box): a column of labels, the bars, then the figures.
_WIDTH = 640
_LABEL_WIDTH = 210
_BAR_X = _LABEL_WIDTH + 10
_BAR_WIDTH = 300
_VALUE_X = _BAR_X + _BAR_WIDTH + 12
_ROW_HEIGHT = 40
_BAR_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def percent_of(value: int, whole: int) -> int:
    return round(100 * value / whole) if whole else 0


def funnel_chart_svg(*, chart_id: str, title: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one per step, each as long as its share of the first step.

    The first bar is the whole (everyone enrolled); each figure reads "3 (60%)".
    """
    whole = bars[0].value if bars else 0
    longest = max([whole, *(bar.value for bar in bars)]) or 1
    height = _ROW_HEIGHT * len(bars)
    description = "; ".join(
        f"{bar.label}: {_figure(bar.value, whole, first=index == 0)}"
        for index, bar in enumerate(bars)
    )
    rows = format_html_join(
        "",
        '<g class="funnel-chart__row">'
        '<text class="funnel-chart__label" x="0" y="{text_y}">{label}</text>'
        '<rect class="funnel-chart__track" x="{bar_x}" y="{bar_y}" width="{track}" '
        'height="{bar_height}"></rect>'
        '<rect class="funnel-chart__bar" x="{bar_x}" y="{bar_y}" width="{length}" '
        'height="{bar_height}"></rect>'
        '<text class="funnel-chart__value" x="{value_x}" y="{text_y}">{figure}</text>'
        "</g>",
        (
            {
                "label": bar.label,
                "figure": _figure(bar.value, whole, first=index == 0),
                "text_y": index * _ROW_HEIGHT + _ROW_HEIGHT // 2 + 6,
                "bar_x": _BAR_X,
                "bar_y": index * _ROW_HEIGHT + (_ROW_HEIGHT - _BAR_HEIGHT) // 2,
                "bar_height": _BAR_HEIGHT,
                "track": _BAR_WIDTH,
                "length": round(_BAR_WIDTH * bar.value / longest, 1),
                "value_x": _VALUE_X,
            }
            for index, bar in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="funnel-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-labelledby="{id}-title" aria-describedby="{id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{description}.</desc>'
        "{rows}</svg>",
        width=_WIDTH,
        height=height,
        id=chart_id,
        title=title,
        description=description,
        rows=rows,
    )


def _figure(value: int, whole: int, *, first: bool) -> str:
    return str(value) if first else f"{value} ({percent_of(value, whole)}%)"
