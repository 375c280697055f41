"""Medians of time-to-event endpoints per arm (and median follow-up), read from running text.

A *median segment* runs from the word "median" to the next "median" or the sentence end.
Inside it, durations ("6.9 months", "not reached") are read in order; unitless numbers take
the unit of the value they are paired with ("6.9 vs 2.8 months"). Endpoints named before
the values are distributed over them ("PFS and OS were 19.4 and 48.7 months,
respectively"); arms come from the phrase after each value ("in the X group", "with X") or
from an "X vs Y" pair in the sentence.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from .endpoints import (CV_WORD_RE, PRIMARY_RE, endpoint_list, last_endpoint, may_end_wording, merge_definitions,
                        primary_endpoint)
from .text import (BRACKETED_PARTS_RE, NUM, Sentences, finditer_from, has_odd_folds, lower, matches_at, to_float,
                   truncated_at, word_number)

_ABBR_CODES = {"OS": "OS", "PFS": "PFS", "DFS": "DFS", "EFS": "EFS", "RFS": "RFS", "TTP": "TTP", "DoR": "DOR", "DOR": "DOR", "FU": "FOLLOWUP"}
# "median age", "median dose" ... are not times to an event
_NOT_TIME_RE = re.compile(
    # (the look-ahead: what the alternatives below can begin with, tested at once; re would try them one by one)
    r"(?i)(?=\s{0,4}[(\[adnclvspwbtreih]|\s{0,3}[a-z]+\s+count)"
    # ("median (IQR) age", "median [range] age")
    r"\s{0,3}(?:[(\[]?\s?(?:IQR|range)\b[^)\]]{0,40}[)\]]?\s*)?"
    r"(?:age|ages|dose|doses|dosing|number|no\.|count|level|levels|value|values|score|density|concentration|"
    r"percentage|proportion|distance|viral|cd4|weight|bmi|body|tumou?r\s+size|size|relative\s+dose|dose\s+intensity|"
    # any "duration of X" is an exposure or a treatment, except a response or the follow-up (GUIDE), and not a patient's
    # state at entry either ("the median duration of first complete remission", "of prior mechanical ventilation")
    r"duration\s+of\s+(?:(?=(?:[a-z-]+\s+)?(?:first|previous|prior|preceding|longest|initial|last)\s)|(?!(?:[a-z-]+\s+){0,2}(?:response|remission|follow|disease\s+control|clinical\s+benefit|benefit"
    # ("the median duration of locoregional control")
    r"|(?:locoregional|loco-regional|local|regional)\s+control"
    # (an infection's course is an outcome: "the median duration of viral shedding")
    # ("of symptoms", "of fever", "of illness" are left out: most often the patients' state at entry)
    r"|(?:(?:viral\s+)?shedding|viraemia|viremia)\b"
    # (and an intensive-care trial's organ support: "the median duration of mechanical ventilation was 5 days")
    r"|(?:invasive\s+)?(?:mechanical\s+)?ventilation\b"
    r"(?![ \n]+(?:before|prior|at[ \n]+(?:baseline|enrol\w*|entry|randomi\w*|presentation|admission)))"
    r")"
    # (a response's abbreviation: "duration of CMR", "duration of CR")
    r"|(?-i:[a-z]{0,2}[A-Z]{0,2}(?:CR|PR|MR|RR))\b))|"
    r"treatment\s+duration|"
    r"exposure|cycles|time\s+(?:on|off)\s+(?:treatment|therapy)|time\s+from|time\s+since|"
    # steps of care (GUIDE: like a treatment's duration) and a lab measure's kinetics, not outcomes
    r"time\s+to\s+(?:surgery|resection|randomi[sz]ation)|(?:PSA\s+)?doubling\s+time|"
    r"interval\s+from|length\s+of\s+(?:hospital\s+|ICU\s+|intensive\s+care(?:\s+unit)?\s+)?stay|"
    r"(?:ICU|intensive\s+care(?:\s+unit)?|hospital|in-?hospital|postoperative)\s+(?:length\s+of\s+)?stay|duration\s+of\s+(?:hospital\s+)?(?:stay|hospitali[sz]ation)|reduction|change|increase|decrease|[A-Za-z]+\s+count)\b"
)

# "median time to decompensation or liver-related death": the first event of a composite with death
_TIME_TO_OR_RE = re.compile(r"(?i)[ \n]{1,3}time[ \n]+to[ \n]+(?:first[ \n]+)?(?P<w>[a-z][a-z-]*)(?:[ \n]+[a-z][a-z-]*)?,?[ \n]+or[ \n]")
# (first events whose composite with death the lexicon codes itself, or that name no event)
_DEATH_COMPOSITE_FIRST = frozenset(("death", "progression", "disease", "relapse", "recurrence", "treatment", "the", "an", "a",
                                    "any"))
# "median time to <event>" (after "median")
_TIME_TO_RE = re.compile(r"(?i)[ \n]{1,3}time[ \n]+to[ \n]+[a-z]")
# "median duration of <outcome>" (after "median"; _NOT_TIME_RE has left only the durations that are outcomes)
_DURATION_OF_RE = re.compile(r"(?i)[ \n]{1,3}duration[ \n]+of[ \n]+[a-z]")

# counts of days and stays are not times to an event (GUIDE): "Days alive and free of vasopressors
# did not differ (median 22 vs 21 days)", "Hospital stay was shorter (median 6 vs 8 days)"
_NOT_TIME_BEFORE_RE = re.compile(
    r"(?i)\b(?:days?\s+alive|[a-z]+-free\s+days|days\s+(?:free\s+(?:of|from)|without)|length\s+of\s+stay"
    r"|(?:hospital|ICU|intensive\s+care(?:\s+unit)?)\s+(?:stay|days)|hospitali[sz]ation\s+days)\b"
)


def _may_hold(text: str, a: int, b: int, words: tuple[str, ...]) -> bool:
    """False when no case-insensitive match of a pattern holding one of ``words`` (lower case) can lie in
    ``text[a:b]``."""
    seg = text[a:b]
    if has_odd_folds(seg):
        return True
    low = seg.lower()
    for w in words:
        if w in low:
            return True
    return False


# conference shorthand glued to the number: "8.3m vs 5.5m", "15.8mo", "3y"
_GLUED_UNIT_RE = re.compile(r"(?P<u>mos?|yrs?|wks?|[mywd])(?![\w-])")


# the first character of every glued unit
_GLUED_FIRST = frozenset("mywd")
# the first character of every unit (no other character folds onto m, y, w or d) or parenthesis read after
# a number: _read_values stops after the last number that one of them follows
_UNIT_OR_PAREN_FIRST = frozenset("mMyYwWdDhH([")
# ("hours": converted to days where the record is made, with a flag saying so; SCHEMA.md has no hours)
_UNIT_MAP = {"m": "months", "y": "years", "w": "weeks", "d": "days", "h": "hours"}
_PAREN_RE = re.compile(r"[ \n]{0,2}[(\[][^()\[\]]{0,80}[)\]]")
_PAREN_ARM_RE = re.compile(r"^[(\[][A-Za-z][^\d()\[\]=<>%]{1,40}[)\]]$")
# what a confidence interval in parentheses holds after its opening bracket, the closing one included
_CI_BODY = (
    rf"\s{{0,2}}(?:(?:\d{{2}}(?:\.\d)?\s?%\s?)?(?i:CI|Cl|confidence\s+interval(?:\s?\[CI\]|\s?\(CI\)|))[\s,:=]{{0,4}})?"
    # ("25.4 months-not reached": a unit after the lower bound too)
    rf"(?P<lo>{NUM})\s{{0,2}}(?:(?:months?|mos?|years?|weeks?|days?)\s{{0,2}}|)(?:-|to|,)\s{{0,2}}(?P<hi>{NUM}|(?i:not\s+(?:evaluable|estimable|reached)|NE|NR|NA))"
    r"\s{0,2}(?:months?|mos?|years?|weeks?|days?)?\s{0,2}[)\]]"
)
_CI_IN_PAREN_RE = re.compile(r"^[(\[]" + _CI_BODY + "$")
# _PAREN_RE with _CI_IN_PAREN_RE tested inside it: the look-ahead after the opening bracket sets "lo" and "hi"
# when the parenthesis is a confidence interval (neither holds a bracket, so both end at the same closing one)
# (here and below, "(?:X|)" for "(?:X)?": the same matches, but re runs an alternation with an empty branch faster)
# ("(95% confidence interval [CI], 3.5-4.6)", "[95% confidence interval (CI) 18.9-24.3 months]": the one bracket a
# parenthesis may hold)
_PAREN_CI = r"[ \n]{0,2}(?P<p>[(\[](?:(?=" + _CI_BODY.replace(")?(?P<lo>", "|)(?P<lo>").replace("days?)?", "days?|)") + \
    r")|)(?:[^()\[\]]{0,80}|[^()\[\]]{0,40}(?:\[CI\]|\(CI\))[^()\[\]]{0,40})[)\]])"
# what _read_values reads after a number in one match: a unit ("u"; "2.7 y": the lower-case letter alone is the
# conference shorthand for years), then the parenthesis after it (or after the number when there is no unit);
# both optional, so the match always succeeds and takes the unit a match of the unit alone would take.
# _PAREN_CI_RE: the parenthesis alone, once a unit is read
_AFTER_NUM_RE = re.compile(
    r"(?:[ \n]{0,2}(?i:(?P<u>months?|mos?\b\.?|years?|yrs?\b|weeks?|wks?\b|days?|hours?|hrs?\b|(?-i:y)(?![\w'/-]))(?![\w-]))|)"
    r"(?:" + _PAREN_CI + "|)"
)
_PAREN_CI_RE = re.compile("(?:" + _PAREN_CI + "|)")
# Value candidates. Every value begins with "n"/"N" ("not reached", "NR", "NE"), a digit or "."; written
# with that leading character class so that re scans for it quickly (a leading group or look-behind makes
# re try every position). The look-behinds after it say which alternative the first character started.
# _VALUE_SCAN_RE finds what "(?P<nr>(?i:not\s+...reached|...)|\bNR\b|\bNE\b)|(?<![\w.])(?P<num>NUM)(?=unit?
# (?![\w]|\.\d))" finds; the number words of the full reading come from _number_words.
_VALUE_SCAN_RE = re.compile(
    r"[nN\d.](?:(?<=[nN])(?i:ot\s+(?:yet\s+)?(?:been\s+)?reached|ot\s+estimable|ot\s+evaluable|ot\s+calculable)"
    r"|(?<!\wN)(?<=N)R\b|(?<!\wN)(?<=N)E\b"
    r"|(?<![\w.]\d)(?<=\d)\d*(?:\.\d+)?(?=(?:mos?|yrs?|wks?|[mywd])?(?![\w]|\.\d))"
    r"|(?<![\w.]\.)(?<=\.)\d+(?=(?:mos?|yrs?|wks?|[mywd])?(?![\w]|\.\d)))"
)
# The fast reading, for segments that cannot hold "a median of seven years' follow-up", of a range that
# starts right after a letter (as find_medians' ranges do, after "median" or "mPFS"; other ranges take the
# _PLAIN patterns below). Numbers the reading always skips are not matched at all (each match costs more than the tests): after a
# letter, digit, "." or "_" (the boundary), after "-", "/" or a comparison sign, optionally then one white space
# (_skip_before, for a range that starts after a letter: the sign then lies inside it), before "%" or " %",
# before "-" and a letter ("3-year"). Possessive repeats keep a number whole; a start inside an excluded number
# is excluded by the first look-behind.
_FAST_NUM = (r"(?<![\w.\-/=<>\u2264\u2265\u2248~#][\d.])(?<![=<>\u2264\u2265\u2248~#]\s[\d.])"
             r"(?:(?<=\d)\d*+(?:\.\d+)?+|(?<=\.)\d++)(?! ?%|-[A-Za-z])")
_VALUE_AFTER_LETTER_RE = re.compile(
    r"[nN\d.](?:(?<=n)ot\s+(?:yet\s+)?(?:been\s+)?reached|(?<=n)ot\s+estimable|(?<=n)ot\s+evaluable"
    r"|(?<=n)ot\s+calculable|(?<=N)R\b|(?<=N)E\b|" + _FAST_NUM + ")"
)
# the number alternatives alone, for ranges without "not"/"NR"/"NE" (where re would try every "n")
_NUM_SCAN_RE = re.compile(
    r"[\d.](?:(?<![\w.]\d)(?<=\d)\d*(?:\.\d+)?(?=(?:mos?|yrs?|wks?|[mywd])?(?![\w]|\.\d))"
    r"|(?<![\w.]\.)(?<=\.)\d+(?=(?:mos?|yrs?|wks?|[mywd])?(?![\w]|\.\d)))"
)
_NUM_AFTER_LETTER_RE = re.compile(r"[\d.]" + _FAST_NUM)
# the full reading's "not reached" alternatives (any case) with the fast numbers, for a range that may hold
# number words and starts after a letter: the numbers it leaves out are the ones the reading always skips, and
# a number it finds is one of _VALUE_SCAN_RE's when _NUM_END_RE (that pattern's look-ahead) matches at its end
_VALUE_SCAN_FAST_RE = re.compile(
    r"[nN\d.](?:(?<=[nN])(?i:ot\s+(?:yet\s+)?(?:been\s+)?reached|ot\s+estimable|ot\s+evaluable|ot\s+calculable)"
    r"|(?<!\wN)(?<=N)R\b|(?<!\wN)(?<=N)E\b|" + _FAST_NUM + ")"
)
_NUM_END_RE = re.compile(r"(?=(?:mos?|yrs?|wks?|[mywd])?(?![\w]|\.\d))")
# the same without those exclusions, for a range that does not start after a letter: what
# "not\s+...reached|...|NR\b|NE\b|\d+(?:\.\d+)?|\.\d+" finds (boundaries are checked by the caller)
_VALUE_PLAIN_RE = re.compile(
    r"[nN\d.](?:(?<=n)ot\s+(?:yet\s+)?(?:been\s+)?reached|(?<=n)ot\s+estimable|(?<=n)ot\s+evaluable"
    r"|(?<=n)ot\s+calculable|(?<=N)R\b|(?<=N)E\b|(?<=\d)\d*(?:\.\d+)?|(?<=\.)\d+)"
)
_NUM_PLAIN_RE = re.compile(r"[\d.](?:(?<=\d)\d*(?:\.\d+)?|(?<=\.)\d+)")


def _ascii_classes(pattern: str) -> str:
    """``pattern`` with \\d and \\w spelled as ASCII ranges: what it matches in an ASCII text, where re then
    tests each character against a bitmap instead of calling the Unicode category functions."""
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            esc = pattern[i:i + 2]
            if esc == "\\d":
                out.append("0-9" if in_class else "[0-9]")
            elif esc == "\\w":
                out.append("0-9A-Za-z_" if in_class else "[0-9A-Za-z_]")
            else:
                out.append(esc)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def _with_ascii_twin(rx: re.Pattern) -> tuple[re.Pattern, re.Pattern]:
    """``rx`` and its twin for a range of ASCII text (its two characters before included, which the
    look-behinds see): index 1 (True) of the pair is the twin."""
    return rx, re.compile(_ascii_classes(rx.pattern))


# the scans of _read_values with their ASCII twins (a scan tests every character of the range against its first
# character class); pairs indexed by a bool, not a dict keyed by the pattern: a pattern's hash reads its whole code
_VALUE_SCAN_PAIR, _NUM_SCAN_PAIR, _VALUE_SCAN_FAST_PAIR, _VALUE_AFTER_LETTER_PAIR, _NUM_AFTER_LETTER_PAIR, \
    _VALUE_PLAIN_PAIR, _NUM_PLAIN_PAIR = map(_with_ascii_twin, (
        _VALUE_SCAN_RE, _NUM_SCAN_RE, _VALUE_SCAN_FAST_RE, _VALUE_AFTER_LETTER_RE, _NUM_AFTER_LETTER_RE,
        _VALUE_PLAIN_RE, _NUM_PLAIN_RE))
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "eighteen", "twenty", "thirty")
_NUMBER_WORD_RE = re.compile(r"\b(?i:" + "|".join(_NUMBER_WORDS) + r")\b")
# the words in lower case, one alternative per first letter ("eighteen" before "eight", the one word that
# begins another): re tries each alternative at every position where one of those letters stands, so fewer
# alternatives scan faster
_NUMBER_WORD_LOW_RE = re.compile("one|t(?:wo|hree|en|welve|wenty|hirty)|f(?:our|ive)|s(?:ix|even)"
                                 "|e(?:ighteen|ight|leven)|nine")


def _number_words(text: str, a: int, b: int, seg: str, low: str) -> list[tuple[int, int]]:
    """Spans of what ``_NUMBER_WORD_RE.finditer(text, a, b)`` finds (``seg`` is ``text[a:b]``, ``low`` its
    lower case)."""
    if has_odd_folds(seg):
        # re folds "\u017f" onto "s" and dotless/dotted i onto "i": a lower-cased copy would miss them
        return [m.span() for m in _NUMBER_WORD_RE.finditer(text, a, b)]
    # every match holds one of these ("eight" in "eighteen"): tested one by one, much cheaper than the scan
    if not ("one" in low or "two" in low or "three" in low or "four" in low or "five" in low or "six" in low
            or "seven" in low or "eight" in low or "nine" in low or "ten" in low or "eleven" in low
            or "twelve" in low or "twenty" in low or "thirty" in low):
        return []
    out = []
    for m in _NUMBER_WORD_LOW_RE.finditer(low):
        # the word boundaries, as re sees them with the range's end as the end of the text
        s, e = m.start() + a, m.end() + a
        if (s == 0 or not _is_word(text[s - 1])) and (e == b or not _is_word(text[e])):
            out.append((s, e))
    return out


def _is_word(c: str) -> bool:
    """re's \\w for one character."""
    return c.isalnum() or c == "_"


