"""The colours of every figure: the Okabe–Ito palette, safe for colour-blind readers.

Okabe and Ito (2008), *Color Universal Design*: eight colours that stay distinct under the common
forms of colour blindness; red and green are never side by side. Series get the first seven (black
marks thresholds); beyond seven the colours repeat and :func:`line_styles` tells them apart.

Examples
--------
>>> colours(2)
['#0072B2', '#E69F00']
"""

from __future__ import annotations

__all__ = [
    "EMPHASIS",
    "LIGHTS",
    "MUTED",
    "OKABE_ITO",
    "SERIES",
    "colours",
    "line_styles",
    "tint",
]

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The palette (yellow late: it is faint on white)."""

SERIES = OKABE_ITO[:7]
"""The colours series get, in order: black is kept for thresholds and reference lines."""

EMPHASIS = "#D55E00"
"""The colour that marks what matters (the Pareto front, a ceiling): vermillion."""

MUTED = "#999999"
"""The colour of what is shown for context (dominated points)."""


LIGHTS = {"green": "#009E73", "yellow": "#F0E442", "red": "#D55E00"}
"""The traffic lights of the follow-up (BL's green, yellow and red) in the palette's bluish green,
yellow and vermillion: told apart under the common colour blindnesses, and always shown with a
word and a symbol as well."""


def tint(colour: str, strength: float = 0.45) -> str:
    """``colour`` mixed with white (``strength`` of the colour): a cell background text reads on.

    Examples
    --------
    >>> tint("#D55E00", 0.5)
    '#eaae80'
    """
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    mixed = (round(255 - strength * (255 - value)) for value in (red, green, blue))
    return "#" + "".join(f"{value:02x}" for value in mixed)


def colours(count: int) -> list[str]:
    """``count`` colours for series (repeating after seven)."""
    return [SERIES[index % len(SERIES)] for index in range(count)]


def line_styles(count: int) -> list[str]:
    """A line style per series: solid for the first seven, then dashed, dotted, dash-dot."""
    styles = ("-", "--", ":", "-.")
    return [styles[(index // len(SERIES)) % len(styles)] for index in range(count)]
