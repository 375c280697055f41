"""Text plumbing shared by the extractors: a same-length normalised copy, numbers, sentences.

Every regex here is linear: no nested quantifiers over overlapping classes, bounded gaps.
"""
from __future__ import annotations

import bisect
import operator
import re
from typing import Optional

# One character in, one character out: offsets in the normalised text are offsets in the
# original, so spans can quote the document exactly.
_MAP = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\u00b7": ".", "\u2219": ".", "\u22c5": ".",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
    "\u3000": " ", "\t": " ", "\r": " ", "\u200b": " ", "\ufeff": " ",
    "\u2264": "\u2264", "\u2265": "\u2265",
    "\uff1c": "<", "\uff1e": ">", "\uff1d": "=",
    # a wave dash or fullwidth tilde joins a range in CJK typesetting ("1.19\uff5e2.37")
    "\u301c": "-", "\uff5e": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\\": " ",  # LaTeX-escaped percent signs ("95\\% CI")
}
_TRANS = str.maketrans(_MAP)


_ASCII_SPECIAL = tuple(c for c in _MAP if c.isascii())
# (characters mapped to themselves change nothing and are not looked for)
_WIDE_SPECIAL = tuple(c for c in _MAP if not c.isascii() and _MAP[c] != c)


def normalize(text: str) -> str:
    """Return ``text`` with dashes, middle dots and odd spaces unified; same length as the input."""
    # one ``c in text`` per character of the map is a fast C scan (free for a character wider than any
    # in the text), about twice as fast as a character-class regex over the text
    found = [c for c in _ASCII_SPECIAL if c in text]
    if not text.isascii():
        # (an O(1) test) only an ASCII text is sure to hold none of the others
        found += [c for c in _WIDE_SPECIAL if c in text]
    if len(found) > 8:
        text = text.translate(_TRANS)
    else:
        for ch in found:
            text = text.replace(ch, _MAP[ch])
    if "~" in text:
        # "OR=1.68 (1.19~2.37)": a tilde between two numbers joins a range ("~50%" alone is "about")
        text = _TILDE_RANGE_RE.sub("-", text)
    return text


_TILDE_RANGE_RE = re.compile(r"(?:(?<=\d)|(?<=\d[ ]))~(?=[ ]?\.?\d)")


# A number as printed: 0.58, .58, 12, 1,234 is handled separately (counts only). (The optional decimals
# are written "(?:\.\d+|)", not "(?:\.\d+)?": the same matches, but re runs an alternation with an empty
# branch faster than a repeat of a group, and the patterns built on NUM run at every candidate number.)
NUM = r"(?:\d+(?:\.\d+|)|\.\d+)"
# a bracketed part without brackets inside it, "(...)" or "[...]": removed to read what a sentence says around them
BRACKETED_PARTS_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
NUM_RE = re.compile(r"(?<![\w.,])(?:\d+(?:\.\n?\d+)?|\.\d+)(?![\w]|,\d{3}(?!\d))")


ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def to_float(s: str) -> float:
    """Return the float of a printed number (``'.58'`` -> 0.58; line breaks inside removed)."""
    return float(s.replace("\n", "").replace(" ", ""))


def truncated_at(text: str, end: int) -> bool:
    """True when a number ending at ``end`` is cut off by the end of the text (``0.6`` of ``0.61``)."""
    c = text[end:end + 1]
    # called for most numbers read, and most are followed by a character that shows the text goes on
    # (ratios.parse_ci, ratios._p_from_match, ratios._build and medians._read_values repeat this first
    # test inline: keep them in step)
    if c and c != "." and c != "\u2026" and not c.isspace():
        return False
    rest = text[end:end + 4].strip()
    return not rest or rest.startswith(("...", "\u2026"))


# Sentence ends: a full stop not after a common abbreviation and followed by a capital or
# an opening bracket, or a blank line (section headings).
# One pattern per leading character: re finds a literal first character with a fast scan, while a
# character class as first item ("[.!?\n]...") is tested at every position (about 3x slower).
_AFTER_END = r"(?=[ \n]{1,6}[A-Z(\[0-9]|[A-Z][a-z])"
# a full stop after these words does not end a sentence (whole words)
_ABBREVIATIONS = ("v", "vs", "al", "No", "ca", "Dr", "St", "Fig", "e.g", "i.e", "ref", "resp", "approx", "C.I")


def _not_after(words: tuple[str, ...]) -> str:
    """Look-behinds that fail after any of ``words`` and a full stop, one per word length (re needs a
    look-behind of one width)."""
    by_len: dict[int, list[str]] = {}
    for w in words:
        by_len.setdefault(len(w), []).append(re.escape(w))
    return "".join(rf"(?<!\b(?:{'|'.join(ws)})\.)" for _, ws in sorted(by_len.items()))