_SKIP_BEFORE_RE = re.compile(
    r"(?i)(?:\b(?:at|within|after|over|by|than|every|per|q|n|grade|stage|cycle|day|aged?|first|last)\s{0,2}|"
    r"[=<>\u2264\u2265\u2248~#]\s?|\bn\s?=\s?|[-/])$"
)
# the first letters of its words, and the letters folding onto them ("\u017f" onto s, dotless/dotted i onto i)
_DIFF_AFTER_FIRST = frozenset("lLsSiIgGdDbBpPeEmM\u017f\u0131\u0130")
_DIFF_AFTER_RE = re.compile(
    r"(?i)[ \n]{0,2}(?:longer|shorter|improvement|gain|increase|difference|benefit|prolongation|extension|more|less|earlier|later)\b"
)
# (the separator runs are possessive: what they give back could only be matched as separators again, and
# backtracking into them made a gap of n spaces cost n^2 steps)
_CONNECT_RE = re.compile(
    r"(?i)^[\s,;:]*+(?:\(?[^()]{0,3}\)?)?[\s,;:]*+(?:vs\.?|versus|v\.?|and|or|to|compared\s+(?:with|to)|against)\s*$"
)
_COMMA_RE = re.compile(r"^[ \n]{0,2},[ \n]{0,2}$")
# the last letter of each _CONNECT_RE word ("vs.", "and", "compared with" ...)
_CONNECT_LAST = frozenset("sS\u017f.vVdDrRoOhHtT")


def _marks(gap: str) -> int:
    """The number of characters of ``gap`` that are neither white space (re's \\s) nor ",", ";" or ":", or the
    length of a short gap. _CONNECT_RE matches hold at most 17 (two parentheses, three characters between them,
    "compared with"), _SOFT_GAP_RE matches 16 ("whereas were"): a longer gap is no match, without the anchored
    patterns' backtracking."""
    n = len(gap)
    if n <= 16:
        return n
    return len("".join(gap.split())) - gap.count(",") - gap.count(";") - gap.count(":")


def _connects(gap: str, marks: Optional[int] = None) -> bool:
    """``_CONNECT_RE.match(gap)``, tried only when the gap ends like one of its words and is short enough
    (``marks``: ``_marks(gap)`` when the caller has it)."""
    if gap.rstrip()[-1:] not in _CONNECT_LAST:
        return False
    return (_marks(gap) if marks is None else marks) <= 17 and _CONNECT_RE.match(gap) is not None


_ARM_AFTER_RE = re.compile(
    r"(?i)[ \n]{0,3},?[ \n]{0,3}(?:respectively[ \n,]{0,3})?(?:in|for|with|among|on|of|in\s+favou?r\s+of)[ \n]{1,2}"
    r"(?:the[ \n]{1,2})?(?:(?:patients?|women|men|participants|those|subjects)[ \n]{1,2}(?:who[ \n]{1,2})?)?"
    r"(?:(?:had[ \n]{1,2})?(?:received|receiving|treated[ \n]{1,2}with|given|assigned[ \n]{1,2}to|allocated(?:[ \n]{1,2}to)?|"
    r"randomi[sz]ed[ \n]{1,2}to|taking|on)[ \n]{1,2})?(?:the[ \n]{1,2})?"
    # (an arm named by its dose alone, "with 120 mg": a number only with a dose unit)
    r"(?P<arm>[^,;()\[\].\d][^,;()\[\]]{0,60}?|\d+(?:\.\d+)?[ ]?(?:mg|mcg|\u00b5g)(?:/(?:kg|m2))?)"
    r"(?=[ \n]*(?:[,;()\[\]]|\.(?:\s|$)|$)|[ \n]+(?:and|versus|vs\.?|v|compared|respectively|but|whereas|while|than|group|groups|arm|arms|cohort)\b)"
)
# (_pair_sep_near's bound of 100 characters from a match's start to its separator, and its separator words,
# are read off this pattern: change them with it; tests/test_extract_prechecks.py checks the longest case)
_PAIR_RE = re.compile(
    r"(?i)(?:\b(?:with|for|in|of|between|receiving)[ \n]{1,2})(?:the[ \n]{1,2})?(?:patients[ \n]{1,2}(?:receiving|treated[ \n]with)[ \n]{1,2})?"
    r"(?P<a>[A-Za-z][^,;()\[\].\d]{0,50}?)[ \n]{1,2}(?:group[ \n]{1,2}|arm[ \n]{1,2})?"
    r"(?:vs\.?|versus|v\.?|compared[ \n]{1,2}(?:with|to)|than[ \n]{1,2}(?:in[ \n]{1,2})?|and)[ \n]{1,2}(?:the[ \n]{1,2})?"
    r"(?P<b>[A-Za-z][^,;()\[\].\d:]{0,50}?)(?=[ \n]*(?:[,;:()\[\]]|\.(?:\s|$)|$)|[ \n]+(?:group|groups|arm|arms|was|were|is|had|in|at)\b)"
)
_ARM_STOP_WORDS = re.compile(
    r"(?i)^(?:the|a|an|all|both|each|either|neither|any|patients|those|this|that|these|which|whom|respectively|terms|median|overall|"
    r"progression|survival|months?|years?|weeks?|days?|comparison|contrast|addition|total|population|study|trial|"
    r"allocated|assigned|randomi[sz]ed|treated|receiving|given|who|whom|two|three|four|five)$"
)
# its words, for ASCII names (where re's case folding is str.lower())
_ARM_STOP_SET = frozenset((
    "the a an all both each either neither any patients those this that these which whom respectively terms median "
    "overall progression survival month months year years week weeks day days comparison contrast addition total "
    "population study trial allocated assigned randomised randomized treated receiving given who whom two three four "
    "five").split())
_CONTROL_RE = re.compile(
    r"(?i)\b(?:placebo|control|observation|usual\s+care|standard|best\s+supportive\s+care|BSC|no\s+\w+|without|alone|"
    r"monotherapy|sham|untreated|deferred|conventional)\b"
)
_NONTREATMENT_RE = re.compile(
    r"(?i)\b(?:mutation|mutated|deletion|wild[- ]type|positive|negative|high|low|responders?|aged|patients\s+with|"
    r"expression|stage|score|men|women|male|female|smokers?|cohort|above|below)\b"
    # (a group by a measurement: "with \u22653 CTCs", "with <3 CTCs"; not a treatment's target or dose, "<120 mm Hg",
    # "\u226578 Gy")
    r"|^with\b|[<>\u2264\u2265](?![ ]?\d+(?:\.\d+)?[ ]?(?:mm[ ]?hg|gy|mg|mmol|%[ ]?(?:target|goal))\b)"
)


# re tries these two \b-led patterns at every position of an arm name; every match holds one of the words
# tested first (lower case; re folds no character but "\u017f", dotless/dotted i and the Kelvin sign onto
# their letters, and has_odd_folds sends names holding those to the pattern)
def _is_control(name: str) -> bool:
    """``_CONTROL_RE.search(name) is not None``."""
    if not has_odd_folds(name):
        low = name.lower()
        # ("no" also stands for "monotherapy" and "no \w+")
        if not ("placebo" in low or "control" in low or "observation" in low or "usual" in low or "standard" in low
                or "best" in low or "bsc" in low or "no" in low or "without" in low or "alone" in low
                or "sham" in low or "untreated" in low or "deferred" in low or "conventional" in low):
            return False
    return _CONTROL_RE.search(name) is not None


