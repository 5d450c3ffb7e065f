"""Each annotator's underline colour, the same in every view, window and session.

Colours follow the sorted ids of the project's annotators: ids never change and are never
shared, so a person keeps their colour when the project is reopened, and two people with the
same name still get different colours (up to the palette's six).
"""

from __future__ import annotations

from collections.abc import Iterable

# Okabe-Ito: distinguishable with common colour blindness, visible on light and dark pages.
ANNOTATOR_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def annotator_colours(annotator_ids: Iterable[str]) -> dict[str, str]:
    """Colour of each of ``annotator_ids`` (all the project's annotators, so that each view
    agrees whoever it happens to show)."""
    ordered = sorted(set(annotator_ids))
    return {who: ANNOTATOR_COLOURS[n % len(ANNOTATOR_COLOURS)] for n, who in enumerate(ordered)}