_NOT_ABBREV = _not_after(_ABBREVIATIONS)
# after a full stop not preceded by the last letter of an abbreviation the look-behinds need not be tried
_ABBREV_LAST = "[" + "".join(re.escape(c) for c in sorted({w[-1] for w in _ABBREVIATIONS})) + "]"
# A full stop before a line break and a digit (which _AFTER_END accepts too) ends a sentence unless a digit
# precedes it: "0.\n58" is a number broken across a line (str.isdigit, wider than [0-9], decides, so that test
# is left to Python, which tells this case by the empty group). One scan of the full stops serves both kinds,
# and a decimal point ("0.72", most full stops) fails at the first look-ahead.
_DOT_END_RE = re.compile(r"\." + _AFTER_END + r"(?:(?!\n[0-9])|())"
                         r"(?:(?<!" + _ABBREV_LAST + r"\.)|" + _NOT_ABBREV + ")")
_MARK_END_RE = re.compile(r"[!?]" + _AFTER_END)
_BLANK_LINE_RE = re.compile(r"\n[ ]{0,20}\n")
_match_end = re.Match.end
_lastindex = operator.attrgetter("lastindex")


class Sentences:
    """Sentence boundaries of a text: ``bounds(pos)`` gives the sentence around ``pos``."""

    def __init__(self, text: str):
        # the ends are read off the matches by map() in C, not by a Python step per sentence
        dots = list(_DOT_END_RE.finditer(text))
        starts = [0]
        starts += map(_match_end, dots)
        # a full stop before a line break and a digit (the group set: only where the text breaks lines, a
        # cheap test first) is no end after a digit, "0.\n58": only then are the ends read again, one by one
        if "\n" in text and any(map(_lastindex, dots)):
            starts = [0] + [m.end() for m in dots
                            if not (m.lastindex and text[m.start() - 1:m.start()].isdigit())]  # "0.\n58"
        # the other kinds of end are rare: scanned for only where their characters occur
        n = len(starts)
        if "!" in text or "?" in text:
            starts += map(_match_end, _MARK_END_RE.finditer(text))
        if "\n" in text:
            starts += map(_match_end, _BLANK_LINE_RE.finditer(text))
        if len(starts) != n:
            starts.sort()  # (every end is past 0)
        self.starts = starts
        self.n = len(text)

    def index(self, pos: int) -> int:
        """Return the number of the sentence holding ``pos``."""
        return bisect.bisect_right(self.starts, pos) - 1

    def bounds(self, pos: int) -> tuple[int, int]:
        """Return (start, end) of the sentence holding ``pos``."""
        # (``index`` inlined: the finders ask for bounds a dozen times per document; ratios.find_ratios and
        # ratios._continuation inline this method in turn: keep them in step)
        starts = self.starts
        i = bisect.bisect_right(starts, pos) - 1
        end = starts[i + 1] if i + 1 < len(starts) else self.n
        return starts[i], end

    def bounds_of(self, i: int) -> tuple[int, int]:
        """Return (start, end) of sentence number ``i`` (clipped to the text)."""
        i = max(0, min(i, len(self.starts) - 1))
        end = self.starts[i + 1] if i + 1 < len(self.starts) else self.n
        return self.starts[i], end


_WORD_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_WORD = "|".join(sorted(_WORD_UNITS, key=len, reverse=True))
# "Seven hundred ninety-two", "One thousand two hundred and five", "Thirty-two"
WORD_NUMBER_RE = re.compile(
    rf"\b(?:(?:{_WORD})(?:[- ](?:{_WORD}))?(?:\s+(?:hundred|thousand)(?:\s+and)?)?[ ]?){{1,4}}",
    re.IGNORECASE,
)


def word_number(phrase: str) -> Optional[int]:
    """Return the integer of an English number phrase ("seven hundred ninety-two" -> 792), or None."""
    total = 0
    current = 0
    seen = False
    for tok in re.split(r"[\s-]+", phrase.lower()):
        if not tok or tok == "and":
            continue
        if tok in _WORD_UNITS:
            current += _WORD_UNITS[tok]
            seen = True
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current if seen else None