def _is_nontreatment(name: str) -> bool:
    """``_NONTREATMENT_RE.search(name) is not None``."""
    if not has_odd_folds(name):
        low = name.lower()
        # ("men" also stands for "women", "male" for "female", "mutat" for "mutation" and "mutated")
        if not ("mutat" in low or "deletion" in low or "wild" in low or "positive" in low or "negative" in low
                or "high" in low or "low" in low or "responder" in low or "aged" in low or "patients" in low
                or "expression" in low or "stage" in low or "score" in low or "men" in low or "male" in low
                or "smoker" in low or "cohort" in low or "above" in low or "below" in low or low.startswith("with")
                or "<" in low or ">" in low or "\u2264" in low or "\u2265" in low):
            return False
    return _NONTREATMENT_RE.search(name) is not None


LOOKBACK = 400


class _Lazy:
    """A value computed on first use (pair-of-arms scans are only needed for some medians)."""

    __slots__ = ("_fn", "_done", "_value")

    def __init__(self, fn):
        self._fn, self._done, self._value = fn, False, None

    def get(self):
        if not self._done:
            self._value, self._done = self._fn(), True
        return self._value


@dataclass
class RawValue:
    start: int
    end: int                       # end of the number/"not reached" itself
    tail: int                      # end of unit + CI / IQR parentheses
    value: Optional[float]
    not_reached: bool
    unit: Optional[str]
    ci_lo: Optional[float] = None
    ci_hi: Optional[float] = None
    arm: Optional[str] = None
    arm_end: int = -1


@dataclass
class RawMedian:
    endpoint: str
    value: RawValue
    arm: Optional[str]
    role: Optional[str]
    qualifier: Optional[str]
    span_start: int
    span_end: int


# the last character (before at most three white spaces) of every _SKIP_BEFORE_RE match
_SKIP_LAST = frozenset("tTnNrRyYqQeEdD=<>\u2264\u2265\u2248~#-/")
_SKIP_WORDS = frozenset(("at", "within", "after", "over", "by", "than", "every", "per", "q", "n", "grade", "stage",
                         "cycle", "day", "age", "aged", "first", "last"))


def _skip_before(text: str, lo: int, s: int) -> bool:
    """``_SKIP_BEFORE_RE.search(text, lo, s) is not None`` (a $-anchored search tries every start: slow)."""
    j = s
    while j > lo and s - j < 3 and text[j - 1].isspace():
        j -= 1
    if j == lo or text[j - 1] not in _SKIP_LAST:
        return False
    if not text[j - 1].isalpha():
        return _SKIP_BEFORE_RE.search(text, lo, s) is not None
    # only a word of the list can end in a letter: the whole run of word characters, starting inside the
    # range, then at most two white spaces (three when the last is a line break: "$" matches before it)
    if s - j == 3 and text[s - 1] != "\n":
        return False
    r = j - 1
    # (re's \w tested inline: a call per character cost more than the test)
    while r > lo:
        c = text[r - 1]
        if not (c.isalnum() or c == "_"):
            break
        r -= 1
    else:
        # the run reaches ``lo``: a word character before it makes the word longer than the range
        if r > 0 and _is_word(text[r - 1]):
            return False
    word = text[r:j]
    if not word.isascii():
        # (re's case folding of non-ASCII letters)
        return _SKIP_BEFORE_RE.search(text, lo, s) is not None
    return word.lower() in _SKIP_WORDS


# every _DIFF_BEFORE_RE match holds one of these words
_DIFF_WORDS = ("difference", "gain", "improvement", "prolongation", "extension", "increase", "decrease",
               "reduction", "delta")
# and ends in the last letter of "of", "was", "by", "about", "approximately", "nearly" or "almost" (any case;
# "\u017f" folds onto s), then one or two spaces or line breaks (and one more when "$" matches before it)
_DIFF_LAST = frozenset("fFsSyYtT\u017f")


def _read_values(text: str, a: int, b: int, masked) -> list[RawValue]:
    vals: list[RawValue] = []
    pos = a
    n = len(text)
    # (one copy of the range, then "in" tests on it: a ranged str.find per word costs more than the copy)
    seg = text[a:b]
    full = "ollow" in seg or "OLLOW" in seg
    low = seg.lower() if full else None
    # ("not" in the lower case: re's case folding maps no other character onto n, o or t)
    nr_possible = "not" in (seg if low is None else low) or "NR" in seg or "NE" in seg
    after_letter = text[a - 1:a].isalpha()
    if after_letter:
        rx = (_VALUE_SCAN_FAST_PAIR if full else _VALUE_AFTER_LETTER_PAIR) if nr_possible else _NUM_AFTER_LETTER_PAIR
    else:
        rx = (_VALUE_SCAN_PAIR if full else _VALUE_PLAIN_PAIR) if nr_possible else (_NUM_SCAN_PAIR if full else _NUM_PLAIN_PAIR)
    rx = rx[text.isascii() or (seg.isascii() and text[(a - 2 if a > 2 else 0):a].isascii())]
    if full:
        if after_letter:
            # (the numbers always skipped are not read: fewer candidates, the same values)
            end_ok = _NUM_END_RE.match
            cands = []
            for m in rx.finditer(text, a, b):
                raw, e = m.group(), m.end()
                if raw[0] in "nN" or end_ok(text, e, b) is not None:
                    cands.append(((m.start(), e), raw))
        else:
            cands = [(m.span(), m.group()) for m in rx.finditer(text, a, b)]
        words = _number_words(text, a, b, seg, low)
        if words:
            # (a number word never overlaps a number or "not reached")
            cands.extend((w, None) for w in words)
            cands.sort(key=lambda c: c[0])
    else:
        cands = [(m.span(), m.group()) for m in rx.finditer(text, a, b)]
    # a value is kept only with a unit of its own or of a later value, or as "not reached"; its own unit
    # (or the parenthesis before it) begins at most two spaces after it. Candidates after the last one
    # followed so (or "not reached") are never kept, and reading them changes nothing before them (they
    # lend no unit): the reading stops there
    cut = a
    for (s, e), raw in reversed(cands):
        if text[e:e + 3].lstrip(" \n")[:1] in _UNIT_OR_PAREN_FIRST or (raw is not None and raw[0] in "nN"):
            cut = s + 1
            break
    unitless = False
    diff_words = None
    glued_match = _GLUED_UNIT_RE.match
    after_match = _AFTER_NUM_RE.match
    paren_ci_match = _PAREN_CI_RE.match
    paren_match = _PAREN_RE.match
    for (s, e), raw in cands:
        if s >= cut:
            break
        if s < pos:
            continue
        nr = raw is not None and raw[0] in "nN"
        glued = None
        if not full:
            # the boundaries the full pattern checks with look-arounds
            if not nr:
                glued = glued_match(text, e) if text[e:e + 1] in _GLUED_FIRST else None
                en = glued.end() if glued else e
                # (after a letter, the scan's look-behind has excluded a number after a word character or ".")
                if (not after_letter and s > 0 and (text[s - 1].isalnum() or text[s - 1] in "._")) or \
                        (en < n and (text[en].isalnum() or text[en] == "_" or
                                     (text[en] == "." and text[en + 1:en + 2].isdigit()))):
                    continue
            elif raw in ("NR", "NE") and s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"):
                continue
        if masked(s):
            continue
        if nr:
            if s > 1 and text[s - 1] in " \n-\u2013\u2014" and _CI_UPPER_BEFORE_RE.search(text, s - 8 if s > 8 else 0, s):
                # "35.9 months (31.4-not estimable; HR ...)": a CI's upper bound, not a value
                continue
            tail = e
            ci_lo = ci_hi = None
            pm = paren_match(text, tail)
            if pm and pm.end() <= b:
                tail = pm.end()
                # "not reached (95% CI 41.0-not reached)": the lower bound is known
                cm = _CI_IN_PAREN_RE.match(text[pm.start():pm.end()].strip())
                if cm:
                    ci_lo = to_float(cm.group("lo"))
                    hi = cm.group("hi")
                    ci_hi = to_float(hi) if hi[-1].isdigit() else None
            vals.append(RawValue(s, e, tail, None, True, None, ci_lo, ci_hi))
            pos = tail
            continue
        # the cheap tests first: each of the tests below only skips this number
        nxt = text[e:e + 2]
        c = nxt[:1]
        if c == "%" or nxt == " %" or c == "-" and nxt[1:].isalpha():
            continue
        if raw is None:
            val = float(word_number(text[s:e]) or 0)
            if not val:
                continue
        else:
            val = float(raw)  # (to_float() of digits and dots)
            if "." not in raw and 1900 <= val <= 2100:
                continue
            # (truncated_at's first test inline, and a space then a letter or digit, which shows the text goes on
            # just as well: most numbers are followed by one of them)
            if (not c or c in ".\u2026" or c.isspace()) and not (c == " " and nxt[1:].isalnum()) \
                    and truncated_at(text, e):
                continue
        # the last character before the number, white space left out: a landmark ("at 12", "n = 30") or a
        # difference ("a gain of 2.1") ends in one of a few characters, so most numbers need neither test below
        lo = s - 8 if s - 8 > a else a
        last = text[lo:s].rstrip()[-1:]
        if last in _SKIP_LAST and _skip_before(text, lo, s):
            # "at 12 months" is a landmark; "different at 19.8 months" is a value
            if not (raw and "." in raw and _AT_BEFORE_RE.search(text[max(a, s - 4):s])):
                continue
        # (a match lies in the 40 characters before the number: re would try each of them)
        # (the words are looked for once in the whole range first: most ranges hold none, and a window with one
        # lies in a range with one)
        if last in _DIFF_LAST and (diff_words if diff_words is not None else
                                   (diff_words := _may_hold(text, a, b, _DIFF_WORDS))) \
                and _may_hold(text, s - 40 if s - 40 > a else a, s, _DIFF_WORDS) \
                and (dm := _DIFF_BEFORE_RE.search(text, max(a, s - 40), s)) \
                and not _NAMED_TIME_TO_RE.search(text, max(a - 20, dm.start() - 30), dm.start()):
            # "a difference of 1.2 months": the gap between medians, not a median ("time to clinical improvement
            # was 5 days" names its outcome)
            continue
        tail = e
        ci_lo = ci_hi = None
        unit = None
        arm_in_paren = None
        # "15.1 months (95% CI 14.1-16.3)" or "18.3 (95% CI, 10.9-not evaluable) versus": at most three steps, each
        # a unit (while none is read) or a parenthesis; one _AFTER_NUM_RE match reads a unit and the parenthesis
        # after it (a confidence interval's bounds as well)
        m = after_match(text, e)
        u, p, clo, chi = m.group("u", "p", "lo", "hi")
        if u is not None:
            tail = m.end("u")
        elif raw is None or "." in raw or len(raw) <= 2:
            # a unit glued to the number ("8.3m"; glued to an integer of 3+ digits it is a length, "350m"): the
            # parenthesis is then read after it
            gm = glued if not full else glued_match(text, e)
            if gm is not None:
                u = gm.group("u")
                tail = gm.end()
                m = paren_ci_match(text, tail)
                p, clo, chi = m.group("p", "lo", "hi")
        steps = 3
        if u is not None:
            unit = _UNIT_MAP[u[0].lower()]
            steps = 2
        # (a matched parenthesis ends the match)
        while p is not None and m.end() <= b + 1:
            if clo is not None:
                # (a confidence interval holds neither "iqr" nor "range")
                ci_lo = to_float(clo)
                ci_hi = to_float(chi) if chi[-1].isdigit() else None
            else:
                low = p.lower()
                if "iqr" in low or "range" in low or "interquartile" in low:
                    pass
                elif unit is not None and arm_in_paren is None and _PAREN_ARM_RE.match(p):
                    # "9.8 months (drug) vs. 7.4 months (placebo)"
                    arm_in_paren = p[1:-1].strip()
                else:
                    break
            tail = m.end()
            steps -= 1
            if not steps:
                break
            if unit is None:
                m = after_match(text, tail)
                u, p, clo, chi = m.group("u", "p", "lo", "hi")
                if u is not None:
                    unit = _UNIT_MAP[u[0].lower()]
                    tail = m.end("u")
                    steps -= 1
                    if not steps:
                        break
            else:
                m = paren_ci_match(text, tail)
                p, clo, chi = m.group("p", "lo", "hi")
        if unit is None and (nxt[1:] if c == " " else c) in _OTHER_UNIT_FIRST and _OTHER_UNIT_RE.match(text, e):
            # "with 60 mg, and 59.7 weeks": a dose, not a duration borrowing the chain's unit
            continue
        if unit is None and raw is None:
            continue
        if unit and text[tail:tail + 3].lstrip(" \n")[:1] in _DIFF_AFTER_FIRST and _DIFF_AFTER_RE.match(text, tail):
            pos = tail
            continue
        if text[tail:tail + 1] == "%":
            continue
        if unit is None:
            unitless = True
        vals.append(RawValue(s, e, tail, val, False, unit, ci_lo, ci_hi, arm_in_paren, tail if arm_in_paren else -1))
        pos = tail
    # unitless values borrow the unit of their partner in a "X vs Y months" chain: the first unit further
    # along the run of connected values, found in one backward pass (a long chain stays linear)
    if not unitless:
        return vals
    borrowed: list[Optional[str]] = [None] * len(vals)
    for i in range(len(vals) - 2, -1, -1):
        gap = text[vals[i].tail:vals[i + 1].start]
        if gap in _JOIN_GAPS or _connects(gap) or _COMMA_RE.match(gap):
            borrowed[i] = vals[i + 1].unit or borrowed[i + 1]
    keep: list[RawValue] = []
    for v, unit in zip(vals, borrowed):
        if v.unit is None and not v.not_reached:
            if unit is None:
                continue
            v.unit = unit
        keep.append(v)
    return keep

