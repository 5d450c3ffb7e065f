"""Highlight colours: overlapping spans blend like highlighter ink, and text stays readable.

Pure colour arithmetic on "#rrggbb" strings, so it is tested without painting anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

LAYER_STRENGTH = 0.75  # how much of its colour one span lays down on a light page
DARK_OPACITY_BY_DEPTH = (0.0, 0.25, 0.4, 0.52, 0.6)  # tints on a dark page, by overlap depth
MIN_CONTRAST = 4.5  # WCAG AA for body text


@lru_cache(maxsize=4096)
def blend_background(colours: tuple[str, ...], page: str, ink: str) -> str:
    """The background of a piece covered by spans of ``colours`` on a ``page`` colour.

    On a light page the spans behave like highlighter ink: each lays down its colour at
    ``LAYER_STRENGTH`` and overlapping layers multiply, so depth reads as darker and hues
    mix (in any order). On a dark page the piece is tinted toward the spans' mean colour,
    more strongly the more spans overlap. Either way the result is then pulled back toward
    the page until ``ink`` keeps ``MIN_CONTRAST`` against it.
    """
    if not colours:
        return page
    back, text = rgb(page), rgb(ink)
    layers = [rgb(c) for c in colours]
    if _luminance(back) >= _luminance(text):
        target = back
        for layer in layers:
            ink_layer = _mix((255, 255, 255), layer, LAYER_STRENGTH)
            target = tuple(t * c / 255 for t, c in zip(target, ink_layer, strict=True))
    else:
        mean = tuple(sum(channel) / len(layers) for channel in zip(*layers, strict=True))
        target = _mix(back, mean, DARK_OPACITY_BY_DEPTH[min(len(layers), 4)])
    for step in range(20, -1, -1):
        blend = "#{:02x}{:02x}{:02x}".format(*(round(c) for c in _mix(back, target, step / 20)))
        if contrast(rgb(blend), text) >= MIN_CONTRAST:
            break
    return blend


def rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(under: Sequence[float], over: Sequence[float], alpha: float) -> tuple[float, ...]:
    return tuple(u + (o - u) * alpha for u, o in zip(under, over, strict=True))


def _luminance(rgb: Sequence[float]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
