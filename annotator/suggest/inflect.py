"""Regular English inflections of a word, for lexicon entries marked with ``+``.

``inflections("slam")`` gives slam, slams, slammed, slamming; ``inflections("thug")`` gives
thug, thugs (and thugged, thugging, which never occur, so they cost nothing). The rules are
the regular ones of English spelling; where a rule depends on stress (doubling the final
consonant: "slammed" but "visited"), both spellings are produced. Irregular forms are written
out in the lexicon as alternatives: ``sink|sank|sunk``.
"""

from __future__ import annotations

__all__ = ["inflections"]

_VOWELS = frozenset("aeiou")
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def inflections(word: str) -> frozenset[str]:
    """``word`` and its regular -s, -ed and -ing forms (see the module docstring)."""
    forms = {word}
    if len(word) < 2 or not word[-1].isalpha():
        return frozenset(forms)
    last, before = word[-1], word[-2]
    consonant_y = last == "y" and before not in _VOWELS
    # -s: third person singular and plural
    if word.endswith(_SIBILANT_ENDINGS):
        forms.add(word + "es")
    elif consonant_y:
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
        if last == "o":
            forms.add(word + "es")
    # -ed and -ing
    if last == "e":
        forms.add(word + "d")
        if word.endswith("ie"):
            forms.add(word[:-2] + "ying")
        elif word.endswith(("ee", "ye", "oe")):
            forms.add(word + "ing")
        else:
            forms.add(word[:-1] + "ing")
    elif consonant_y:
        forms.add(word[:-1] + "ied")
        forms.add(word + "ing")
    else:
        forms.add(word + "ed")
        forms.add(word + "ing")
        if _doubles(word):
            forms.add(word + last + "ed")
            forms.add(word + last + "ing")
    return frozenset(forms)


def _doubles(word: str) -> bool:
    """Whether the final consonant may double: one vowel then one consonant (not w, x, y)."""
    if len(word) < 3:
        return False
    a, b, c = word[-3], word[-2], word[-1]
    return a not in _VOWELS and b in _VOWELS and c not in _VOWELS and c not in "wxy"