# "time to (clinical|symptom|...) <improvement>": an outcome's name ending in a word of _DIFF_BEFORE_RE
_NAMED_TIME_TO_RE = re.compile(r"(?i)\btime[ \n]+to[ \n]+(?:[\w-]+[ \n]+){0,2}$")
_DIFF_BEFORE_RE = re.compile(
    r"(?i)\b(?:difference|gain|improvement|prolongation|extension|increase|decrease|reduction|delta)"
    r"(?:[ \n]{1,2}in[ \n]{1,2}(?:median[ \n]{1,2})?[\w-]{1,20})?[ \n]{1,2}(?:of|was|by)[ \n]{1,2}"
    r"(?:(?:about|approximately|nearly|almost)[ \n]{1,2})?$"
)
_TO_RE = re.compile(r"[^.;,()\d]{1,40}?\bto[ \n]")
_EVENT_WORD_RE = re.compile(r"(?i)\b(?:onset|death|progression|relapse|recurrence|events?|infection|failure|response)\b")
# outcomes of other fields right after "to" ("the interval from randomisation to delivery"; "to delivery of
# radiotherapy", "to first recovery visit" are steps of care)
_TO_OUTCOME_RE = re.compile(r"(?i)(?:the\s+)?(?:hospital\s+|full\s+|complete\s+)?"
                            r"(?:delivery|birth|discharge|recovery|resolution|healing)\b(?!\s+(?:of|visit)\b)")


def _time_to_event_from(text: str, pos: int) -> bool:
    """True for "(time from) randomisation to disease onset": a 'from ... to <event>' interval at ``pos``."""
    m = _TO_RE.match(text, pos)
    return bool(m and (_EVENT_WORD_RE.search(text[m.end():m.end() + 45].split(",")[0])
                       or _TO_OUTCOME_RE.match(text, m.end())))


_OVER_BEFORE_RE = re.compile(r"(?i)\b(?:over|during|after|across|within|with)[ \n]{1,2}(?:a|an|the)[ \n]{1,2}$")
_CI_UPPER_BEFORE_RE = re.compile(r"\d(?:[ \n]?[-\u2013\u2014][ \n]?|[ \n]to[ \n])$")
# "received a median follow-up of", "received a median of 5.2 years of follow-up": a follow-up, not a treatment's duration
_FOLLOW_AFTER_RE = re.compile(r"(?i)[ \n]{1,2}(?:follow|of[ \n]{1,2}\d+(?:\.\d+)?[ \n]{1,2}[a-z]+[ \n]{1,2}of[ \n]{1,2}follow)")
# "took a median of 14 days of oral antibiotics": a duration of what was taken
_OF_EXPOSURE_RE = re.compile(r"(?i)median[ \n]{1,2}of[ \n]{1,2}\d+(?:\.\d+)?[ \n]{1,2}(?:days?|weeks?|months?|years?)[ \n]{1,2}of[ \n]")
_RANGED_RE = re.compile(r"(?i)\brang(?:ed|ing|es)[ \n]+(?:from[ \n]+|between[ \n]+)?$")
_BEFORE_ENTRY_RE = re.compile(r"(?i)[ \n]{1,2}(?:before|prior[ \n]to)[ \n]{1,2}(?:the[ \n]{1,2})?(?:randomi[sz]ation|random[ \n]"
                              r"assignment|enrol+ment|inclusion|study[ \n]entry|baseline|screening)")
_CHANGED_BY = ("shortened", "reduced", "prolonged", "lengthened", "extended", "improved", "increased", "decreased",
               "delayed", "longer", "shorter")
_GIVEN = ("received", "were given", "was given", "took")


def _not_median_before(text: str, s: int) -> bool:
    """True when the words just before a median at ``s`` make it a difference ("shortened by a median of") or a
    treatment's duration ("received a median of"), not a median to record. (Word tests from the end: a regex ending
    in "$" would try every start.)"""
    words = text[s - 30 if s > 30 else 0:s].lower().split()
    if words[-1:] == ["a"]:
        del words[-1]
    if not words:
        return False
    if words[-1] == "by":
        return len(words) >= 2 and words[-2] in _CHANGED_BY
    if not (" ".join(words[-2:]).endswith(_GIVEN) and (words[-1] in ("received", "took") or words[-2] in ("were", "was"))):
        return False
    # "Recovery took a median of 6 days" is a time to an event; "Patients took a median of 14 days of antibiotics" an
    # exposure
    return words[-1] != "took" or _OF_EXPOSURE_RE.match(text, s) is not None


# a characteristic of the patients, one word after "median": "median recipient age", "median dialysis vintage"
# (possessive: the word cannot give back letters to a space, and no branch is tried at each of them)
_CHARACTERISTIC_RE = re.compile(
    r"(?i)[ \n]{1,3}+[a-z-]++[ \n]{1,2}+(?:age|vintage|weight|height|bmi|dose|score|level|count)\b")
_OF_TREATMENT_RE = re.compile(r"(?i)[ \n]{1,2}(?:of|on)[ \n]{1,2}(?:\w+[ \n]{1,2})?(?:treatment|therapy|exposure|dosing|use)\b")
_OF_ONLY_RE = re.compile(r"(?i)^[ \n]{0,2}(?:of[ \n]{1,2})?$")
_AT_BEFORE_RE = re.compile(r"\bat\s{1,2}$")
# "followed for a median", "Follow-up was for a median", "follow-up lasted a median"
_FOLLOW_BEFORE_RE = re.compile(
    r"(?i)follow(?:ed|-?\s?up)?(?:\s+up)?\s+(?:(?:was|lasted|continued|extended)\s+)?(?:for\s+|of\s+)?(?:a\s+)?$")


# "With a minimum follow-up of 24 months (median, 31.4)": the median's unit is the minimum's
_MIN_FOLLOW_RE = re.compile(
    r"(?i)(?:(?:minimum|minimal)[ \n]+follow-?\s?up[ \n]+(?:of|was)[ \n]+|follow-?\s?up[ \n]+(?:of|was)[ \n]+at[ \n]+least[ \n]+)"
    r"\d{1,3}(?:[.\u00b7]\d+)?[ \n]+(?P<u>months?|years?|weeks?|days?)[ \n]?\($")
_BRACKET_VALUE_RE = re.compile(r"[ \n]?[,:]?[ \n]?(?P<v>\d{1,3}(?:[.\u00b7]\d+)?)(?=[ \n]?[);,])")


def _bracketed_followup(text: str, tm: _Trigger) -> Optional[RawMedian]:
    """The median follow-up a bracket after a minimum follow-up gives without a unit of its own ("a minimum
    follow-up of 24 months (median, 31.4)": 31.4 months), its span from "follow", or None."""
    vm = _BRACKET_VALUE_RE.match(text, tm.e)
    if vm is None:
        return None
    fm = _MIN_FOLLOW_RE.search(text, tm.s - 60 if tm.s > 60 else 0, tm.s)
    if fm is None:
        return None
    unit = _UNIT_MAP[fm.group("u")[0].lower()]
    v = RawValue(vm.start("v"), vm.end("v"), vm.end("v"), to_float(vm.group("v")), False, unit)
    return RawMedian("FOLLOWUP", v, None, None, None, fm.start(), v.tail)


def _follow_before(before: str) -> bool:
    """``_FOLLOW_BEFORE_RE.search(before) is not None``, tried only when ``before`` holds "follow" in any case
    (re folds no other character onto f, o, l or w; the search tries every position)."""
    return "follow" in before.lower() and _FOLLOW_BEFORE_RE.search(before) is not None


_GROUP_WORD_RE = re.compile(r"(?i)^\s*(?:group|groups|arm|arms|cohort)\b")
# (possessive separator and space runs, as in _CONNECT_RE)
_SOFT_GAP_RE = re.compile(r"(?i)^[\s,;:]*+(?:\(?[^()]{0,3}\)?)?[\s,;:]*+(?:and|while|whereas|but)?\s*+(?:was|were|is)?\s*$")
_TRAIL_GROUP_RE = re.compile(r"(?i)\s+(?:group|groups|arm|arms|cohort)$")
_LEAD_THE_RE = re.compile(r"(?i)^(?:the|patients\s+(?:receiving|treated\s+with))\s+")
_WHOLE_POP_RE = re.compile(r"(?i)^(?:the\s+)?(?:entire|whole|overall|all|intention|itt|total)\b")

# what names no arm: a measure ("11.6 months, respectively, with hazard ratios of 0.71"), or a list of arm labels
# ("in arms A, B, and C, respectively": "arms A" is no arm)
_NOT_ARM_NAME_RE = re.compile(r"(?i)(?:an?[ \n]+)?(?:hazard|odds|risk|rate)[ \n]+ratios?\b|(?-i:a?HRs?|ORs?|RRs?)(?:[ \n]|$)"
                              r"|(?:arms|groups|cohorts)[ \n]+(?:[A-Z]|[IVX]{1,4}|\d)$")
_KEEP_GROUP_RE = re.compile(r"(?i)^(?:study|treatment|trial|intervention|experimental|research)$")


def _clean_arm(arm: Optional[str]) -> Optional[str]:
    if not arm:
        return None
    # (each regex is tried only where the first or last character allows a match: "the", "patients";
    # "group", "arms", "cohort"; the whole-population words)
    whole = arm.strip()
    full = _LEAD_THE_RE.sub("", whole).strip() if whole[:1] in "tTpP" else whole
    trailed = _TRAIL_GROUP_RE.sub("", whole) if whole[-1:] in "pPsS\u017fmMtT" else whole
    if trailed is whole:
        # (no group word removed: the leading words are those already removed from ``whole``)
        arm = full
    else:
        arm = _LEAD_THE_RE.sub("", trailed).strip() if trailed[:1] in "tTpP" else trailed.strip()
    if trailed is not whole and _KEEP_GROUP_RE.match(arm) and full.lower() != arm.lower():
        # "the study group": the group word makes it an arm name
        return full
    if not arm or len(arm) < 2 or (arm.lower() in _ARM_STOP_SET if arm.isascii() else _ARM_STOP_WORDS.match(arm)):
        return None
    if arm[:1] in "tTeEwWoOaAiI\u0131\u0130" and _WHOLE_POP_RE.match(arm):
        return None
    if _NOT_ARM_NAME_RE.match(arm):
        return None
    return arm


class _Trigger:
    """Where a median is announced, ``text[s:e]``: "median" / "Median" / "MEDIAN(S)" (``ab`` None), or
    "mPFS", "mOS"... (``ab`` the abbreviation). Plain attributes: read many times per trigger."""

    __slots__ = ("s", "e", "ab", "stop")

    def __init__(self, s: int, e: int, ab: Optional[str], stop: int = -1):
        # ``stop``: where the values it announces end at the latest (a label's list item), or -1
        self.s, self.e, self.ab, self.stop = s, e, ab, stop


# "mPFS", "mOS" ...: one scan with the literal prefix "m" (a find() per abbreviation is slower)
_ABBR_TRIGGER_RE = re.compile("m(?:" + "|".join(_ABBR_CODES) + ")")
# "m" and the first letter of a code: a cheaper scan (one class test after each "m" instead of the codes), which
# finds no match in most texts; the codes are read from the first one on
_ABBR_FIRST_RE = re.compile("m[" + "".join(sorted({c[0] for c in _ABBR_CODES})) + "]")


