"""The tone of a reporting verb (the cue of an attributed statement).

"said" presents a quotation neutrally; "claimed" casts doubt on it and "admitted" presents it as
a concession (Recasens et al. 2013, epistemological bias: factive, assertive and implicative
verbs). The lists are compiled for this project; a cue that a reviewer also tagged as loaded
phrasing counts as loaded whatever its wording.
"""

from __future__ import annotations

import re
from typing import Literal

Tone = Literal["neutral", "loaded", "other"]


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


NEUTRAL_CUES: frozenset[str] = _words(
    """
    say says said saying tell tells told telling state states stated stating add adds added
    adding report reports reported reporting note notes noted noting write writes wrote written
    announce announces announced explain explains explained ask asks asked reply replies
    replied respond responds responded comment comments commented according describe describes
    described continue continues continued answer answers answered testify testified
    """
)

LOADED_CUES: frozenset[str] = _words(
    """
    claim claims claimed claiming admit admits admitted admitting insist insists insisted
    concede concedes conceded allege alleges alleged confess confesses confessed boast boasts
    boasted slam slams slammed blast blasts blasted lash lashed rant ranted brag bragged deny
    denies denied complain complains complained whine whined scoff scoffed sneer sneered
    grumble grumbled acknowledge acknowledges acknowledged reveal reveals revealed warn warns
    warned contend contends contended maintain maintains maintained purport purports purported
    spin spun demand demands demanded charge charges charged accuse accuses accused
    """
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def cue_tone(cue: str) -> Tone:
    """``loaded`` if any word of the cue is a loaded reporting verb, ``neutral`` if one is a
    neutral one, else ``other``."""
    words = [w.casefold() for w in _WORD.findall(cue)]
    if any(w in LOADED_CUES for w in words):
        return "loaded"
    if any(w in NEUTRAL_CUES for w in words):
        return "neutral"
    return "other"


def normalise_phrase(text: str) -> str:
    """A source or cue as it is grouped: whitespace collapsed, case kept from first sight."""
    return " ".join(text.split())