# Characters that re.IGNORECASE folds onto an ASCII letter although str.lower() does not turn
# them into it ("\u017f" is "s", the Kelvin sign "k", dotted/dotless i), or that lengthen under
# str.lower(): where one occurs, positions found in a lower-cased copy could miss a match or be
# shifted, so callers of ``literal_starts`` fall back to a plain regex scan.
# the ASCII letter re's IGNORECASE matches each to (str.translate table; "\u0130".lower() would be two
# characters), for checks that must see them as re does
ODD_FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# (has_odd_folds tests these four by name: a generator over them cost more than the four scans)
assert set(ODD_FOLD_TO_ASCII) == {0x130, 0x131, 0x17F, 0x212A}


def has_odd_folds(text: str) -> bool:
    """True when ``text`` holds a character that makes lower-cased literal pre-checks unsafe."""
    # str.isascii() is O(1) in CPython (a flag of the string): most texts need no scan at all
    return not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text)


# str.lower() of a non-ASCII text calls a function per character (~7x the cost of an ASCII text's). Every
# Latin-1 character lowers to one Latin-1 character (ord() below would fail otherwise), so a byte table
# lowers a Latin-1 text exactly.
_LATIN1_LOWER = bytes(ord(chr(i).lower()) for i in range(256))
_ASCII_BYTES = bytes(range(128))


def lower(text: str) -> str:
    """Return ``text.lower()`` (the same string), computed by cheaper routes for non-ASCII texts."""
    if text.isascii():
        return text.lower()
    try:
        latin1 = text.encode("latin-1")
    except UnicodeEncodeError:  # a character beyond Latin-1: the UTF-8 route below
        pass
    else:
        return latin1.translate(_LATIN1_LOWER).decode("latin-1")
    try:
        b = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return text.lower()
    # bytes.lower() changes only the ASCII letters, and no byte of a multi-byte UTF-8 character is ASCII:
    # exact when no non-ASCII character of the text changes under lower(). Deleting the ASCII bytes leaves
    # the text's non-ASCII characters and nothing else; that string equals its lower() only when each of them
    # lowers to itself (each lowers to at least one character, so one lowering to another character, U+0130
    # to two, shows). The one context-dependent rule, the final sigma, is for U+03A3, which always changes,
    # so such a text takes text.lower() too.
    wide = b.translate(None, _ASCII_BYTES).decode("utf-8")
    if wide.lower() != wide:
        return text.lower()
    return b.lower().decode("utf-8")


def literal_starts(low: str, words: tuple[str, ...], lo: int = 0, hi: Optional[int] = None) -> list[int]:
    """Return the sorted positions where any of ``words`` (lower case) occurs in ``low``, overlaps included.

    With ``lo``/``hi``, only occurrences lying wholly inside ``low[lo:hi]``.
    """
    if hi is None:
        hi = len(low)
    out = []
    for w in words:
        i = low.find(w, lo, hi)
        while i != -1:
            out.append(i)
            i = low.find(w, i + 1, hi)
    out.sort()
    return out


def matches_at(pattern: re.Pattern, text: str, starts: list[int], endpos: Optional[int] = None):
    """Yield what ``pattern.finditer(text)`` yields, given the sorted ``starts`` every match must begin at.

    Case-insensitive patterns that begin with a word boundary get no fast literal scan from
    ``re`` (it tries every position); trying them only where str.find saw their first word is
    much faster. Look-behinds and ``\\b`` still see the text before each start. With ``endpos``,
    what ``pattern.finditer(text, pos, endpos)`` yields (``starts`` then lie in ``[pos, endpos)``).
    """
    if endpos is None:
        endpos = len(text)
    last = -1
    for p in starts:
        if p < last:
            continue
        m = pattern.match(text, p, endpos)
        if m:
            last = m.end() if m.end() > p else p + 1
            yield m


def finditer_from(pattern: re.Pattern, text: str, words: tuple[str, ...], pos: int = 0,
                  endpos: Optional[int] = None, low: Optional[str] = None):
    """Return an iterator over what ``pattern.finditer(text, pos, endpos)`` yields, for a case-insensitive
    pattern whose every match begins with one of ``words`` (lower case).

    re tries such a pattern at every position; here it is tried only where str.find sees one of the
    words (in ``low`` = ``text.lower()`` when the caller has it). A range holding characters whose
    case folding is odd (``has_odd_folds``) is scanned by re itself.
    """
    endpos = len(text) if endpos is None else endpos
    whole = pos == 0 and endpos == len(text)
    if has_odd_folds(text if whole else text[pos:endpos]):
        return pattern.finditer(text, pos, endpos)
    if low is not None:
        starts = literal_starts(low, words, pos, endpos)
    elif whole:
        starts = literal_starts(text.lower(), words)
    else:
        starts = [p + pos for p in literal_starts(text[pos:endpos].lower(), words)]
    return matches_at(pattern, text, starts, endpos)