def _triggers(text: str) -> list[_Trigger]:
    """Return the median triggers of ``text`` in order ("median" found with str.find: much faster than a regex)."""
    out = []
    n = len(text)
    for lit, first in (("edian", "mM"), ("EDIAN", "M")):
        i = text.find(lit)
        while i != -1:
            s = i - 1
            e = i + 5
            if e < n and text[e] in "sS":
                e += 1
            if s >= 0 and text[s] in first and not (s > 0 and text[s - 1].isalpha()) \
                    and not (e < n and text[e].isalpha()):
                out.append(_Trigger(s, e, None))
            i = text.find(lit, i + 5)
    # no abbreviation holds an "m", so the scan's matches do not overlap: the same as a find() loop per code
    first = _ABBR_FIRST_RE.search(text)
    for m in (_ABBR_TRIGGER_RE.finditer(text, first.start()) if first else ()):
        i, e = m.span()
        if not (i > 0 and text[i - 1].isalpha()) and not (e < n and text[e].isalpha()):
            out.append(_Trigger(i, e, text[i + 1:e]))
    # "PFS: 5.6 vs 3.7 months" (results as a list, conference style): an endpoint as a label, then a duration
    _label_triggers(text, out)
    if len(out) > 1:
        out.sort(key=lambda t: t.s)
    return out


# the end of a label's list item: a line that begins another item (a bullet or a label), a clause's or a sentence's
# end ("vs." is no end), or the next bullet on the same line
_ITEM_END_RE = re.compile(r"\n(?=[ \t]*(?:[-\u2022*\u2013\u2014]|[A-Za-z][\w -]{0,30}:))|;\s|(?<!\bvs)(?<!\bv)\.\s"
                          r"|\s[-\u2013\u2022]\s(?=[A-Za-z])")
# a label that is a step of care, not an outcome ("Time to treatment: 14 days")
_STEP_LABEL_RE = re.compile(r"(?i)time\s+to\s+(?:first\s+)?(?:treatment|therapy|surgery|resection|randomi[sz]ation)\s*:")
# the endpoints whose duration a label gives: times to an event, and "time to <event>" (OTHER)
_LABEL_CODES = frozenset(("OS", "PFS", "DFS", "iDFS", "EFS", "RFS", "DMFS", "MFS", "TTP", "TTF", "DOR", "CSS", "PFS2"))


def _label_triggers(text: str, out: list) -> None:
    """Add a trigger (an empty one, at the label's start: the label is the endpoint) for each "<endpoint>: <duration>"
    whose label is one endpoint wording alone after a line's or sentence's start ("- PFS: 11.2 vs 7.4 mo")."""
    i = text.find(":")
    while i != -1:
        # (cheap tests first: a number or "NR"/"not reached" follows, a word ends before)
        c = text[i + 1:i + 4].lstrip(" ")[:1]
        if c and (c.isdigit() or c in "Nn") and text[i - 1:i].isalpha() \
                and (may_end_wording(text[i - 30 if i > 30 else 0:i].split()[-1])
                     or "ime to" in text[i - 45 if i > 45 else 0:i]):
            # ("Results: 398 patients": no endpoint wording ends with "Results")
            lo = i - 45 if i > 45 else 0
            # the label: from the last boundary before the colon
            seg = text[lo:i]
            k = max(seg.rfind("\n"), seg.rfind(". "), seg.rfind("; "), seg.rfind(" - "), seg.rfind(" \u2013 "),
                    seg.rfind(" \u2022 "))
            if k != -1 or lo == 0:
                a = lo + k + 1
                while a < i and text[a] in " -*\u2022\u2013\u2014\t":
                    a += 1
                # (from 40 characters before the label: a wording that begins before it, "progression-free\nsurvival:"
                # in a wrapped line, is not the label's)
                found = endpoint_list(text, a - 40 if a > 40 else 0, i)
                while found and found[0][1] <= a:
                    del found[0]
                if found and found[0][0] == a and not text[found[-1][1]:i].strip(" )") \
                        and all(f[2] == found[0][2] for f in found) \
                        and (found[0][2] in _LABEL_CODES
                             or (found[0][2] == "OTHER" and text[a:a + 7].lower() == "time to"
                                 and not _STEP_LABEL_RE.match(text, a, i + 1))):
                    stop = _ITEM_END_RE.search(text, i)
                    stop = stop.start() if stop else len(text)
                    # a rate's landmark ("DFS: 5 years, 88.1% vs 85.2%", "OS: 12 mo 70% vs 61%") or a design's
                    # assumption ("PFS: 12 vs 8 months (HR 0.67), 80% power") is no median
                    # (looked for in the values' first 40 characters: the item may run on into the next sentence)
                    if text.find("%", i, stop if stop < i + 40 else i + 40) == -1:
                        out.append(_Trigger(a, a, None, stop))
        i = text.find(":", i + 1)


_FOLLOWUP_VALUES_MAX = 12  # values read after one "median follow-up"
# values reported after one trigger: real sentences list a few arms or analyses (at most 10 in our ~6,900 test
# texts); each value's span runs from the trigger, so an unbounded list, as hostile text makes, would quote
# quadratic text (20,000 values: 2.6 GB of quotes)
_TRIGGER_VALUES_MAX = 24


def find_medians(text: str, sents: Sentences, masked, doc_arms, comparative: bool,
                 n_design: Optional[int] = None) -> list[RawMedian]:
    """Return the medians of ``text`` (normalised); ``masked(pos)`` is True inside ratio spans. ``doc_arms``: the
    (name, role) of the design's arms, then of the other names the text gives them (labels, "(arm A)"); ``n_design``:
    how many of them are the design's (None: all but the "arm A" labels)."""
    out: list[RawMedian] = []
    triggers = _triggers(text)
    if not triggers:
        return out
    # the design's own arms (the other names of its arms, "(letrozole group)", are not arms of their own)
    design = doc_arms[:n_design] if n_design is not None else doc_arms
    standard = _Lazy(lambda: _standard_text(text, sents))
    for k, tm in enumerate(triggers):
        nt = _NOT_TIME_RE.match(text, tm.e)
        if nt and not (nt.group(0).rstrip().lower().endswith("from") and _time_to_event_from(text, nt.end())):
            # "median time from randomisation to progression" is a time to an event; "from diagnosis" alone is not
            continue
        if _CHARACTERISTIC_RE.match(text, tm.e):
            # "the median recipient age", "the median dialysis vintage": a characteristic of the patients
            continue
        near = text[tm.s - 14 if tm.s > 14 else 0:tm.s]
        if ("by" in near or "ceiv" in near or "given" in near or "took" in near) and _not_median_before(text, tm.s) \
                and not _FOLLOW_AFTER_RE.match(text, tm.e):
            # "shortened by a median of 20 days", "prolonged by a median of 4 months": a difference, not a median;
            # "Patients received a median of 7 days of antibiotics": a treatment's duration ("received a median of 5.2 years
            # of follow-up" is a follow-up, and "Recovery took a median of 6 days" a time to an event)
            continue
        s_start, s_end = sents.bounds(tm.s)
        # look back at most LOOKBACK characters: keeps a run-on "sentence" linear
        if s_start < tm.s - LOOKBACK:
            s_start = tm.s - LOOKBACK
        seg_end = s_end
        if k + 1 < len(triggers) and triggers[k + 1].s < s_end:
            seg_end = triggers[k + 1].s
        if tm.stop != -1 and tm.stop < seg_end:
            seg_end = tm.stop
        vals = _read_values(text, tm.e, seg_end, masked)[:_TRIGGER_VALUES_MAX]
        if vals and "rang" in text[tm.e:vals[0].start] and _RANGED_RE.search(text, tm.e, vals[0].start):
            # "Median OS in the included trials ranged from 12.3 to 15.4 months": a range of medians, no group's own
            continue
        if vals and ("before" in text[tm.e:seg_end] or "prior" in text[tm.e:seg_end]):
            # "symptom onset was a median of 3 days before randomisation": the patients' state at entry
            vals = [v for v in vals if not _BEFORE_ENTRY_RE.match(text, v.tail)]
        if not vals:
            if text[tm.s - 1:tm.s] == "(":
                fm = _bracketed_followup(text, tm)
                if fm is not None:
                    out.append(fm)
            continue
        if "hours" in [v.unit for v in vals] and not _TIME_TO_RE.match(text, tm.e):
            # hours are kept for a "median time to <event>" only ("median sleep duration was 7.1 hours" is a
            # measure)
            vals = [v for v in vals if v.unit != "hours"]
            if not vals:
                continue
        # endpoint(s)
        # (endpoint_list, not find_endpoints: the list itself, without the iterator and a comprehension over it)
        head = endpoint_list(text, tm.e, vals[0].start)
        if len(head) > 1:
            head = merge_definitions(text, head)
        is_follow = (head and head[0][2] == "FOLLOWUP") or tm.ab == "FU" or text[tm.e + 1:tm.e + 3] == "FU" \
            or _follow_before(text[s_start if s_start > tm.s - 30 else tm.s - 30:tm.s]) \
            or (not head and text[tm.s - 1:tm.s] == "(" and _MIN_FOLLOW_RE.search(text, tm.s - 60 if tm.s > 60 else 0, tm.s) is not None)
        if not is_follow and not head and not tm.ab:
            # "a median of seven years follow-up" (in the same sentence)
            after = text[vals[0].tail:min(vals[0].tail + 15, s_end)].lower()
            if "follow" in after:
                is_follow = True
            elif vals[0].unit and _OVER_BEFORE_RE.search(text, max(s_start, tm.s - 12), tm.s) \
                    and _OF_ONLY_RE.match(text[tm.e:vals[0].start]) \
                    and not _OF_TREATMENT_RE.match(text, vals[0].tail):
                # "Over a median of 3.4 years, the primary outcome occurred ...": the time observed
                is_follow = True
            elif _OF_TREATMENT_RE.match(text, vals[0].tail):
                # "after a median of 3 months of treatment": a treatment duration (not recorded)
                continue
        if is_follow:
            # (a follow-up is reported for a few arms or analyses; each value's check below scans again from
            # the trigger, so an unbounded list, as hostile text makes, would cost quadratic time)
            for v in vals[:_FOLLOWUP_VALUES_MAX]:
                # a follow-up segment ends where another outcome is named
                if v is not vals[0]:
                    # (a loop: any() over a generator costs more)
                    other = False
                    for _s, _e, c in endpoint_list(text, tm.e, v.start):
                        if c != "FOLLOWUP" and c != "OS":
                            other = True
                            break
                    if other:
                        break
                if v.not_reached:
                    continue
                out.append(RawMedian("FOLLOWUP", v, None, None, None, tm.s, v.tail))
            continue
        codes = [c for _s, _e, c in head if c != "FOLLOWUP"]
        if tm.ab:
            # "mPFS 7.2 vs 5.1 months"
            codes = [_ABBR_CODES[tm.ab]] + codes
        distinct: list[str] = []
        for c in codes:
            if c not in distinct:
                distinct.append(c)
        if distinct and distinct[-1] in ("OS", "CSS") and len(distinct) <= 2 and (tto := _TIME_TO_OR_RE.match(text, tm.e)) \
                and tto.group("w").lower() not in _DEATH_COMPOSITE_FIRST:
            # "median time to decompensation or liver-related death", "median time to hospitalization or death": one
            # composite outcome (cardiovascular: "time to stroke or cardiovascular death"), not death alone, nor two
            # outcomes sharing the values
            distinct = ["MACE" if CV_WORD_RE.search(text, tm.e, vals[0].start) else "OTHER"]
        if not distinct:
            pm = PRIMARY_RE.search(text, tm.e, vals[0].start) if text.find("rimary", tm.e, vals[0].start) != -1 else None
            if pm is not None:
                distinct = [primary_endpoint(text) or "OTHER"]
        if not distinct and (nt is not None or _TIME_TO_RE.match(text, tm.e, vals[0].start)
                             or _DURATION_OF_RE.match(text, tm.e, vals[0].start)):
            # "the median time to shock reversal was ...", "the median interval from randomisation to birth": a time
            # to an event the lexicon does not know
            distinct = ["OTHER"]
        if not distinct:
            # nearest outcome before the word "median" in the sentence, else the sentence before
            found = last_endpoint(text, s_start, tm.s)
            if found is not None and found[1] == "OTHER" and text.startswith(("event", "outcome"), found[0]):
                # "EFS events had occurred in 97 and 78 patients ...; medians were not reached": the events of the
                # endpoint named just before
                named = endpoint_list(text, found[0] - 40 if found[0] - 40 > s_start else s_start, found[0])
                if named and not text[named[-1][1]:found[0]].strip():
                    found = (named[-1][0], named[-1][2])
            nb = None
            # (every match holds "day" or "stay")
            if _may_hold(text, s_start, tm.s, ("day", "stay")):
                for nb in _NOT_TIME_BEFORE_RE.finditer(text, s_start, tm.s):
                    pass
            if nb is not None and (found is None or found[0] < nb.start()):
                continue
            near = found[1] if found else None
            if near is None and _OWN_SUBJECT_RE.match(text, s_start, tm.s) \
                    and ";" not in BRACKETED_PARTS_RE.sub("", text[s_start:tm.s]):
                # "Biopsy-proven acute rejection was more frequent with X and occurred earlier, at a median of 52
                # days ...": the sentence's subject is an outcome the lexicon does not know
                near = "OTHER"
            if near is None:
                i = sents.index(tm.s)
                if i > 0:
                    a, b = sents.bounds_of(i - 1)
                    found = last_endpoint(text, a, b)
                    near = found[1] if found else None
            distinct = [near or "OTHER"]
        # a median of a response is its duration ("the median duration of CMR was ..."), or the time to it
        if "RESPONSE" in distinct:
            # (a duration only when the sentence says so: "time-to-response", "was achieved at a median of" are
            # times to it)
            dur = "DOR" if "durat" in text[s_start:vals[0].start].lower() else "OTHER"
            distinct = [dur if c == "RESPONSE" else c for c in distinct]
        # "not reached in either arm" / "PFS and OS were not reached": one entry per arm and endpoint
        # (a loop: any() over a generator costs more)
        some_not_reached = False
        for v in vals:
            if v.not_reached:
                some_not_reached = True
                break
        # ... and "11 days in both groups": one value for two arms
        if some_not_reached or (len(vals) == 1 and comparative and _two_arms(design)
                                and (bm := _BOTH_ARMS_RE.match(text, vals[0].tail))
                                and not _POOLED_AFTER_RE.match(text, bm.end())):
            vals = _not_reached_all(text, tm, s_start, seg_end, vals, distinct, design, comparative, out)
            if not vals:
                continue
        # arms
        for v in vals:
            if v.arm:
                continue
            am = _arm_after(text, v.tail)
            if am and am.start("arm") < seg_end + 1:
                v.arm = _clean_arm(am.group("arm"))
                v.arm_end = am.end("arm")
                dm = _ARM_DESC_RE.match(text, v.arm_end) if v.arm and _ARM_LABEL_RE.match(v.arm) else None
                if dm:
                    # "in arm A (cisplatin + irinolin)": the label and what the arm received
                    v.arm = f"{v.arm} ({dm.group('d').strip()})"
                    v.arm_end = dm.end()
            else:
                # "The median PFS of observation group was 11.2 months", "than that of control group (7.1 months"
                bm = _arm_before(text, tm.e if tm.e > v.start - 70 else v.start - 70, v.start)
                if bm:
                    # "study group" keeps its group word (the bare word is not an arm name)
                    v.arm = _clean_arm(bm.group("arm")) or bm.group("arm").strip()
                elif (lb := _LABEL_BEFORE_VALUE_RE.search(text, v.start - 16 if v.start - 16 > tm.e else tm.e, v.start)
                      if "arm" in text[v.start - 8 if v.start > 8 else 0:v.start].lower() and doc_arms else None):
                    # "mOS: arm A NR (95% CI 26.0-NE), arm B 24.7 mo": a list of labelled arms, each before its value
                    v.arm = lb.group("arm")
                elif doc_arms and text[v.start - 2:v.start] == ", ":
                    # "as follows: lorabrutinib-dalitoclax, not reached; bendamustine-rituximab, 3.4 years": a list of
                    # a design arm's name, then its value
                    lm = _LISTED_ARM_RE.search(text, v.start - 60 if v.start - 60 > tm.e else tm.e, v.start)
                    if lm and _names_design_arm(lm.group("arm"), doc_arms):
                        v.arm = lm.group("arm")
        _assign(text, sents, tm, s_start, seg_end, vals, distinct, doc_arms, comparative, out, standard, n_design)
    return out


