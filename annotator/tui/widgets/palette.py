"""Label colours: a scheme gives each label a colour slot; these are the slots' colours.

Mid-tone backgrounds that keep white and black text readable on dark and light themes alike.
"""

from __future__ import annotations

from annotator.core.scheme import Label

SLOTS = (
    "#2f6fb0",  # blue
    "#b0452f",  # brick
    "#2f8f5a",  # green
    "#8a4fb0",  # violet
    "#a8861c",  # ochre
    "#b02f6f",  # magenta
    "#1c8a8a",  # teal
    "#6b6b6b",  # grey
    "#c06a12",  # orange
)


def label_slot(label: Label | None) -> int:
    """A label's colour slot, wrapped into the palette (grey when the label is unknown)."""
    if label is None:
        return GREY_SLOT
    return label.color % len(SLOTS)


def label_color(label: Label | None) -> str:
    """The colour of a label's slot."""
    return SLOTS[label_slot(label)]


GREY_SLOT = 7
SOURCE_SLOT = 6
"""Teal: the source span of an attributed statement."""
CUE_SLOT = 8
"""Orange: the cue (reporting verb) of an attributed statement."""