_ARM_LABEL_RE = re.compile(r"(?i)^(?:arm|group|cohort)[ \n](?:[A-Z]|[IVX]{1,4}|\d)$")
# words of a subgroup or a sequence, not of an arm ("docetaxel-pretreated", "no prior bevacizumab", "placebo then X")
_NOT_ARM_WORD_RE = re.compile(r"(?i)\b(?:then|after|before|prior|no|without|naive|na\u00efve|pretreated|crossover|switch\w*|"
                              r"age|aged|subgroup)\b")


def _names_design_arm(name: str, doc_arms) -> bool:
    """True when ``name`` is one of the design arms as written, or holds just its drug words ("lorabrutinib-dalitoclax"
    is "15 cycles of lorabrutinib plus dalitoclax"), and no word of a subgroup or a sequence."""
    if _NOT_ARM_WORD_RE.search(name):
        return False
    low = name.lower()
    words = drug_words(low)
    return any(_contains_words(a.lower(), low) or (words and words == drug_words(a.lower())) for a, _r in doc_arms)


_LISTED_ARM_RE = re.compile(r"[:;][ \n]{1,2}(?P<arm>[A-Za-z][\w+/-]*(?:[ ][\w+/-]+){0,3}),[ ]$")
_ARM_DESC_RE = re.compile(r"[ \n]{0,2}\((?P<d>[A-Za-z][^()\d=;]{1,60})\)")
_ARM_BEFORE_RE = re.compile(
    r"(?i)\b(?:of|in|for)[ \n]{1,2}(?:the[ \n]{1,2})?(?P<arm>[A-Za-z][\w+-]*(?:[ \n][\w+-]+){0,2}?[ \n]{1,2}(?:group|arm))"
    r"[ \n]{0,2}(?:(?:was|were|is)[ \n]{1,2}|\([ \n]{0,2})$"
)


def _arm_before(text: str, lo: int, hi: int) -> Optional[re.Match]:
    """``_ARM_BEFORE_RE.search(text, lo, hi)``, tried only when the text before ``hi`` ends like a match:
    "was", "were", "is" or "(", then at most three spaces or line breaks."""
    j = hi
    while j > lo and hi - j < 3 and text[j - 1] in " \n":
        j -= 1
    if j > lo and text[j - 1] in "sS\u017feE(":
        # the match ends in "group" or "arm", at most "  were  " and a line break before ``hi``: the $-anchored
        # search tries every start, so it runs only when one of them lies that close (no other character
        # folds onto their letters)
        near = text[lo if lo > hi - 16 else hi - 16:hi].lower()
        if "group" in near or "arm" in near:
            return _ARM_BEFORE_RE.search(text, lo, hi)
    return None


# the first two letters (lower case) of the words an _ARM_AFTER_RE match holds after its separators (kept in
# step with that pattern's words: tests/test_extract_prechecks.py fails when one is missing)
_ARM_AFTER_HEADS = frozenset(("re", "in", "fo", "wi", "am", "on", "of"))


def _may_begin(text: str, pos: int, spaces: int, heads: frozenset) -> bool:
    """False when the text at ``pos``, after at most ``spaces`` spaces or line breaks, an optional comma and
    ``spaces`` more, does not begin with one of ``heads`` (two lower-case letters) in any case (ASCII: a
    non-ASCII character, which re may fold onto a letter, gives True)."""
    j = pos
    n = len(text)
    k = j + spaces
    while j < n and j < k and text[j] in " \n":
        j += 1
    if j < n and text[j] == ",":
        j += 1
    k = j + spaces
    while j < n and j < k and text[j] in " \n":
        j += 1
    head = text[j:j + 2]
    return not head.isascii() or head.lower() in heads


def _arm_after(text: str, tail: int) -> Optional[re.Match]:
    """``_ARM_AFTER_RE.match(text, tail)``, tried only when the text after at most three spaces or line breaks,
    a comma and three more begins with "respectively" or one of its words (their first two letters)."""
    return _ARM_AFTER_RE.match(text, tail) if _may_begin(text, tail, 3, _ARM_AFTER_HEADS) else None


_CONTAINING_RE = re.compile(r"(?i)-(?:containing|based|including|treated)$")
_BOTH_ARMS_RE = re.compile(
    r"(?i)[ \n]{1,3}(?:in|for|with|among)[ \n]{1,2}(?P<q>either|both|each|all|any|the[ \n]{1,2}(?:two|three|four))"
    r"(?:[ \n]{1,2}of[ \n]{1,2}the)?(?:[ \n]{1,2}(?P<w>[\w+-]{1,25}))?[ \n]{1,2}(?:arms?|groups?|cohorts?|regimens?)\b"
)


# a sentence whose subject (a few words, no population or pronoun) was more or less frequent or occurred
_NOT_OWN_SUBJECT = (r"(?!(?:The|This|These|That|Those|Patients|Participants|It|We|In|Among|At|After|By|With|Of|All"
                    r"|Overall|Crossover|Cross-over|Separation|Improvement|Benefit|Difference|Divergence|Treatment"
                    r"|Switching|Response|Responses)\b)")
_OWN_SUBJECT_RE = re.compile(
    r"\s{0,3}" + _NOT_OWN_SUBJECT + r"[A-Z][\w-]+(?:[ ][a-z][\w-]*){0,5}[ ](?:was|were)[ ](?:more|less)[ ]"
    r"(?:frequent|common)\b|\s{0,3}" + _NOT_OWN_SUBJECT + r"[A-Z][\w-]+(?:[ ][a-z][\w-]*){0,5}[ ](?:occurred|developed)\b")
# "(medians were not reached) with pembrolizumab", "in the drug A group": an arm named after the value
_WITH_ARM_RE = re.compile(r"(?i)[ \n]{1,3}(?:with|in|for)[ \n]")
# a unit that is not a time: the number is a dose, a size or a measure
_OTHER_UNIT_RE = re.compile(r"[ \n]?(?:mg|g|kg|mcg|\u00b5g|ug|ml|mL|L|mmol|IU|units?|mm|cm|Gy|cGy|MBq|mg/m2|mg/kg)\b")
# the first letter of each (a set test before the regex: most numbers are followed by none)
_OTHER_UNIT_FIRST = frozenset("gkm\u00b5uLIcGM")
# "in both groups combined": the whole population
_POOLED_AFTER_RE = re.compile(r"(?i)[ \n]{1,2}(?:combined|pooled|together|overall)\b")


def _two_arms(doc_arms) -> bool:
    """True when the design names one experimental and one control arm, or no arm (a value "in each group" of
    three arms is not read as two)."""
    roles = [r for _n, r in doc_arms if r in ("experimental", "control")]
    return not doc_arms or (len(roles) == 2 and roles[0] != roles[1])


def _not_reached_all(text, tm, s_start, seg_end, vals, endpoints, doc_arms, comparative, out) -> list:
    """Record "not reached" values that stand for several arms or endpoints, and a lone value given "in both groups";
    return the other values."""
    single = len(vals) == 1 and len(endpoints) > 1
    rest = []
    qual = _Lazy(lambda: _qualifier(text, s_start, tm.s, seg_end))
    for v in vals:
        both = _BOTH_ARMS_RE.match(text, v.tail) if v.not_reached or len(vals) == 1 else None
        # "(EFS events ...); medians were not reached": one for each arm
        plural = both is None and v.not_reached and len(vals) == 1 and not single and comparative \
            and text[tm.e - 1:tm.e] in "sS" and v.arm is None and _arm_after(text, v.tail) is None \
            and _arm_before(text, s_start, tm.s) is None and not _WITH_ARM_RE.match(text, v.tail)
        if not (v.not_reached or both) or not (both or plural or single):
            rest.append(v)
            continue
        if both or plural:
            named = [(n, r) for n, r in doc_arms if r in ("experimental", "control")]
            word = both.group("w") if both else None
            if word:
                # "either pelnolimab-containing group": the arms that contain that drug
                word = _CONTAINING_RE.sub("", word) or None
            own = [(n, r) for n, r in named if word and _contains_words(n.lower(), word.lower())] if word else []
            if len(own) >= 2 and len({r for _n, r in own}) == 1:
                # "not reached in either orvelix arm": the arms of that drug (two doses), not the control
                arms = own
            elif len(named) == 2 and named[0][1] != named[1][1]:
                arms = named
            elif len(named) >= 3 and both and both.group("q").lower()[:3] in ("eac", "all", "any", "the") \
                    and len(named) == len(doc_arms):
                # "not reached in any arm" of a three-arm trial: one for each of its arms
                arms = [(_clean_arm(n) or n, r) for n, r in named]
            else:
                arms = [(None, "experimental" if comparative else None), (None, "control" if comparative else None)]
            end = both.end() if both else v.tail
        else:
            arms, end = [(None, None)], v.tail
        # the quote runs from "median" unless that is far away (long lists stay linear)
        start = tm.s if v.start - tm.s <= 300 else v.start
        # (several endpoints only for "PFS and OS were not reached"; "Median OS after progression was 9.0 months in
        # both groups" is OS alone)
        for ep in (endpoints if single and v.not_reached else endpoints[:1]):
            for name, role in arms:
                out.append(RawMedian(ep, v, name, role, qual.get(), start, end))
    return rest


# the commonest gaps between the values of a chain (" and ", " vs "), which connect: a set lookup instead of
# the patterns (each kept only when _connects accepts it and it opens with no group word)
_JOIN_GAPS = frozenset(g for g in (" and ", " vs ", " vs. ", " versus ", " v ", " v. ", " or ", " to ", " compared with ",
                                   ", versus ", ", vs ", ", vs. ", ", and ", " compared to ")
                       if _connects(g) and _GROUP_WORD_RE.sub("", g) == g)


def _split_groups(text: str, vals: list[RawValue], n_eps: int) -> list[list[RawValue]]:
    """Split values into comparison chains joined by vs/and/versus."""
    groups: list[list[RawValue]] = [[vals[0]]]
    for prev, v in zip(vals, vals[1:]):
        gap_end = v.start
        gap_start = prev.arm_end if prev.arm_end > 0 else prev.tail
        gap = text[gap_start:gap_end] if gap_start <= gap_end else ""
        if gap in _JOIN_GAPS:
            groups[-1].append(v)
            continue
        if gap.lstrip()[:1] in "gGaAcC":
            # ("group", "arm", "cohort" opening the gap)
            gap = _GROUP_WORD_RE.sub("", gap)
        marks = _marks(gap)
        if _connects(gap, marks) or (marks <= 16 and _SOFT_GAP_RE.match(gap)):
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


# every _PAIR_RE match begins with one of these words
_PAIR_WORDS = ("with", "for", "in", "of", "between", "receiving")
_PAIR_WORDS_SPACE = tuple(w + " " for w in _PAIR_WORDS)
_PAIR_WORDS_SPACED = _PAIR_WORDS_SPACE + tuple(w + "\n" for w in _PAIR_WORDS)


def _pair_starts(text: str, a: int, b: int, seg: Optional[str] = None, low: Optional[str] = None) -> Optional[list[int]]:
    """The positions in ``text[a:b]`` where a _PAIR_RE match can begin, sorted: one of its words with no word
    character before it (the pattern's \\b, which sees the text before ``a`` too), a space or line break
    after it, and a separator word near enough after it (``_pair_sep_near``). None when the range holds
    characters whose case folding is odd (re must scan it itself). ``seg``, ``low``: ``text[a:b]`` and its lower
    case, when the caller has them."""
    if seg is None:
        seg = text[a:b]
    if has_odd_folds(seg):
        return None
    if low is None:
        low = seg.lower()
    out = []
    # (most occurrences of "in", "of", "for" lie inside words: re would try its long pattern at each; the word
    # is looked for with the space or line break after it, which most occurrences inside words lack)
    for ws in (_PAIR_WORDS_SPACED if "\n" in low else _PAIR_WORDS_SPACE):
        i = low.find(ws)
        while i != -1:
            p = a + i
            if p == 0 or not (text[p - 1].isalnum() or text[p - 1] == "_"):
                if _pair_sep_near(low, i):
                    out.append(p)
            i = low.find(ws, i + 1)
    out.sort()
    return out


# what the words, "the", "patients receiving" and the first arm of a _PAIR_RE match may not hold
_PAIR_STOP_RE = re.compile(r"[,;()\[\].\d]")


def _pair_sep_near(low: str, i: int) -> bool:
    """False when no _PAIR_RE match can begin at ``low[i]`` (lower case, no odd case folds): its separator
    ("vs", "v.", "versus", "compared", "than", "and") follows a space or line break at most 100 characters
    after the start (word 9, spaces 2, "the " 5, "patients treated with " 24, first arm 51, spaces 2, "group " 7),
    before any character the text up to it may not hold. The window is 110 characters so that it holds the
    whole of the longest separator word ("compared" ends by 108); "and", "than" and "compared" are looked
    for without the space before them (finding more only keeps more starts). A failed attempt of the pattern
    costs far more."""
    stop = _PAIR_STOP_RE.search(low, i, i + 110)
    w = low[i:stop.start() if stop is not None else i + 110]
    return " v" in w or "\nv" in w or "and" in w or "than" in w or "compared" in w


def _pair_arms(text: str, a: int, b: int, seg: Optional[str] = None, low: Optional[str] = None) -> Optional[tuple[str, str]]:
    starts = _pair_starts(text, a, b, seg, low)
    for m in (_PAIR_RE.finditer(text, a, b) if starts is None else matches_at(_PAIR_RE, text, starts, b)):
        x, y = _clean_arm(m.group("a")), _clean_arm(m.group("b"))
        if x and y and x.lower() != y.lower():
            return x, y
    return None


def _contains_words(hay: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``hay`` as whole words ("arm i" is not in "arm ii")."""
    i = hay.find(needle)
    while i != -1:
        before = hay[i - 1:i]
        after = hay[i + len(needle):i + len(needle) + 1]
        if not (before.isalnum() or after.isalnum()):
            return True
        i = hay.find(needle, i + 1)
    return False


def _role(name: Optional[str], doc_arms) -> Optional[str]:
    if not name:
        return None
    low = name.lower()
    hits = []
    for arm_name, role in doc_arms:
        an = arm_name.lower()
        if an == low:
            return role
        if len(low) > 2 and (_contains_words(an, low) or _contains_words(low, an)):
            hits.append((an, role))
    if len({r for _a, r in hits}) == 1:
        return hits[0][1]
    if _is_control(name):
        # ("letrozole alone", "docetaxel only": the control, whichever arms hold the drug)
        return "control"
    # the name's words within arms of both roles ("lomustine" in "X plus lomustine" and "lomustine 110 mg/m2 alone"),
    # or within none as written ("X + lomustine"): the arm that holds all its drug words and the fewest others; a
    # tie between roles decides nothing
    words = drug_words(low)
    if words:
        best = None
        tie = False
        for arm_name, role in doc_arms:
            aw = drug_words(arm_name.lower())
            if words <= aw:
                if best is None or len(aw) < best[0]:
                    best, tie = (len(aw), role), False
                elif len(aw) == best[0] and role != best[1]:
                    tie = True
        if best is not None and not tie:
            return best[1]
    if hits:
        return hits[0][1]
    # (every match begins with "the" or "combination"; no other character folds onto t or c)
    if name[:1] in "tTcC" and _COMBINATION_RE.match(name):
        # "with the combination": the one design arm that combines treatments
        combined = [role for arm_name, role in doc_arms if _COMBINED_ARM_RE.search(arm_name)]
        if len(combined) == 1:
            return combined[0]
    return None


_NAME_WORD_RE = re.compile(r"[a-z][a-z0-9-]*")
def _given_alone(text: str, name: str) -> bool:
    """True when the text names ``name`` alone somewhere ("GnP alone", "placebo (control)")."""
    i = text.find(name)
    while i != -1:
        if _ALONE_AFTER_RE.match(text, i + len(name)):
            return True
        i = text.find(name, i + len(name))
    return False


_ALONE_AFTER_RE = re.compile(r"[ \n]+alone\b|[ \n]*\((?:the[ \n]+)?control")
# a trial whose experimental arm gives less: the arm without the added drug may be the experimental one
_REDUCES_RE = re.compile(r"(?i)de-?escalat|\bomission\b|non-?\s?inferiority")


def _reduces(text: str) -> bool:
    """``_REDUCES_RE.search(text)``, run only when the text holds one of its words' letters in some case (the pattern
    has no literal prefix: re would try it at every position)."""
    up = text.upper()
    return ("SCALAT" in up or "OMISSION" in up or "INFERIORITY" in up) \
        and _REDUCES_RE.search(text) is not None


def _backbone_arm(names: list[str]) -> Optional[int]:
    """Index of the one arm whose drug words every other arm holds and adds to ("GC" of "GC plus tinarafib 150 mg"),
    or None."""
    sets = [frozenset(_NAME_WORD_RE.findall(n.lower())) - _NOT_DRUG_WORDS for n in names]
    found = [i for i, a in enumerate(sets) if a and all(i == j or a < b for j, b in enumerate(sets))]
    return found[0] if len(found) == 1 else None


_COMBINATION_RE = re.compile(r"(?i)^(?:the\s+)?combination(?:\s+(?:therapy|treatment|regimen|arm|group))?$")
_WORD3_RE = re.compile(r"[a-z]{3,}")
# words of an arm's name that name no drug (doses, schedules, joins)
_NOT_DRUG_WORDS = frozenset(("plus", "and", "with", "alone", "only", "the", "every", "daily", "twice", "once", "weeks",
                             "week", "days", "day", "bid", "tid", "qd", "q3w", "q2w", "q4w", "mg", "monotherapy",
                             "followed", "then", "or", "group", "arm", "cycles", "cycle", "dose", "doses", "oral",
                             "intravenous", "matching", "placebo", "controlled", "sham", "two", "three", "four",
                             "five", "six", "eight", "nine", "ten", "twelve"))


@functools.lru_cache(maxsize=1024)
def drug_words(name: str) -> frozenset:
    """The words of a lower-cased arm name that may name a drug (3+ letters, not a dose, schedule or join).
    (Memoised: a pure function of a short name, asked for each median of a document.)"""
    return frozenset(w for w in _WORD3_RE.findall(name) if w not in _NOT_DRUG_WORDS)
_COMBINED_ARM_RE = re.compile(r"(?i)\bplus\b|\+|\bcombined\b|\bcombination\b")


def _assign(text, sents, tm, s_start, seg_end, vals, endpoints, doc_arms, comparative, out, standard="", n_design=None):
    n_eps = len(endpoints)
    # one copy of the range and its lower case for every qualifier test and the pair-of-arms scan (they all
    # look at this same range; text.lower is str.lower, by a cheaper route for a non-ASCII range)
    seg = text[s_start:seg_end]
    low = lower(seg)
    qualifies = _may_qualify(seg, low)
    qual = _qualifier_at(text, s_start, tm.s, seg_end) if qualifies else None
    groups = _split_groups(text, vals, n_eps)
    pair = _Lazy(lambda: _pair_arms(text, s_start, seg_end, seg, low))
    prev_arms: Optional[list[Optional[str]]] = None
    # "PFS and OS were 19.4 and 48.7 months, respectively, for arm I compared with 20.7 and 57.4 ..."
    if n_eps > 1:
        flat = []
        for g in groups:
            flat.extend(g)
        if len(flat) % n_eps == 0 and len(flat) >= n_eps:
            chunks = [flat[i:i + n_eps] for i in range(0, len(flat), n_eps)]
            names = []
            for ch in chunks:
                names.append(next((v.arm for v in reversed(ch) if v.arm), None))
            if len(chunks) == 1:
                names = [None]
            roles = _roles_for(names, doc_arms, comparative, standard, text) if len(chunks) > 1 else [None]
            for ci_, ch in enumerate(chunks):
                end = ch[0].tail
                for x in ch:
                    if x.tail > end:
                        end = x.tail
                for j, v in enumerate(ch):
                    out.append(RawMedian(endpoints[j], v, names[ci_], roles[ci_], qual, tm.s, end))
            return
        # "median PFS and OS were 7.8 and 15.5 months" with a different count: first endpoint
    ep = endpoints[0]
    if len(groups) == 2 and all(len(g) == 1 and g[0].arm for g in groups) and comparative:
        # "2.9 years in arm A (cisplatin + irinolin) and 2.1 years in arm B (cisplatin alone)": two arms
        # named one value each take their roles together
        names = [_clean_arm(g[0].arm) or g[0].arm for g in groups]
        if all(names) and names[0].lower() != names[1].lower():
            roles = _roles_for(names, doc_arms, comparative, standard, text)
            for g, name, role in zip(groups, names, roles):
                gq = _qualifier_at(text, s_start, g[0].start, seg_end) if qualifies else None
                out.append(RawMedian(ep, g[0], name, role, gq, tm.s, g[0].tail))
            return
    for g in groups:
        gq = (_qualifier_at(text, s_start, g[0].start, seg_end) if qualifies else None) if len(groups) > 1 else qual
        names: list[Optional[str]] = [v.arm for v in g]
        if len(g) >= 2 and not all(names):
            # (its separators and words: at most two spaces, a comma, two more, "respectively", "for", "in", "with")
            after = _ARM_LIST_AFTER_RE.match(text, g[-1].tail) \
                if _may_begin(text, g[-1].tail, 2, _ARM_LIST_HEADS) else None
            labels = _LABEL_LIST_RE.match(text, g[-1].tail) if not any(names) else None
            if labels:
                # "7.3, 4.1, and 3.8 months in arms A, B, and C, respectively": the design's labelled arms
                names = [f"{labels.group('w')[:-1]} {x}" for x in _LABEL_SPLIT_RE.split(labels.group("labs"))]
                if len(names) != len(g):
                    names = [None] * len(g)
            elif after:
                names = [after.group("a").strip(), after.group("b").strip()] + [None] * (len(g) - 2)
            elif len(g) >= 3 and not any(names) and len(design := _design(doc_arms, n_design)) == len(g):
                # "15.2, 14.1, and 10.3 months, respectively" in a three-arm trial: the design's order (not a pair of
                # arms the sentence names later: "... with hazard ratios of 0.71 for arm A versus arm C")
                names = design
            elif len(g) >= 3 and not any(names) and _RESPECTIVELY_RE.match(text, g[-1].tail) \
                    and (last := _last_arms(out, len(g))):
                # "Median OS was 9.8, 10.4 and 11.9 months, respectively; the HR for death with X versus Y ...": the
                # three arms just named, not a pair the sentence names later
                names = last
            elif not any(names) and pair.get():
                names = list(pair.get()) + [None] * (len(g) - 2)
            elif prev_arms and not any(names) and len(prev_arms) == len(g):
                names = prev_arms
            elif not any(names) and _RESPECTIVELY_RE.match(text, g[-1].tail):
                # "Median overall survival was 11.9, 12.6 and 14.1 months, respectively": the arms of the medians
                # just before, in their order
                names = _last_arms(out, len(g)) or names
        names = [_clean_arm(n) for n in names]
        if len(g) == 1:
            roles = [_role(names[0], doc_arms)] if (names[0] and comparative) else [None]
        else:
            roles = _roles_for(names, doc_arms, comparative, standard, text)
        # (a loop: max() over a generator costs more)
        end = g[0].tail
        for x in g:
            if x.tail > end:
                end = x.tail
        for v, name, role in zip(g, names, roles):
            out.append(RawMedian(ep, v, name, role, gq, tm.s, end))
        if len(g) >= 2:
            prev_arms = names


# "mOS: arm A NR (...), arm B 24.7 mo": an arm's label just before its value, after a list's separator
_LABEL_BEFORE_VALUE_RE = re.compile(r"[:;,(][ \n]{0,2}(?P<arm>(?i:arm)[ \n](?:[A-Z]|[IVX]{1,4}|\d))[ \n]?:?[ \n]{1,2}$")
# "in arms A, B, and C, respectively": a list of arm labels after the values
_LABEL_LIST_RE = re.compile(
    r"[ \n]{0,2},?[ \n]{0,2}(?:respectively[ \n,]{0,3})?(?:in|for|with)[ \n]{1,2}(?:the[ \n]{1,2})?(?P<w>(?i:arms|groups|cohorts))"
    r"[ \n]{1,2}(?P<labs>(?:[A-Z]|[IVX]{1,4}|\d)(?:[ \n]?,[ \n]?(?:[A-Z]|[IVX]{1,4}|\d))*,?[ \n]{1,2}and[ \n]{1,2}"
    r"(?:[A-Z]|[IVX]{1,4}|\d))\b")
_LABEL_SPLIT_RE = re.compile(r"[ \n]*,[ \n]*(?:and[ \n]+)?|[ \n]+and[ \n]+")


_RESPECTIVELY_RE = re.compile(r"[ \n]{0,2},?[ \n]{0,2}respectively\b")


def _last_arms(out: list, k: int) -> Optional[list[str]]:
    """The arms of the last trigger's medians, in order, when they are ``k`` distinct named arms; else None."""
    if not out:
        return None
    at = out[-1].span_start
    last = [m for m in out[-k - 1:] if m.span_start == at]
    names = [m.arm for m in last]
    if len(names) != k or not all(names) or len({n.lower() for n in names}) != k:
        return None
    return names


def _design(doc_arms, n_design: Optional[int]) -> list[str]:
    """The names of the design's arms (its arms' labels, "arm A", are not arms of their own)."""
    if n_design is not None:
        return [n for n, _r in doc_arms[:n_design]]
    return [n for n, _r in doc_arms if not _ARM_LABEL_RE.match(n)]


_ARM_LIST_AFTER_RE = re.compile(
    r"(?i)[ \n]{0,2},?[ \n]{0,2}(?:respectively[ \n,]{0,3})?(?:for|in|with)[ \n]{1,2}(?:the[ \n]{1,2})?"
    r"(?P<a>[^,;()\[\].\d]{1,40}?)[ \n]{1,2}and[ \n]{1,2}(?:the[ \n]{1,2})?(?P<b>[^,;()\[\].\d]{1,40}?)"
    r"(?=[ \n]+(?:groups?|arms?)\b|[ \n]*[,;()\[\]]|\.(?:\s|$)|$)"
)

# the same for _ARM_LIST_AFTER_RE (its separators allow 2 spaces, not 3; same test)
_ARM_LIST_HEADS = frozenset(("re", "fo", "in", "wi"))


# "a new standard"
_NEW_BEFORE_RE = re.compile(r"(?i)\bnew\s+(?:\w+\s+)?$")
_STANDARD_RE = re.compile(r"(?i)\bstandard\b|\bcurrent\s+(?:treatment|therapy|practice)|\busual\s+care")


def _standard_text(text: str, sents: Sentences) -> str:
    """The sentences where the background names the standard treatment: in the first third of the text,
    not "a new standard"."""
    head = text[:max(200, len(text) // 3)]
    low = head.lower()
    if not ("standard" in low or "current" in low or "usual" in low):
        return ""
    return " ".join(
        text[a:b] for a, b in (sents.bounds_of(i) for i in
                               sorted({sents.index(m.start()) for m in finditer_from(_STANDARD_RE, head, ("standard", "current", "usual"), low=low)
                                       if not _NEW_BEFORE_RE.search(head[max(0, m.start() - 12):m.start()])})))


# words that do not name an arm; the set serves lower-case ASCII tokens, the pattern (case folding) the others
_ARM_FILLER_WORDS = ("treatment", "therapy", "regimen", "schedule", "group", "arm", "patients", "the", "with", "of",
                     "and", "plus", "alone")
_ARM_FILLER = re.compile("(?i)^(?:" + "|".join(_ARM_FILLER_WORDS) + ")$")
_ARM_FILLER_SET = frozenset(_ARM_FILLER_WORDS)
_TOKEN_RE = re.compile(r"[\w-]+")


def _standard_arm(names: list[Optional[str]], standard: str) -> Optional[int]:
    """Index of the one arm whose words all appear where the text names the standard treatment."""
    hits = []
    low = None
    for i, n in enumerate(names):
        if not n:
            continue
        # (an ASCII token is a filler word when it is one of the set: it is in lower case already)
        toks = [t for t in _TOKEN_RE.findall(n.lower())
                if not (t in _ARM_FILLER_SET if t.isascii() else _ARM_FILLER.match(t))]
        if not toks:
            continue
        if low is None:
            # the standard-treatment sentences are read only for a name with words (most pairs of arms have
            # no names): without one, no index is found whatever they hold
            standard = standard.get() if isinstance(standard, _Lazy) else standard
            if not standard:
                return None
            low = standard.lower()
        if all(_has_token(low, t) for t in toks):
            hits.append(i)
    return hits[0] if len(hits) == 1 else None


def _has_token(low: str, t: str) -> bool:
    """True when ``t`` occurs in ``low`` next to no word character or "-" (a search for
    ``(?<![\\w-])t(?![\\w-])``, which re would try at every position)."""
    n, k = len(low), len(t)
    i = low.find(t)
    while i != -1:
        if not (i > 0 and (_is_word(low[i - 1]) or low[i - 1] == "-")) \
                and not (i + k < n and (_is_word(low[i + k]) or low[i + k] == "-")):
            return True
        i = low.find(t, i + 1)
    return False


def _roles_for(names: list[Optional[str]], doc_arms, comparative: bool, standard: str = "",
               text: str = "") -> list[Optional[str]]:
    """The arm role of each name (None where unknown); ``text``, the document's, tells a trial that takes a drug away."""
    if not comparative:
        return [None] * len(names)
    roles = [_role(n, doc_arms) for n in names]
    if not any(roles) and len(names) >= 2 and all(names) and text:
        # "assigned to GnP alone, GnP plus drenacept (low dose) ...": the one arm the text gives alone is the control
        alone = [k for k, n in enumerate(names) if _given_alone(text, n)]
        if len(alone) == 1:
            roles = ["experimental"] * len(names)
            roles[alone[0]] = "control"
            return roles
    # (the roles are computed once, before the test that needs them: _role has no side effects)
    if not any(roles):
        for n in names:
            if n and _is_nontreatment(n):
                return [None] * len(names)
    if len(names) == 2 and not any(roles):
        k = _standard_arm(names, standard)
        if k is not None:
            roles = ["experimental", "experimental"]
            roles[k] = "control"
            return roles
    if not any(roles) and len(names) >= 2 and all(names) and not _reduces(text):
        k = _backbone_arm(names)
        if k is not None:
            # "with GC, ... with GC plus tinarafib 150 mg and ... with GC plus tinarafib 300 mg": the arm every other
            # one adds a drug to is the control (unless the trial takes a drug away: de-escalation, omission)
            roles = ["experimental"] * len(names)
            roles[k] = "control"
            return roles
    if len(names) == 2:
        if roles[0] and not roles[1]:
            roles[1] = "experimental" if roles[0] == "control" else "control"
        elif roles[1] and not roles[0]:
            roles[0] = "experimental" if roles[1] == "control" else "control"
        elif not roles[0] and not roles[1]:
            roles = ["experimental", "control"]
        elif roles[0] == roles[1]:
            roles = ["experimental", "control"]
    else:
        roles = [r if r else None for r in roles]
    return roles


# (pattern, the words every match begins with, label)
_QUAL_RE = [
    (re.compile(r"(?i)\b(?:central(?:ly)?|independent|blinded\s+independent)\s+(?:review|assessment|radiolog\w*|committee|assess\w*)|\bBICR\b|\bIRC\b|by\s+central"),
     ("central", "independent", "blinded", "bicr", "irc", "by"), "central review"),
    (re.compile(r"(?i)\b(?:investigator[- ]assess\w*|assessed\s+by\s+(?:the\s+)?(?:local\s+)?investigators?|local\s+investigators?|"
                r"local\s+(?:review|assessment)|investigator\s+(?:review|assessment))\b"),
     ("investigator", "assessed", "local"), "investigator assessed"),
]




def _qualifier(text: str, a: int, pos: int, b: int) -> Optional[str]:
    """Return the assessment qualifier stated in ``text[a:b]`` nearest before ``pos``."""
    if not _may_qualify(text[a:b]):
        return None
    return _qualifier_at(text, a, pos, b)


def _may_qualify(seg: str, low: Optional[str] = None) -> bool:
    """False when no assessment qualifier can be stated in ``seg`` (``low``: its lower case, if known)."""
    # a qualifier needs one of the case-exact words of the second test below (tested one by one: much cheaper
    # than any() over a generator). Most ranges hold none of them in any case, which the six tests of the
    # lower case, run first, show; the second test is still needed, as a mixed case ("CEntral") is none of them.
    if low is None:
        low = seg.lower()
    if not ("entral" in low or "ndependent" in low or "bicr" in low or "irc" in low or "nvestigator" in low
            or "ocal" in low):
        return False
    return ("entral" in seg or "ENTRAL" in seg or "ndependent" in seg or "NDEPENDENT" in seg or "BICR" in seg
            or "IRC" in seg or "nvestigator" in seg or "NVESTIGATOR" in seg or "ocal" in seg or "OCAL" in seg)


def _qualifier_at(text: str, a: int, pos: int, b: int) -> Optional[str]:
    """``_qualifier(text, a, pos, b)`` for a range that passed ``_may_qualify``."""
    best = None
    for rx, words, label in _QUAL_RE:
        for m in finditer_from(rx, text, words, a, b):
            if m.start() > pos:
                # matches come in order: the later ones are after ``pos`` too
                break
            if best is None or m.start() > best[0]:
                best = (m.start(), label)
    return best[1] if best else None
