"""Hazard, odds and risk ratios with CI and p-value, read from running text.

The grammar: a *mention* of a measure ("hazard ratio [HR]", "aHR", "relative risk") claims
the first plausible number after it in the same sentence; a CI clause and a p-value may
follow. Numbers that carry their own CI right after a claimed ratio in the same or next
sentence ("... 0.88 (0.81-0.96) and 0.91 (0.85-0.97), respectively") are further ratios
of the same measure.
"""
from __future__ import annotations

import bisect
import operator
import re
from typing import NamedTuple, Optional

from .endpoints import CV_WORD_RE as _CV_WORD_RE
from .endpoints import (KEY_SECONDARY_USE_RE, PRIMARY_RE, composite_code, drop_defined_phrase, endpoint_list, endpoint_of,
                        key_secondary_endpoint)
from .text import ASCII_LETTERS, BRACKETED_PARTS_RE, NUM, ODD_FOLD_TO_ASCII, Sentences, has_odd_folds, to_float, truncated_at

# --------------------------------------------------------------------------- measures

# Anchors: the words "ratio", "risk", "hazard" in lower, title or upper case (no two occurrences of
# these can overlap) and the abbreviations "HR", "OR", "RR". The lower-case words are found with
# str.find, which scans for a literal several times faster than a regex scans for a class of first
# letters: "ratio", "risk", "azard" (after h or H); the rest by one regex, _R_ANCHOR_RE, that stops only
# at the capital Rs they need (title and upper case ratio/risk begin with one, "HAZARD" holds one, the
# abbreviations end in one).
_ANCHOR_R_WORDS = ("Ratio", "Risk", "RATIO", "RISK")
# the capital Rs an anchor needs: one ending an abbreviation (after H, O or R), one beginning an R word
# above, the R of "HAZARD". All begin with the literal R, so re skips to that letter; most capital Rs
# begin other words ("RESULTS") and are passed over without a Python step
_R_ANCHOR_RE = re.compile(r"R(?:(?<=[HOR]R)|(?=atio|isk|ATIO|ISK)|(?<=HAZAR)(?=D))")
# every measure phrase begins with i/r/h/o in any case (\u0130 and \u0131 fold to "i"). The pattern is the
# plain case-insensitive one with its alternatives grouped by their first letter, written out once per
# case: alternatives that all begin with a literal give re a set of first characters to skip to, and at
# a start position only the alternatives of that letter are tried (same matches: the R words keep
# their order). It reads "I(?i:ncidence\s+rate\s+ratios?)|i(?i:ncidence...)|\u0130(...)|\u0131(...)|
# R(?i:ate\s+ratios?|elative...)|r(...)|H(?i:azards?\s+ratios?)|h(...)|O(?i:dds\s+ratios?)|o(...)".
_MW_R_WORDS = r"(?i:ate\s+ratios?|elative\s+excess\s+risks?|elative\s+risks?|isk\s+ratios?|elative\s+hazards?)"
_MW = re.compile("|".join(
    first + rest for letters, rest in (
        ("Ii\u0130\u0131", r"(?i:ncidence\s+rate\s+ratios?)"), ("Rr", _MW_R_WORDS),
        ("Hh", r"(?i:azards?\s+ratios?)"), ("Oo", r"(?i:dds\s+ratios?)"))
    for first in letters))
# The last two letters of the phrase words that can come before "ratio" (rate, hazard, hazards, odds,
# risk) or before "risk"/"hazard" (relative, excess), lower-cased: the phrase pattern ignores case, and
# re also matches the long s \u017f to "s" (the Kelvin sign lower-cases to "k")
_PHRASE_WORD_TAILS = frozenset(("ve", "te", "rd", "ds", "ss", "sk", "d\u017f", "s\u017f", "\u017fs", "\u017f\u017f", "\u017fk"))
_PAREN_ABBR = re.compile(r"\s{0,3}[\[(]\s{0,3}(?:a|adjusted\s|adj|)(?:HR|OR|RR|IRR)s?\s{0,3}[\])]")
# (a hyphen and a word: "HR-positive", "HR-proficient", "HR-deficient" name hormone-receptor or homologous-recombination
# status, not a hazard ratio)
_ABBR_BAD_AFTER = re.compile(r"[\w+/]|-(?:positive|negative|proficient|deficient|competent|defective|intact|low|high|status"
                            r"|expressing|expression|mutant|mutated|rich|poor|related|\+|-|/|\s)")


class Mention(NamedTuple):
    """A measure named in the text: ``w`` the words ("hazard ratio") or ``a`` the abbreviation."""

    start: int
    end: int
    w: Optional[str]
    a: Optional[str]


# builds a Mention from a tuple of its fields in one C call (Mention(...) runs a Python __new__)
_new_tuple = tuple.__new__
_first = operator.itemgetter(0)


def _after_phrase_word(text: str, p: int) -> bool:
    """False when the anchor word at ``p`` cannot lie in a measure phrase, so the window search is not needed.
    (find_mentions inlines the case of one space before ``p``: keep them in step.)

    A phrase match covering ``p`` has a word start there (inside a word, only the "r" of "hazard" could
    sit on the anchor's first letter, and the next letters differ); no phrase begins with "ratio", and one
    beginning with "risk"/"hazard" ("risk ratio") is longer than the window searched. So the anchor
    follows whitespace and another phrase word, which ends in one of _PHRASE_WORD_TAILS.
    """
    # k: the last non-space character of the 25 before p, or the one before them when all are spaces
    # (str.rstrip strips what str.isspace is true of)
    lo = p - 25 if p > 25 else 0
    k = lo + len(text[lo:p].rstrip()) - 1
    return k < p - 1 and k >= 1 and text[k - 1:k + 1].lower() in _PHRASE_WORD_TAILS


def find_mentions(text: str) -> list[Mention]:
    """Return the measure mentions of ``text`` in order (anchored on literal 'ratio'/'risk'/'HR'... for speed)."""
    find = text.find
    word_at: list[int] = []
    p = find("ratio")
    while p >= 0:
        word_at.append(p)
        p = find("ratio", p + 1)
    p = find("risk")
    while p >= 0:
        word_at.append(p)
        p = find("risk", p + 1)
    p = find("azard")
    while p >= 0:
        if p >= 1 and text[p - 1] in "hH":
            word_at.append(p - 1)
        p = find("azard", p + 1)
    abbr_at: list[int] = []
    abbr_end = 0
    for rm in _R_ANCHOR_RE.finditer(text):
        j = rm.start()
        if text.startswith(_ANCHOR_R_WORDS, j):
            word_at.append(j)
        elif j >= 4 and text.startswith("HAZARD", j - 4):
            word_at.append(j - 4)
        # "RRR" holds one "RR": abbreviations are matched left to right without overlap
        # (j > abbr_end >= 0: j - 1 is a position at or after the last abbreviation's end)
        if j > abbr_end and text[j - 1] in "HOR":
            abbr_at.append(j - 1)
            abbr_end = j + 1
    words: list[Mention] = []
    if word_at:
        word_at.sort()
        claimed = -1            # the end of the last word mention
        for p in word_at:
            # (_after_phrase_word inlined for the common cases, kept in step with it: most anchors do not
            # follow whitespace; when the character before that whitespace is not one, it is the last letter
            # of the word before, and only that word's last two letters need testing)
            if p < claimed or p < 3 or not text[p - 1].isspace():
                continue
            if not text[p - 2].isspace():
                if text[p - 3:p - 1].lower() not in _PHRASE_WORD_TAILS:
                    continue
            elif not _after_phrase_word(text, p):
                continue
            mm = _MW.search(text, p - 25 if p > 25 else 0, p + 8)
            if mm is None:
                continue
            ws, end = mm.span()
            while end <= p:
                mm = _MW.search(text, end, p + 8)
                if mm is None:
                    break
                ws, end = mm.span()
            if mm is None or ws > p or ws < claimed:
                # (ws < claimed: "relative hazard ratio", the words already claimed)
                continue
            if ws > 0 and text[ws - 1].isalpha():
                continue
            # the bracketed abbreviation after the words ("hazard ratio (HR)"), if one follows (_PAREN_ABBR's
            # bracket comes after at most three spaces: a slice test rules most mentions out)
            w4 = text[end:end + 4]
            if "(" in w4 or "[" in w4:
                pm = _PAREN_ABBR.match(text, end)
                if pm is not None:
                    words.append(_new_tuple(Mention, (ws, pm.end(), text[ws:end], None)))
                    claimed = pm.end()
                    continue
            words.append(_new_tuple(Mention, (ws, end, text[ws:end], None)))
            claimed = end
    if not abbr_at:
        return words
    abbrs: list[Mention] = []
    for p in abbr_at:
        ab = text[p:p + 2]
        # b: the character before the abbreviation's start ("" at the text's start)
        b = text[p - 1] if p else ""
        if b == "I" and ab == "RR":
            start = p - 1
        elif b == "j" and p >= 3 and text.startswith("adj", p - 3):
            start = p - 3
        elif b and (b in "asc" or (b == "S" and ab == "HR")):
            # aHR, sHR, cHR; "SHR" is the subdistribution hazard ratio
            start = p - 1
        else:
            start = p
        if start != p:
            b = text[start - 1] if start else ""
        if b and (b.isalnum() or b in "_-"):
            continue
        end = p + 2
        c = text[end:end + 1]
        if c == "s":
            end += 1
            c = text[end:end + 1]
        # (_ABBR_BAD_AFTER begins with a word character, "+", "/" or "-"; re's \w is str.isalnum and "_")
        if c and (c.isalnum() or c in "_+/" or (c == "-" and _ABBR_BAD_AFTER.match(text, end))):
            continue
        if c == ")" and b == "(":
            # "hormone receptor (HR)": the abbreviation of something else
            continue
        w4 = text[end:end + 4]
        if "(" in w4 or "[" in w4:
            pm = _PAREN_ABBR.match(text, end)
            if pm is not None:
                end = pm.end()
        abbrs.append(_new_tuple(Mention, (start, end, None, text[start:p + 2])))
    if not abbrs:
        return words
    # (starts are distinct: an abbreviation has R as its second letter (HR, OR, RR) or begins "IRR", and
    # no phrase word does (their second letters are n, a, e, i, d), so the tuples sort by their start alone)
    out = sorted(words + abbrs)
    merged: list[Mention] = []
    claimed = -1
    for x in out:
        if x[0] < claimed:
            continue
        merged.append(x)
        claimed = x[1]
    return merged


# "(?i)\b(?:margin|assum\w*|power(?:ed)?|to\s+detect|hypothesi[sz]ed|target(?:ed)?|expected|boundary|
# threshold|sample\s+size)\b[^.;]{0,60}$" (a surgical margin, "margin-negative resection", is no such margin, nor is a
# treatment's target right before the ratio's bracket, "with the liberal oxygen target (relative risk", or a target
# group, "the lower-target group") written to
# begin with a class of the words' first letters (the long
# s \u017f folds to "s"), so the search only tries those positions; (?<!\w\w) after the first letter is the \b
_NOT_RESULT_RE = re.compile(
    r"[MmAaPpTtHhEeBbSs\u017f](?<!\w\w)(?i:(?<=m)argin(?![- ](?:negative|positive|free|status|clear|involve))|(?<=a)ssum\w*|(?<=p)ower(?:ed)?|(?<=t)o\s+detect"
    r"|(?<=h)ypothesi[sz]ed|(?<=t)arget(?:ed)?(?![ \n]?[(\[]|[ \n]+(?:groups?|arms?)\b|[- ](?:vessel|lesion)\b)|(?<=e)xpected|(?<=b)oundary|(?<=t)hreshold|(?<=s)ample\s+size)"
    r"\b[^.;]{0,60}$"
)
_CORRESPONDING_RE = re.compile(r"(?i)\b(?:corresponding|respective)[ \n]{1,3}$")
_MARGIN_BETWEEN_RE = re.compile(r"(?i)\b(?:margin|boundary|threshold|non-?inferiority\s+(?:limit|bound))\b")
# "... if the upper limit of the 95% CI of the HR was below 1.15": a value a condition compares
# against is a threshold, not an estimate
# ("(?i)\b(?:below|under|above|less\s+than|lower\s+than|greater\s+than|higher\s+than|exceed(?:s|ed|ing)?)
# [ \n]{1,2}$", begun with a class of the words' first letters so that only those positions are tried)
_THRESHOLD_WORD_RE = re.compile(
    r"[BbUuAaLlGgHhEe](?<!\w\w)(?i:(?<=b)elow|(?<=u)nder|(?<=a)bove|(?<=l)ess\s+than|(?<=l)ower\s+than"
    r"|(?<=g)reater\s+than|(?<=h)igher\s+than|(?<=e)xceed(?:s|ed|ing)?)[ \n]{1,2}$"
)
# the last two letters of those words, lower-cased (with the long s, which re matches to "s")
_THRESHOLD_WORD_TAILS = frozenset(("ow", "er", "ve", "an", "ed", "ds", "d\u017f", "ng"))
# (and a Bayesian analysis's "probability of a hazard ratio below 1.00")
_CONDITION_RE = re.compile(r"(?i)\b(?:if|whether|unless|upper\s+(?:limit|bound)|lower\s+(?:limit|bound)|probability)\b")
_OWN_CI_AFTER_RE = re.compile(r"(?i)[^.;]{0,25}?\b(?:CI|CrI|confidence|credible)\b|[ \n]{0,2}[(\[][ \n]?\d")
# The estimate kind written just before a mention, searched backwards: the pattern
#   (?i)(age[- ]adjusted|multivariable[- ]adjusted|multivariate|multivariable|adjusted|unadjusted|
#        stratified|weighted|subdistribution|pooled|cause[- ]specific)[\s-]{1,3}$
# spelled in reverse and matched once at the start of the reversed window, instead of a search that
# tries every start. The search finds the leftmost start, i.e. the longest word here: the optional
# endings of "adjusted" come first and are greedy, and no other word is the end of another. ("\n?":
# "$" also matches before a final newline.)
_PREFIX_REV_RE = re.compile(
    r"(?i)\n?[\s-]{1,3}(detsujda(?:[- ]ega|[- ]elbairavitlum|nu)?|etairavitlum|elbairavitlum|deifitarts|dethgiew"
    r"|noitubirtsidbus|delo{2}p|cificeps[- ]esuac)"
)


# the last two letters of those words, in either case (\u0130 and \u0131 fold to "i"): "ed", "te", "le", "on", "ic"
_PREFIX_TAILS = frozenset(a + b for firsts, lasts in (("eE", "dD"), ("tTlL", "eE"), ("oO", "nN"), ("iI\u0130\u0131", "cC"))
                          for a in firsts for b in lasts)


def _prefix(text: str, end: int) -> Optional[str]:
    """The estimate kind ("adjusted", "stratified") written up to 30 characters before ``end``, or None."""
    # a match ends with the word and then 1-4 spaces or hyphens up to ``end``. When the window ends in
    # spaces only (str.rstrip strips what re's \s matches), the word's last two letters stand just before
    # them and must be one of _PREFIX_TAILS: most mentions ("the hazard ratio") fail that test and skip
    # the reversed window's match. A window ending in a hyphen is left to the pattern.
    w = text[end - 6 if end > 6 else 0:end]
    s = w.rstrip()
    if s[-1:] != "-" and (len(s) == len(w) or s[-2:] not in _PREFIX_TAILS):
        return None
    m = _PREFIX_REV_RE.match(text[end - 30 if end > 30 else 0:end][::-1])
    if m is None:
        return None
    start = end - m.end()
    return text[start:start + len(m.group(1))]


# a part of each of _NOT_RESULT_RE's words that no match can lack: "margin", "target", "assum", "power",
# "detect", "hypothesi", "expected", "boundary", "threshold", "sample", found all at once. Each stem is
# written as its tail from a rarely used letter (g, u, w, c, y, x, b, l, p) and a look-behind for the
# whole stem: re skips to the tails' first letters, which are few, instead of trying most letters
_NOT_RESULT_STEMS_RE = re.compile(
    "gin(?<=margin)|get(?<=target)|um(?<=assum)|wer(?<=power)|ct(?<=detect)|ypothesi(?<=hypothesi)"
    "|xpected(?<=expected)|boundary|ld(?<=threshold)|ple(?<=sample)")


def _not_result(text: str, lo: int, end: int) -> bool:
    """``_NOT_RESULT_RE.search(text, lo, end)``: no '.' or ';' may lie between the word and ``end``, so
    the search starts after the last one (the word boundary still sees the character before); and
    it runs only when the case-folded window holds one of the words' stems (literal scans are fast)."""
    # (the last "." or ";" is found in the window's slice: a ranged find costs more than the slice)
    w = text[lo:end]
    k = w.rfind(".")
    k2 = w.rfind(";")
    if k2 > k:
        k = k2
    if k >= 0:
        lo += k + 1
        w = w[k + 1:]
    w = w.lower() if w.isascii() else w.translate(ODD_FOLD_TO_ASCII).lower()
    if _NOT_RESULT_STEMS_RE.search(w) is not None:
        return _NOT_RESULT_RE.search(text, lo, end) is not None
    return False


def _corresponding_before(text: str, ms: int) -> bool:
    """``_CORRESPONDING_RE.search(text, max(0, ms - 20), ms)``, run only when the words' last two letters
    ("ng", "ve", which no other character folds to) lie where they would: 1-3 spaces, and maybe the final
    newline "$" allows, before ``ms``."""
    if ms < 3:
        return False
    tail = text[ms - 6 if ms > 6 else 0:ms - 1].lower()
    if "ng" not in tail and "ve" not in tail:
        return False
    return _CORRESPONDING_RE.search(text, ms - 20 if ms > 20 else 0, ms) is not None


def _measure_of(w: Optional[str], a: Optional[str]) -> tuple[str, Optional[str]]:
    """Return (measure code, qualifier hint) of a mention of words ``w`` or abbreviation ``a``."""
    if w:
        lw = w.lower()
        if "hazard" in lw:
            return "HR", None
        if lw.startswith("odds"):
            return "OR", None
        if "rate" in lw:
            return "RR", "rate ratio"
        if "excess" in lw:
            return "RR", "relative excess risk"
        return "RR", None
    a = a.rstrip("s")
    if a.endswith("IRR"):
        return "RR", "rate ratio"
    hint = "adjusted" if a[:1] == "a" else None
    return a[-2:], hint


# --------------------------------------------------------------------------- CI and p
# (an optional group is written "(?:X|)", not "(?:X)?": the same matches, tried in the same order, but re
# runs an alternation with an empty branch much faster than a repeat of a group; "(?:Y){0,2}" is
# "(?:Y(?:Y|)|)" for the same reason)
_CI_LABEL = (
    r"(?:(?P<lvl>\d{2}(?:\.\d{1,2}|))\s?(?:%|percent)\s?(?:of\s|)|)"
    r"(?:two-sided\s|)(?i:confidence\s+(?:intervals?|limits?)|credible\s+intervals?|CrI|CI|Cl|C\.I\.)s?"
    r"(?:\s?[\[({]\s?(?:\d{2}(?:\.\d{1,2}|)\s?%\s?|)(?:CI|CrI|confidence\s+interval)\s?[\])}]|)"
    r"(?:\s?(?P<lvl2>\d{2}(?:\.\d{1,2}|))\s?%|)"
)
_RANGE = rf"(?P<lo>-?{NUM})\s{{0,3}}(?:-|to|,|;)\s{{0,3}}(?P<hi>-?{NUM}|(?i:not\s+(?:evaluable|estimable|reached)|NE|NR|NA))"
# (a labelled CI's bounds may be joined by "and": "95% confidence limits, 0.56 and 0.85")
CI_RE = re.compile(
    r"[ \n]{0,3}[,;:]?[ \n]{0,3}(?:with\s|)[(\[]?[ \n]{0,3}"
    rf"{_CI_LABEL}"
    r"[ \n]{0,3}[,:=]?[ \n]{0,3}[(\[]?[ \n]{0,2}"
    + _RANGE.replace("(?:-|to|,|;)", "(?:-|to|,|;|and(?=\\s))")
)
assert CI_RE.pattern.count("and(?=") == 1
# "HR 0.75; 0.61-0.92" (no brackets, no label): only a dash range closed by punctuation
SEMI_CI_RE = re.compile(
    rf"[ \n]{{0,2}}[;,][ \n]{{0,2}}(?P<lo>{NUM})(?:[ \n]{{0,2}}-[ \n]{{0,2}}|[ \n]{{1,2}}to[ \n]{{1,2}})(?P<hi>{NUM})(?=[ \n]{{0,2}}(?:[;,)\]]|\.(?:\s|$)|$))"
)
# "(95% CI 0.77-" where the text is cut off: the lower bound is complete, the upper is lost
CI_TRUNC_RE = re.compile(
    r"[ \n]{0,3}[,;:]?[ \n]{0,3}[(\[]?[ \n]{0,3}"
    rf"{_CI_LABEL}"
    r"[ \n]{0,3}[,:=]?[ \n]{0,3}"
    rf"(?P<lo>-?{NUM})[ \n]{{0,3}}(?:-|to|)[ \n]{{0,3}}(?:\.\.\.|\u2026|)[ \n]{{0,3}}$"
)
BARE_CI_RE = re.compile(
    r"[ \n]{0,2}(?P<open>[(\[])[ \n]{0,2}"
    rf"{_RANGE}"
    r"[ \n]{0,2}(?:[)\];,]|$)"
)
# The usual labelled CIs, "; 95% CI, 0.46 to 0.72", " (95 % CI 0.59-0.83", ", 95% CI:1.23-4.44", "; 95%
# confidence interval [CI], 0.78 to 0.97", read by a pattern with no real choice: where it matches, each
# optional part of CI_RE either matches just this text or cannot match here at all (the level is two digits
# and "%", the label "CI" or "confidence interval [CI]" is followed by ",", ":", a space or the bound, the
# bounds are digits-dot-digits, the lower one followed by " to " or "-", the upper one ending the match:
# CI_RE's lvl2 needs a "%" right after its digits, which neither bound has), so CI_RE's first path takes
# the same steps and gives the same groups: start, lvl, lo, hi (lvl2 empty). About three times cheaper.
# Exact only for CI_RE, _CI_LABEL and NUM as written: re-check it (and fuzz) when editing them.
_CI_USUAL_RE = re.compile(
    r"(?:[;,] | [(\[])(\d\d) ?% ?(?:CI|confidence interval (?:\[CI\]|\(CI\)))(?:, | |: |:|)(\d+\.\d+)(?: to |-)(\d+\.\d+)")
# (parse_ci reads the groups by number)
assert CI_RE.groupindex == {"lvl": 1, "lvl2": 2, "lo": 3, "hi": 4} and BARE_CI_RE.groupindex == {"open": 1, "lo": 2, "hi": 3} \
    and SEMI_CI_RE.groupindex == {"lo": 1, "hi": 2} and _CI_USUAL_RE.groups == 3

# (optional parts as "(?:X|)" and a "{0,2}" unrolled, as said above; "p-value 0.002" states no relation,
# an empty one, which is "=")
P_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<side>(?i:one|two|1|2)-(?:sided|tailed)\s)|)(?:log-?rank\s|stratified\s|)[Pp](?:[\s-]{0,2}values?|)"
    r"(?:\s(?:for\s|)(?i:non-?\s?inferiority)|)"
    r"(?:\s{0,2}[^\x00-\x7f\u2264\u2265](?:\s{0,2}[^\x00-\x7f\u2264\u2265]|)|)\s{0,2}"
    r"(?P<rel><=|>=|=<|=>|\u2264|\u2265|<|>|=|(?<=\s)of(?=\s)|(?<=value\s)(?=\.?\d))"
    r"(?:\s{0,2}[^\x00-\x7f\u2264\u2265\d](?:\s{0,2}[^\x00-\x7f\u2264\u2265\d]|)|)\s{0,2}"
    r"(?P<num>10(?:\s?\^\s?(?P<exp2>-\s?\d+)|\((?P<exp2b>-\s?\d+)\))|(?P<mant>\d*\.?\d+)"
    r"(?:\s?[x\u00d7*]\s?10(?:\s?\^?\s?(?P<exp>-\s?\d+)|\((?P<expb>-\s?\d+)\))|[eE](?P<expe>-\d+)|))"
)
# (PubMed prints a superscript exponent in brackets: "P = 2.4 x 10(-7)", "P < 10(-5)"; software prints "2.4e-07")
# "(?i)(?:interaction|heterogeneity|trend)\W{0,3}$" spelled in reverse, matched once at the start of the
# reversed window before a p-value instead of searched from every start ("\n?": "$" also matches
# before a final newline)
_P_EXCLUDE_REV_RE = re.compile(r"(?i)\n?\W{0,3}(?:noitcaretni|ytienegoreteh|dnert)")
_EXCLUDE_LAST_LETTERS = frozenset("nNyYdD")
# another test named between a ratio and a p-value ("the test for interaction was not significant (P = 0.45)"; a
# "nonsignificant trend favoring treatment (P = 0.09)" is the ratio's own)
_OTHER_TEST_RE = re.compile(r"interaction|heterogeneity|\b(?:test|p)\s+for\s+(?:a\s+)?(?:linear\s+)?trend|\btrend\s+test")
_P_FOR_AFTER_RE = re.compile(r"(?i) (?:for|of) (?:the )?(?:interaction|heterogeneity|trend)\b")
_P_RELATION = {"=<": "<=", "=>": ">=", "\u2264": "<=", "\u2265": ">=", "of": "=", "": "="}
_SKIP_AFTER_RE = re.compile(
    r"\s?(?:-?\s?(?:months?|mo\b|years?|yrs?\b|weeks?|wks?\b|days?|hours?|mg|g\b|kg|ml|mL|patients?|cycles?|"
    r"participants?|women|men|events?|deaths?)|-(?:year|month|week|day)|/)"
)
_LEVEL_AFTER_RE = re.compile(r"\s?(?:%|percent)\s?(?:of\s|)(?:two-sided\s|)(?i:CI|Cl|CrI|confidence|credible)")
_NONRATIO_AFTER_RE = re.compile(r"\s?(?:%|percent|-fold|fold\b|times\b|\u00b1)")
# what follows a number, tested in that order in one match: a CI level, a number of another kind, a unit
_AFTER_NUM_RE = re.compile(
    rf"(?P<level>{_LEVEL_AFTER_RE.pattern})|(?P<nonratio>{_NONRATIO_AFTER_RE.pattern})|(?P<skip>{_SKIP_AFTER_RE.pattern})")


# the first character after the whitespace (at most two) that begins every _AFTER_NUM_RE match
_AFTER_NUM_FIRST = frozenset("%-/\u00b1pftmywdhgkce")


def _after_num(text: str, e: int) -> Optional[str]:
    """The kind ("level", "nonratio", "skip") of what follows a number ending at ``e``, or None: the
    regex runs only when the first character after the whitespace can begin a match.

    (_value_after and _continuation inline this first test: keep them in step.)"""
    for c in text[e:e + 3]:
        if not c.isspace():
            if c not in _AFTER_NUM_FIRST:
                return None
            break
    else:
        return None
    after = _AFTER_NUM_RE.match(text, e)
    return after.lastgroup if after else None


_CUT_DOT_RE = re.compile(r"\.[ \n]{0,3}$")


class CI:
    """A confidence interval: bounds, level and span (``labelled``: it names itself "CI")."""

    # (a plain class with slots: one is built per ratio, and a dataclass __init__ costs more)
    __slots__ = ("lo", "hi", "level", "start", "end", "labelled")

    def __init__(self, lo: Optional[float], hi: Optional[float], level: float, start: int, end: int, labelled: bool):
        # (one store per attribute: an assignment of more than three names builds and unpacks a tuple)
        self.lo = lo
        self.hi = hi
        self.level = level
        self.start = start
        self.end = end
        self.labelled = labelled

    def __repr__(self) -> str:
        return (f"CI(lo={self.lo!r}, hi={self.hi!r}, level={self.level!r}, start={self.start!r}, "
                f"end={self.end!r}, labelled={self.labelled!r})")


def parse_ci(text: str, pos: int) -> Optional[CI]:
    """Return the CI that starts at ``pos`` ("; 95% CI, 0.46 to 0.72" or " (0.55-0.89)"), or None."""
    # (_CI_USUAL_RE's "%" stands 4 or 5 characters after pos: most other texts skip it)
    m = _CI_USUAL_RE.match(text, pos) if "%" in text[pos + 4:pos + 6] else None
    if m is not None:
        # (its groups: lvl, lo, hi)
        lvl, lo_s, hi_s = m.groups()
        lvl2 = None
        labelled = True
        hi_group = 3
    else:
        # CI_RE's label ("CI", "confidence", "credible") begins within 44 characters of pos (at most 43 of
        # spaces, punctuation, "with", the level and "two-sided" come first): without a "c" there, no match
        # (a slice and two plain membership tests cost less than two ranged finds)
        w = text[pos:pos + 44]
        if "C" in w or "c" in w:
            m = CI_RE.match(text, pos)
        if m:
            # (groups by number, read in one call: CI_RE's are lvl, lvl2, lo, hi)
            lvl, lvl2, lo_s, hi_s = m.groups()
            labelled = True
            hi_group = 4
        else:
            m = BARE_CI_RE.match(text, pos)
            if m:
                # (BARE_CI_RE's groups: open, lo, hi)
                _open, lo_s, hi_s = m.groups()
                hi_group = 3
            else:
                m = SEMI_CI_RE.match(text, pos)
                if not m:
                    t = CI_TRUNC_RE.match(text, pos) if len(text) - pos < 60 else None
                    if t is None or truncated_at(text, t.end("lo")):
                        return None
                    lvl = t.group("lvl") or t.group("lvl2")
                    level = float(lvl) if lvl and 50.0 <= float(lvl) < 100.0 else 95.0
                    return CI(to_float(t.group("lo")), None, level, t.start(), t.end("lo"), True)
                # (SEMI_CI_RE's groups: lo, hi)
                lo_s, hi_s = m.groups()
                hi_group = 2
            labelled = False
    # the bounds are digits, a dot and a sign only: float() reads them as to_float does. The lower
    # bound is never cut off: the range separator follows it within three spaces.
    lo = float(lo_s)
    hi_end = m.end(hi_group)
    if hi_s and hi_s[-1].isdigit():
        # "0.56 to 0." at the end of a cut text: the upper bound is lost, not 0 (and the CI ends with
        # its lower bound); but a complete "1.01-1.55." closing the text is a sentence end, not a cut.
        # (Both tests need the text to end, or a dot, ellipsis or space to follow: most bounds are
        # followed by a bracket or punctuation, and skip them.)
        c = text[hi_end:hi_end + 1]
        if (c in ".\u2026" or c.isspace()) and (
                truncated_at(text, hi_end) or ("." not in hi_s and _CUT_DOT_RE.match(text, hi_end) is not None)):
            hi = None
            hi_end = m.end(hi_group - 1)  # (lo is the group just before hi in all four patterns)
        else:
            hi = float(hi_s)
    else:
        hi = None
    level = 95.0
    if labelled:
        lvl = lvl or lvl2
        if lvl:
            level = float(lvl)
            if not 50.0 <= level < 100.0:
                level = 95.0
    return CI(lo, hi, level, m.start(), hi_end, labelled)


class PValue:
    """A p-value: value, relation ("<", "="...) and span."""

    # (a plain class with slots, as CI)
    __slots__ = ("value", "relation", "start", "end", "one_sided")

    def __init__(self, value: float, relation: str, start: int, end: int, one_sided: bool):
        # (one store per attribute, as in CI)
        self.value = value
        self.relation = relation
        self.start = start
        self.end = end
        self.one_sided = one_sided

    def __repr__(self) -> str:
        return (f"PValue(value={self.value!r}, relation={self.relation!r}, start={self.start!r}, "
                f"end={self.end!r}, one_sided={self.one_sided!r})")


def _p_from_match(text: str, m: re.Match) -> Optional[PValue]:
    start, end = m.span()
    # P_RE's groups in order: side, rel, num, exp2, exp2b, mant, exp, expb, expe
    side, rel, _num, exp2, exp2b, mant, exp, expb, expe = m.groups()
    return _p_from_groups(text, start, end, side, rel, exp2 or exp2b, mant, exp or expb or expe)


def _p_from_groups(text: str, start: int, end: int, side: Optional[str], rel: str, exp2: Optional[str], mant: Optional[str],
             exp: Optional[str]) -> Optional[PValue]:
    """The PValue of a P_RE match at ``start``-``end`` with those groups, or None (excluded, cut off, not in 0-1)."""
    # the excluding words end in n, y or d, at most 4 characters before the p-value
    if not _EXCLUDE_LAST_LETTERS.isdisjoint(text[start - 5 if start > 5 else 0:start]) \
            and _P_EXCLUDE_REV_RE.match(text[start - 25 if start > 25 else 0:start][::-1]):
        return None
    # (truncated_at needs the text to end, or a dot, ellipsis or space to follow: its first test, inlined;
    # "" is in any string, so the end of the text passes the first test too)
    c = text[end:end + 1]
    if (c in ".\u2026" or c.isspace()) and truncated_at(text, end):
        return None
    if c == " " and text[end + 1:end + 5] in ("for ", "of t", "of i", "of h") and _P_FOR_AFTER_RE.match(text, end):
        # "(P = .14 for interaction)": the p-value of another test, not the ratio's
        return None
    rel = _P_RELATION.get(rel, rel)
    try:
        if exp2:
            val = 10.0 ** int(exp2.replace(" ", ""))
        else:
            val = float(mant)
            if exp:
                val *= 10.0 ** int(exp.replace(" ", ""))
    except ValueError:
        return None
    if exp or exp2:
        val = float(f"{val:.6g}")
    if not 0 <= val <= 1:
        return None
    return PValue(val, rel, start, end, side is not None and side.lower().startswith(("one", "1")))


# The usual p-value, "P=0.04", "p < .001", "P \u2264 0.05", where P_RE, tried at that "P", can take one path
# only (P_RE's search costs three times as much): no "-value"/"for non-inferiority"/non-ASCII words follow the
# "P" (at most one space, then the relation: none of them starts with "v", "-", "f", "n" or a non-ASCII
# character other than \u2264/\u2265), a one-character relation (the look-ahead rules out "<=", "=<"...,
# which P_RE tries first), at most one space, then the number; after it ")", "]", ";" or ",", or a space
# and no "x", "\u00d7", "*" or "^" (P_RE's "x 10^-5" part can match nothing there, and its "10^-5" form
# needs a "^" after "10" and at most one space). The number is the longest one, as P_RE's greedy first
# path reads it: a shorter one is followed by a digit or ".", which the look-ahead refuses. So P_RE's
# first path gives this match: no side, this relation, num = mant = the number, no exponents. Exact only
# for P_RE as written: re-check it (and fuzz) when editing either (tests/test_speed_guards_ratios.py
# compares them). It has no look-behind of its own: find_p_after matches it only at a "P" that
# _P_CANDIDATE_RE found with no ASCII letter before it. The number is an atomic group: where the look-ahead
# fails, re would otherwise retry every split of a digit run between \d* and \d+ (quadratic in its length),
# and no other split can succeed (see above).
_P_USUAL_RE = re.compile(r"[Pp] ?([<=>\u2264\u2265])(?![<=>]) ?((?>\d*\.?\d+))(?=[);,\]]| [^x\u00d7*^])")


# a "p" or "P" that no ASCII letter precedes (one search: the letters are rare, and re skips to them)
_P_CANDIDATE_RE = re.compile(r"[Pp](?<![A-Za-z][Pp])")


def _p_candidate(text: str, pos: int, limit: int) -> int:
    """The first "p" or "P" in ``text[pos:limit]`` that no ASCII letter precedes, or -1."""
    m = _P_CANDIDATE_RE.search(text, pos, limit)
    return -1 if m is None else m.start()


def find_p_after(text: str, pos: int, limit: int, open_brackets: int = 0) -> Optional[PValue]:
    """Return the first p-value in ``text[pos:limit]`` that is reached without crossing another number.

    ``open_brackets`` is how many brackets the ratio itself left open (its CI's own bracket);
    closing more than those means leaving the ratio's clause.
    """
    # every match holds its "P" at most 22 characters after its start ("two-tailed stratified P"): with
    # no "P" in the range there is none, and the search may begin 22 characters before the first "P"
    # (and one right after a non-space character begins at that "P": the words before end in a space,
    # after the "d" of "sided"/"stratified" or the "k" of "rank")
    # The "P" also follows no ASCII letter (the look-behind, or the space ending the words before it;
    # none of those words holds a "p"): the "p" of "compared" or "respectively" begins no match, and is
    # passed over here rather than by the search trying every position after it.
    # (_p_candidate, inlined)
    cm = _P_CANDIDATE_RE.search(text, pos, limit)
    if cm is None:
        return None
    q = cm.start()
    um = None
    if q > pos and q >= 2 and text[q - 1].isspace() and text[q - 2] in "dk":
        q = q - 22 if q - 22 > pos else pos
    else:
        # (P_RE's search would try this "P" first: the usual p-value there is its match)
        um = _P_USUAL_RE.match(text, q, limit)
    if um is None:
        m = P_RE.search(text, q, limit)
        if m is None:
            return None
        q = m.start()
    # (q: now the start of the match)
    gap = text[pos:q]
    # (most gaps are separators and spaces only: "; ", ", (", and hold no digit, "%" or closing bracket:
    # nothing to test)
    if gap.strip(" ;,(["):
        if "%" in gap or any(map(str.isdigit, gap)):
            return None
        low_gap = gap.lower()
        if ("interaction" in low_gap or "heterogeneity" in low_gap or "trend" in low_gap) and _OTHER_TEST_RE.search(low_gap):
            # "1.07 (...); the test for interaction was not significant (P = 0.45)": another test's p-value
            return None
        if ")" in gap or "]" in gap:
            # (without a closing bracket the depth cannot fall below zero)
            depth = open_brackets
            for ch in gap:
                if ch in "([":
                    depth += 1
                elif ch in ")]":
                    depth -= 1
                    if depth < 0:
                        return None
    if um is not None:
        rel, mant = um.groups()
        return _p_from_groups(text, q, um.end(), None, rel, None, mant, None)
    return _p_from_match(text, m)


_DIGIT_RE = re.compile(r"\d")
_P_BEFORE_RE = re.compile(
    r"(?<![A-Za-z])(?:(?i:one|two|1|2)-(?:sided|tailed)\s|)(?:log-?rank\s|stratified\s|)[Pp](?:[\s-]{0,2}values?|)\s{0,2}"
    r"(?:<=|>=|\u2264|\u2265|<|>|=)\s{0,2}(?:\d*\.?\d+)[\s;,]{1,4}$"
)


def find_p_before(text: str, mention_start: int) -> Optional[PValue]:
    """Return a p-value printed just before a mention ("log-rank P = .02; HR, 0.68"), or None."""
    # the pattern ends with a digit and 1-4 of [\s;,] (and "$" may stand before a final newline): test
    # those characters before searching (str.isspace is exactly re's \s)
    if mention_start == 0:
        return None
    c = text[mention_start - 1]
    if not (c.isspace() or c in ";,"):
        return None
    if _DIGIT_RE.search(text, mention_start - 6 if mention_start > 6 else 0, mention_start - 1) is None:
        return None
    lo = mention_start - 40 if mention_start > 40 else 0
    # the match's "P" follows no ASCII letter and comes at most 21 characters after its start (as in
    # find_p_after): the search begins there instead of trying every position
    # (_p_candidate, inlined)
    cm = _P_CANDIDATE_RE.search(text, lo, mention_start)
    if cm is None:
        return None
    q = cm.start()
    m = _P_BEFORE_RE.search(text, q - 21 if q - 21 > lo else lo, mention_start)
    if not m:
        return None
    m2 = P_RE.match(text, m.start())
    return _p_from_match(text, m2) if m2 else None


# --------------------------------------------------------------------------- records
class RawRatio:
    """A ratio found in text, before endpoint and qualifier are resolved.

    ``start``/``end``: the span (mention or value, to the CI or p end); ``group``: ratios sharing a mention
    ("HRs ... were 0.9 (..) and 0.8 (..)"), ``index_in_group`` this one's rank among them."""

    # (a plain class with slots, as CI: a dataclass __init__ of 14 fields costs more)
    __slots__ = ("measure", "value", "value_start", "value_end", "start", "end", "mention_start", "mention_end",
                 "ci", "p", "hint", "group", "index_in_group", "qualifier_bits")

    def __init__(self, measure: str, value: float, value_start: int, value_end: int, start: int, end: int,
                 mention_start: int, mention_end: int, ci: Optional[CI] = None, p: Optional[PValue] = None,
                 hint: Optional[str] = None, group: int = 0, index_in_group: int = 0, qualifier_bits: Optional[list] = None):
        # (one store per attribute, as in CI)
        self.measure = measure
        self.value = value
        self.value_start = value_start
        self.value_end = value_end
        self.start = start
        self.end = end
        self.mention_start = mention_start
        self.mention_end = mention_end
        self.ci = ci
        self.p = p
        self.hint = hint
        self.group = group
        self.index_in_group = index_in_group
        self.qualifier_bits = [] if qualifier_bits is None else qualifier_bits

    def __repr__(self) -> str:
        return "RawRatio(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

# text.NUM_RE with the first character consumed before the lookbehind: a pattern that begins with a
# character class lets the search skip non-candidate positions fast (same matches: the lookbehind
# still tests the character before the number)
_NUM_RE = re.compile(r"[\d.](?<![\w.,][\d.])(?:(?<=\d)\d*(?:\.\n?\d+|)|(?<=\.)\d+)(?![\w]|,\d{3}(?!\d))")
# "(?:\bn\s?=\s?|[<>\u2264\u2265]\s?|\bP\s?[=<>]\s?|[Pp]-?values?\s?[=<>]?\s?)$" spelled in reverse, matched
# once at the start of the reversed text before a number ("\n?": "$" also matches before a final newline)
_BEFORE_SKIP_REV_RE = re.compile(r"\n?(?:\s?=\s?n\b|\s?[<>\u2264\u2265]|\s?[=<>]\s?P\b|\s?[=<>]?\s?s?eulav-?[Pp])")
_BEFORE_SKIP_LAST = frozenset("=<>\u2264\u2265se")
_BEFORE_P_RE = re.compile(r"(?:P\s?[=<>]\s?|[Pp]-?values?\s?[=<>]?\s?)$")
_DESIGN_PARAM_BEFORE_RE = re.compile(r"(?i)(?:alpha|\u03b1|significance[ \n]level)[ \n]?(?:of|=|:|)[ \n]?$")
_UNIT_AFTER_CI_RE = re.compile(r"\s{0,3}(?:months?|mo\b|years?|weeks?|days?)")


def _value_after(text: str, pos: int, limit: int) -> Optional[re.Match]:
    """Return the number a mention claims in ``text[pos:limit]``, or None."""
    # (one search per number instead of finditer: most mentions take the first number, and a search
    # costs re less than setting up an iterator; the numbers never overlap or are empty, and the
    # look-behind still sees the text before each search start, so the same numbers are visited)
    search = _NUM_RE.search
    e = pos
    while True:
        m = search(text, e, limit)
        if m is None:
            return None
        s, e = m.span()
        c = text[e:e + 1]
        # (_after_num's first test, inlined: most values are followed by a bracket or punctuation)
        kind = None if c and c not in _AFTER_NUM_FIRST and not c.isspace() else _after_num(text, e)
        if kind is not None:
            if kind == "level":
                continue
            if kind == "nonratio":
                return None
        before = text[s - 12 if s - 12 > pos else pos:s]
        # a skip match ends (before the number and at most three spaces) in one of these characters
        if before.rstrip()[-1:] in _BEFORE_SKIP_LAST and _BEFORE_SKIP_REV_RE.match(before[::-1]):
            if _BEFORE_P_RE.search(before):
                return None
            continue
        if kind is not None:
            # ("skip": a unit or count follows)
            continue
        if ("lpha" in before or "\u03b1" in before or "level" in before) and _DESIGN_PARAM_BEFORE_RE.search(text, pos, s):
            # "HRs are reported with 90% CIs, in line with the one-sided alpha of 0.05": a design's parameter
            return None
        raw = m.group(0)
        if "." not in raw and int(raw) >= 20:
            continue
        if c == "-" and text[e + 1:e + 2].isalpha():
            continue
        if s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha() and s - 1 > pos:
            # "of TFR-11 to gemcitabine was 0.66": a name's number ("COVID-19", "IL-6"), not the value (the mention's
            # own hyphen, "HR-0.72", is not a name's)
            continue
        return m


def _threshold(text: str, s_start: int, m_start: int, vm: re.Match) -> bool:
    """True when the value is what a condition compares against ("if the upper limit of the CI of
    the HR was below 1.15") and has no CI of its own."""
    vs = vm.start()
    lo = vs - 20 if vs - 20 > m_start else m_start
    # the word is followed by one or two spaces up to the value (three when the last is the final
    # newline "$" allows), and ends in one of _THRESHOLD_WORD_TAILS at or after text[1]: "HR 0.7" needs
    # no search ("HR=0.7", no space, not even the loop)
    if vs <= lo or vs < 3 or text[vs - 1] not in " \n":
        return False
    k = vs - 2
    stop = vs - 4 if vs > 4 else 0
    while k >= stop and text[k] in " \n":
        k -= 1
    r = vs - 1 - k
    if not (r == 1 or r == 2 or (r == 3 and text[vs - 1] == "\n")) or k < 1 \
            or text[k - 1:k + 1].lower() not in _THRESHOLD_WORD_TAILS or not _THRESHOLD_WORD_RE.search(text, lo, vs):
        return False
    if not _CONDITION_RE.search(text, m_start - 120 if m_start - 120 > s_start else s_start, vs):
        return False
    return not _OWN_CI_AFTER_RE.match(text, vm.end())


def find_ratios(text: str, sents: Sentences) -> list[RawRatio]:
    """Return every ratio in ``text`` (normalised), in order of appearance."""
    mentions = find_mentions(text)
    if not mentions:
        # (no ratio, and no orphan: an orphan needs a mention before it)
        return []
    starts = list(map(_first, mentions))
    n = len(text)
    sstarts = sents.starts
    n_sents = len(sstarts)
    out: list[RawRatio] = []
    claimed_until = 0
    for i, mm in enumerate(mentions):
        ms, me, mw, ma = mm
        if ms < claimed_until:
            continue
        # (Sentences.bounds, inlined)
        si = bisect.bisect_right(sstarts, ms) - 1
        s_start = sstarts[si]
        s_end = sstarts[si + 1] if si + 1 < n_sents else sents.n
        next_start = starts[i + 1] if i + 1 < len(starts) else n
        limit = me + 150 if mw else me + 110
        if s_end < limit:
            limit = s_end
        if next_start < limit:
            limit = next_start
        vm = _value_after(text, me, limit)
        if vm is None:
            continue
        vs, ve = vm.span()
        if _not_result(text, ms - 70 if ms - 70 > s_start else s_start, ms) \
                or (vs - me >= 6 and _MARGIN_BETWEEN_RE.search(text, me, vs)) \
                or _threshold(text, s_start, ms, vm):
            # a non-inferiority margin or the ratio a sample size was powered for
            # ("... the upper limit of the CI of the hazard ratio was below the margin of 1.30")
            continue
        measure, hint = _measure_of(mw, ma)
        prefix = _prefix(text, ms)
        if prefix:
            hint = prefix.lower() if hint is None else f"{prefix.lower()}; {hint}"
        elif hint is None and out and _corresponding_before(text, ms):
            # "For mortality, the corresponding hazard ratios were ...": estimates of the same kind as before
            hint = out[-1].hint
        group = len(out)
        # (the value lies in the mention's sentence, whose end is known)
        # (_parallel_lists's first test, inlined: the next value follows a "," or " and ")
        par = _parallel_lists(text, sents, measure, vm, ms, me, hint, group, next_start, s_end) \
            if "," in text[ve:ve + 3] or "and" in text[ve + 1:ve + 6] else None
        if par:
            # "HR 0.58 and 0.71; 95% CI 0.46-0.73 and 0.57-0.88, respectively"
            out.extend(par)
            claimed_until = par[-1].end
            continue
        r = _build(text, sents, measure, vm, ms, me, hint, group, 0, next_start, s_end)
        if r is None:
            continue
        out.append(r)
        claimed_until = r.end
        # continuations: further values of the same measure
        idx = 1
        while True:
            nxt = _continuation(text, sents, out[-1], starts, i)
            if nxt is None:
                break
            nm, nci = nxt
            r2 = _build(text, sents, measure, nm, ms, me, hint, group, idx, _next_mention_after(starts, nm.end(), n),
                        ci=nci)
            if r2 is None:
                break
            out.append(r2)
            claimed_until = r2.end
            idx += 1
        if idx > 1:
            # (the group holds idx ratios: with one there is nothing to share)
            _share_p(text, out, group)
    if out or mentions:
        out = _orphans(text, sents, mentions, out)
    if out and ("(all " in text or "(both " in text or "(All " in text or "(Both " in text):
        _all_p(text, sents, out)
    return out


# "(all p<0.01)", "(both P < .001)": one p-value stated for the ratios just before it
_ALL_P_RE = re.compile(r"\((?:[Aa]ll|[Bb]oth)[ \n](?=[Pp][ \n]?(?:<|=|>|\u2264|\u2265))")
# what may stand between the last of those ratios and the p-value: nothing, "respectively", or the predicate of a list
# of covariates ("... were independently associated with shorter OS (all p<0.01)"), not another clause
_ALL_P_GAP_RE = re.compile(
    r"[)\]]*[ \n,;]*(?:respectively[ \n,]*)?(?:(?:were|was|are|is|remained)[ \n]+(?:[a-z-]+[ \n]+){0,2}?"
    r"(?:associated[ \n]+with|predictors?[ \n]+(?:of|for)|prognostic(?:[ \n]+factors?)?[ \n]+(?:for|of)|significant)"
    r"[^;()\[\]\d]{0,60}?)?[ \n]*")


def _all_p(text: str, sents: Sentences, out: list[RawRatio]) -> None:
    """Give the ratios just before "(all p<0.01)" that have no p-value of their own that one: those of its sentence,
    when only their list's predicate stands between the last of them and the p-value."""
    for m in _ALL_P_RE.finditer(text):
        before = [r for r in out if r.end <= m.start()]
        if not before or not _ALL_P_GAP_RE.fullmatch(text, before[-1].end, m.start()):
            continue
        p = find_p_after(text, m.end(), m.end() + 30)
        if p is None:
            continue
        s_start = sents.bounds(m.start())[0]
        for r in before:
            if s_start <= r.mention_start and r.p is None:
                r.p = p


_SHARED_P_RE = re.compile(r"(?i)\b(?:both|all|each)[ \n]{1,3}$")


def _share_p(text: str, out: list[RawRatio], group: int) -> None:
    """"(HR 0.77 [...] and 0.61 [...], respectively; both p<0.001)": the last value's p is every value's."""
    # the group's ratios are the last ones appended (scan back only over them: linear overall)
    k = len(out)
    while k > 0 and out[k - 1].group == group:
        k -= 1
    items = out[k:]
    last = items[-1] if items else None
    if last is None or len(items) < 2 or last.p is None:
        return
    ps = last.p.start
    if not _SHARED_P_RE.search(text, ps - 8 if ps > 8 else 0, ps):
        return
    for r in items[:-1]:
        if r.p is None:
            r.p = last.p


# "(0.84, 0.56-1.26; p=0.40)", "(0.33 [0.22-0.49]; p<0.0001)", "(0.63, 0.43 to 0.94; P=0.02)"
_ORPHAN_RE = re.compile(
    # (the groups' rates may come first: "(1.0% v 2.6%; 0.38, 0.17 to 0.87)")
    # (or rates: "(2.41 v 3.37 per 100 person years; 0.72, 0.61 to 0.85)", "(0.28 v 0.61; 0.47, 0.30 to 0.74)")
    r"\((?:(?P<r1>\d{1,3}(?:\.\d+|))[ ]?(?P<pc>%?)[ ]?(?:v|vs\.?|versus)[ ]?(?P<r2>\d{1,3}(?:\.\d+|))[ ]?%?"
    r"(?:[ ]per[ ](?:[\d,]{2,7}[ ])?(?:person|patient|participant)[- ](?:years?|months?)|);[ ]?|)"
    rf"(?P<v>{NUM})(?:[ \n]{{0,2}}[,;][ \n]{{0,2}}|[ \n]{{0,2}}\[[ \n]{{0,2}})(?:95%[ \n]?CI[ \n:,]{{0,3}}|)"
    rf"(?P<lo>{NUM})(?:[ \n]{{0,2}}-[ \n]{{0,2}}|[ \n]{{1,2}}to[ \n]{{1,2}})(?P<hi>{NUM})(?=[ \n]{{0,2}}[;,)\]])"
)


_value_start = operator.attrgetter("value_start")


def _rounding(num: str) -> float:
    """How far a number printed as ``num`` may be from the value it rounds (one and a half units of its last
    decimal, for the rounding of the two numbers it was computed from)."""
    k = num.find(".")
    return 1.5 * 10.0 ** -(len(num) - k - 1 if k != -1 else 0)
# what an unnamed number in brackets is when its sentence names it so: a difference, a mean, a number needed to treat
_NOT_RATIO_NAMED_RE = re.compile(r"(?i)\b(?:differences?|mean|means|average|number\s+needed|NNT|NNH|percentage\s+points?"
                                 r"|points?|change|slope|reduction\s+of)\b")


def _orphans(text: str, sents: Sentences, mentions, out: list[RawRatio]) -> list[RawRatio]:
    """Add unnamed ratios "(0.84, 0.56-1.26; p=0.40)" whose measure the sentence or the one before names."""
    if "(" not in text:
        return out
    found = list(out)
    taken = mstarts = None
    # (value start, measure, hint) of the ratios found so far, sorted: built when an orphan first needs it
    by_start = None
    # an orphan needs a mention before it, and no mention begins inside a match (its only letters are the
    # "CI" and "to" of the CI, and a mention's first letter begins a word): the scan starts at the first
    # mention, and finds the same matches after it
    for om in _ORPHAN_RE.finditer(text, mentions[0][0] if mentions else len(text)):
        if taken is None:
            # (built on the first candidate only: most texts have none)
            taken = sorted((r.start, r.end) for r in out)
            mstarts = [m.start for m in mentions]
        vs = om.start("v")
        # spans do not overlap, so only the last one starting at or before vs can hold it
        j = bisect.bisect_right(taken, (vs, len(text) + 1)) - 1
        if j >= 0 and taken[j][0] <= vs < taken[j][1]:
            continue
        v, lo, hi = to_float(om.group("v")), to_float(om.group("lo")), to_float(om.group("hi"))
        if not (0 < lo <= v <= hi < 100):
            continue
        if om.group("r1") is not None and abs(abs(to_float(om.group("r1")) - to_float(om.group("r2"))) - v) \
                <= _rounding(om.group("v")):
            # "(65.2% v 61.0%; 4.2, 1.9 to 6.5)", "(12.4 v 10.3 per 1000 person years; 2.1, 0.9 to 3.3)": the groups'
            # rates' difference, not a ratio
            continue
        i = sents.index(vs)
        a, _ = sents.bounds_of(max(0, i - 1))
        k = bisect.bisect_left(mstarts, vs) - 1
        if k < 0:
            continue
        if mstarts[k] < a:
            # "(adjusted relative risk 1.27, ...), driven by ... (1.74, 1.22 to 2.48). Shoulder dystocia was less frequent
            # (1.0% v 2.6%; 0.38, 0.17 to 0.87)": the sentence before holds an unnamed ratio of the same measure, which a
            # mention before it named
            if by_start is None:
                by_start = sorted((x.value_start, x.measure, x.hint) for x in found)
            j = bisect.bisect_left(by_start, (vs,)) - 1
            if j < 0 or by_start[j][0] < a or by_start[j][0] < mstarts[k] \
                    or _NOT_RATIO_NAMED_RE.search(text, sents.bounds_of(i)[0], vs):
                # (a sentence that names what its number is, "The number needed to treat was 25 (25, 15 to 70)", holds
                # none of the ratios)
                continue
            _, measure, hint = by_start[j]
        else:
            measure, hint = _measure_of(mentions[k][2], mentions[k][3])
            prefix = _prefix(text, mstarts[k])
            if prefix:
                # "adjusted odds ratio 1.66 (...) than with standard doses (1.31, 1.07 to 1.60)": same estimate kind
                hint = prefix.lower() if hint is None else f"{prefix.lower()}; {hint}"
        vm = _NUM_RE.match(text, vs)
        if vm is None:
            continue
        r = _build(text, sents, measure, vm, vs, vs, hint, len(found), 0, len(text))
        if r is None:
            continue
        if r.ci is None:
            r.ci = CI(lo, hi, 95.0, om.start("lo"), om.end("hi"), False)
            _, s_end = sents.bounds(vs)
            r.p = find_p_after(text, om.end("hi"), min(s_end, om.end("hi") + 60), 1)
            r.end = max(om.end("hi"), r.p.end if r.p else 0)
        r.start = vs
        found.append(r)
        bisect.insort(taken, (r.start, r.end))
        if by_start is not None:
            bisect.insort(by_start, (r.value_start, r.measure, r.hint))
    found.sort(key=_value_start)
    return found


def _next_mention_after(starts: list[int], pos: int, default: int) -> int:
    """The first of the (sorted) mention ``starts`` at or after ``pos``, else ``default``."""
    k = bisect.bisect_left(starts, pos)
    return starts[k] if k < len(starts) else default


_DOSE_LABEL_RE = re.compile(r"-[A-Za-z]|[ \n]?(?:mg|mcg|\u00b5g|\u03bcg|g|mL|ml|IU|units?)\b")
# the first character of a _DOSE_LABEL_RE match after its optional space
_DOSE_FIRST = frozenset("-mgIu\u00b5\u03bc")
# a period a value holds in ("during the first 5 years", "after 2 years"), which a list may name between its values
_PERIOD_RE = re.compile(rf"(?i)\b(?:during|in|within|over|after|beyond|before|from|up[ \n]+to|at)[ \n]+(?:the[ \n]+)?"
                        rf"(?:(?:first|last|initial|next|subsequent)[ \n]+)?(?:[<>\u2264\u2265]=?[ \n]?)?(?:{NUM}"
                        # (a range: "within 0-59 days, 0.58 (...) at 60-119 days"; the unit first: "in years 0-5")
                        rf"(?:[ \n]?-[ \n]?{NUM})?[ \n]+(?:months?|years?|weeks?|days?)\b"
                        rf"|(?:months?|years?|weeks?|days?)[ \n]+{NUM}(?:[ \n]?-[ \n]?{NUM})?(?![\d.]))")
# what may stand between a group's values besides its periods: "after random assignment", then "but", "and"...
_PERIOD_JOIN_RE = re.compile(
    r"[)\]\s,;]*(?:(?:after|from|since)(?:[ \n]+[a-z]+){1,2}[\s,]*)?"
    r"(?:(?:and|but|whereas|while|versus|vs\.?|compared[ \n]+(?:with|to))[ \n,]+)?"
    r"(?:(?:thereafter|afterwards|subsequently|later|it|they|was|were|is|of|only)[ \n,]+)*")
_PERIOD_UNIT_HEADS = frozenset(("mon", "yea", "wee", "day"))
_PERIOD_HEAD_RE = re.compile(r"(?i)\b(?:during|in|within|over|after|beyond|before|from|up[ \n]+to|at)[ \n]+"
                             r"(?:the[ \n]+)?(?:(?:first|last|initial|next|subsequent)[ \n]+)?(?:[<>\u2264\u2265]=?[ \n]?)?"
                             r"(?:(?:months?|years?|weeks?|days?)[ \n]+)?$")
_TIMEPOINT_RE = re.compile(r"(?i)\b(?:week|day|month|year)[ \n]?\d+")
_LABEL_BEFORE_RE = re.compile(r"(?i)\b(?:week|day|visit|cycle|grade|stage|arm|cohort|group|dose|level|part)[ \n]?$")
_THRESHOLD_RE = re.compile(rf"(?:[<>]=?|[\u2264\u2265])[ \n]?{NUM}[ \n]?%?")
_FOR_LABEL_GAP_RE = re.compile(
    r"[)\]]?[ \n,]{1,3}for[ \n][^,;()\[\]]{0,40}(?:,[ \n]{0,2}(?:and[ \n]{1,2}|)|[ \n]and[ \n]{1,2})$"
)
_IN_FOR_LABEL_RE = re.compile(r"[)\]]?[ \n,]{1,3}for[ \n][^,;()\[\]]{0,40}$")
_THRESHOLD_BEFORE_RE = re.compile(r"[<>=\u2264\u2265][ \n]?$")
_THRESHOLD_SYMBOLS = frozenset("<>=\u2264\u2265")
# the last letters of _LABEL_BEFORE_RE's words, in either case (and the Kelvin sign, which re matches to "k")
_LABEL_LAST = frozenset("kKyYtTeEmMpPlL\u212a")
# "(?i)\b(?:median|months?|years?|weeks?|days?)\b|%", begun with a class of the first characters
_UNIT_WORDS_RE = re.compile(
    r"[MmYyWwDd%](?:(?<=%)|(?<!\w\w)(?i:(?<=m)edian|(?<=m)onths?|(?<=y)ears?|(?<=w)eeks?|(?<=d)ays?)\b)")
_CONT_NOCI_RE = re.compile(rf"[ \n]{{0,3}}(?:,|;|)[ \n]{{0,3}}and[ \n]{{1,3}}(?P<v>{NUM})[ \n]{{1,3}}for\b")
_CONT_AND_FOR_RE = re.compile(rf"[^.;\d]{{0,60}}?\band[ \n]{{1,3}}(?P<v>{NUM})[ \n]{{1,3}}for\b")


def _continuation(text: str, sents: Sentences, prev: RawRatio, starts: list[int],
                  mention_index: int) -> Optional[tuple[re.Match, Optional[CI]]]:
    """Return the next value of the same measure after ``prev`` (list or 'respectively' construction)
    and, when it was read to decide, the CI that follows it (else None): _build need not read it again."""
    pos = prev.end
    n = len(text)
    # the end of the sentence holding pos - 1 (Sentences.bounds, inlined: this runs after every ratio)
    st = sents.starts
    i = bisect.bisect_right(st, pos - 1 if pos > 0 else 0)
    s_end = st[i] if i < len(st) else sents.n
    # the list may run into the next sentence ("... 0.875 (...). For mortality, the corresponding ...")
    limit = s_end + 1 if s_end < n else n
    k = bisect.bisect_left(starts, pos)
    if k < len(starts) and starts[k] < limit:
        limit = starts[k]
    if prev.ci is None:
        m = _CONT_NOCI_RE.match(text, pos)
        if not (m and m.start("v") < limit):
            # "... 1.51 for disease-free survival (P =.05) and 1.59 for overall survival"
            m = _CONT_AND_FOR_RE.match(text, pos)
            if not (m and m.start("v") < limit and not _UNIT_WORDS_RE.search(text, pos, m.start("v"))):
                return None
        vm = _NUM_RE.match(text, m.start("v"))
        return (vm, None) if vm is not None else None
    # (one search per number instead of finditer, as in _value_after: usually none is left in the range)
    search = _NUM_RE.search
    at = pos
    period = False  # whether a period between the values was passed over
    while True:
        m = search(text, at, limit)
        if m is None:
            return None
        ms, at = m.span()
        gap = text[pos:ms]
        if len(gap) > 120:
            return None
        # (the symbol or the label word's last letter of these two stands 1-3 characters before the number)
        lo3 = ms - 3 if ms - 3 > pos else pos
        near = text[lo3:ms]
        if not _THRESHOLD_SYMBOLS.isdisjoint(near) and _THRESHOLD_BEFORE_RE.search(text, lo3, ms):
            # "in patients with a score <1 it was 1.03 (...)": a threshold, not a value
            continue
        if not _LABEL_LAST.isdisjoint(near) and _LABEL_BEFORE_RE.search(text, ms - 8 if ms - 8 > pos else pos, ms):
            # "at week 8 and 2.4 (...)": a time point or group label, not a value
            continue
        # thresholds ("<50%") and the previous value's own label ("for 1 to 4 years, ") are not
        # numbers of another kind
        plain = _THRESHOLD_RE.sub("", gap) if ("<" in gap or ">" in gap or "\u2264" in gap or "\u2265" in gap) else gap
        # (its "for" begins 1 to 3 characters in, after a bracket and up to three spaces or commas)
        if "for" in plain[1:7] and _FOR_LABEL_GAP_RE.match(plain):
            plain = ""
        if _UNIT_WORDS_RE.search(plain) and _UNIT_WORDS_RE.search(_PERIOD_RE.sub("", _TIMEPOINT_RE.sub("", plain))):
            # "at week 8 and 2.4 (...)" names a time point; "12 months" in between is another kind of number; unless
            # this number is a period's whose unit comes first ("0.66 (...) in years 0-5 and 0.91 (...)")
            hm = _PERIOD_HEAD_RE.search(text, ms - 40 if ms - 40 > pos else pos, ms)
            pm = _PERIOD_RE.match(text, hm.start()) if hm is not None else None
            if pm is None or pm.end() <= ms \
                    or _UNIT_WORDS_RE.search(_PERIOD_RE.sub("", _TIMEPOINT_RE.sub("", text[pos:hm.start()]))):
                return None
            period = True
            if pm.end() > at:
                at = pm.end()
            continue
        if _inside_brackets(text, pos, ms):
            continue
        e = at
        c = text[e:e + 1]
        # (_after_num's first test, inlined)
        kind = None if c and c not in _AFTER_NUM_FIRST and not c.isspace() else _after_num(text, e)
        if kind == "level":
            continue
        if kind == "nonratio":
            # a number of another kind in between ends the list
            return None
        if c == " " or c == "\n":
            c = text[e + 1:e + 2]
        if c and c in _DOSE_FIRST and _DOSE_LABEL_RE.match(text, e):
            # "... for the 200-mg dose and 2.83 (...)", "for 12 mg and 0.72 (...)": a label, not a value
            continue
        ci = parse_ci(text, m.end())
        if ci is None:
            # an unbracketed number without CI ends the list (numbers inside brackets were passed over
            # above); so are the numbers of the previous value's label ("0.97 (...) for 1 to 2 servings, 0.91 (...)")
            if _IN_FOR_LABEL_RE.match(gap):
                continue
            # (a period's number is followed by its unit, or by "-" and a range's upper end: most numbers are not,
            # and need no search back)
            hm = _PERIOD_HEAD_RE.search(text, ms - 40 if ms - 40 > pos else pos, ms) \
                if text[e + 1:e + 4].lower() in _PERIOD_UNIT_HEADS or c == "-" else None
            pm = _PERIOD_RE.match(text, hm.start()) if hm is not None else None
            if pm is not None:
                # "0.44 (...) during the first 5 years after random assignment but 1.12 (...)", "0.47 (...) within 0-59
                # days, 0.58 (...)": the period the value holds in, not another value (a range's upper end too)
                period = True
                if pm.end() > at:
                    at = pm.end()
                continue
            return None
        v = to_float(m.group(0))
        if ci.lo is None or ci.hi is None or not (ci.lo <= v <= ci.hi):
            return None
        if _UNIT_AFTER_CI_RE.match(text[ci.end:ci.end + 12]):
            return None
        if period and not _PERIOD_JOIN_RE.fullmatch(_PERIOD_RE.sub(" ", gap)):
            # past a period only the next value of the same ratio ("... but 1.12"), not a new clause's number ("..., and
            # mortality after 10 years was 12.4 (...) per 1000")
            return None
        return m, ci


_LIST_NEXT_RE = re.compile(rf"[ \n]{{0,2}}(?:,[ \n]{{0,2}}(?:and[ \n]{{1,2}}|)|[ \n]and[ \n]{{1,2}})(?P<v>{NUM})")
_LIST_CI_HEAD_RE = re.compile(rf"[ \n]{{0,3}}[;,(\[][ \n]{{0,3}}{_CI_LABEL}[ \n]{{0,3}}[,:=]?[ \n]{{0,3}}")
_LIST_RANGE_RE = re.compile(rf"(?P<lo>-?{NUM})[ \n]{{0,3}}(?:-|to)[ \n]{{0,3}}(?P<hi>-?{NUM})")
_LIST_RANGE_NEXT_RE = re.compile(r"[ \n]{0,2}(?:,[ \n]{0,2}(?:and[ \n]{1,2}|)|[ \n]and[ \n]{1,2})")


def _parallel_lists(text, sents, measure, vm, m_start, m_end, hint, group, next_mention, s_end=None) -> Optional[list[RawRatio]]:
    """Ratios printed as two parallel lists, values then CIs ("HR 0.58 and 0.71; 95% CI 0.46-0.73 and
    0.57-0.88, respectively; both p<0.01"): one ratio per value with the CI of the same rank and the
    shared p-value; None when the text is not so built."""
    pos = vm.end()
    # the next value follows a "," (within 2 spaces) or " and " (find_ratios inlines this test: keep in step)
    if "," not in text[pos:pos + 3] and "and" not in text[pos + 1:pos + 6]:
        return None
    vals = [vm]
    while len(vals) < 6:
        m = _LIST_NEXT_RE.match(text, pos)
        if not m or _NONRATIO_AFTER_RE.match(text, m.end()) or _LEVEL_AFTER_RE.match(text, m.end()):
            break
        vals.append(m)
        pos = m.end()
    if len(vals) < 2:
        return None
    head = _LIST_CI_HEAD_RE.match(text, pos)
    if not head:
        return None
    lvl = head.group("lvl") or head.group("lvl2")
    level = float(lvl) if lvl and 50.0 <= float(lvl) < 100.0 else 95.0
    cis: list[CI] = []
    pos = head.end()
    while len(cis) < len(vals):
        if cis:
            sep = _LIST_RANGE_NEXT_RE.match(text, pos)
            if not sep:
                return None
            pos = sep.end()
        rm = _LIST_RANGE_RE.match(text, pos)
        if not rm:
            return None
        cis.append(CI(to_float(rm.group("lo")), to_float(rm.group("hi")), level, rm.start(), rm.end(), True))
        pos = rm.end()
    nums = [to_float(v.group("v") if v is not vm else v.group(0)) for v in vals]
    if not all(0 < x < 100 and c.lo <= x <= c.hi for x, c in zip(nums, cis)):
        return None
    if s_end is None:
        _s, s_end = sents.bounds(vm.start())
    p = find_p_after(text, pos, min(s_end, next_mention, pos + 80), 0)
    end = max(pos, p.end) if p else pos
    out = []
    for k, (v, x, c) in enumerate(zip(vals, nums, cis)):
        vs = v.start() if v is vm else v.start("v")
        ve = v.end()
        out.append(RawRatio(measure, x, vs, ve, m_start if k == 0 else vs, end, m_start, m_end, c, p, hint, group, k))
    return out


_BRACKET_RE = re.compile(r"[()\[\]]")


def _inside_brackets(text: str, a: int, b: int) -> bool:
    """True when ``text[a:b]`` leaves a bracket open (closers without an opener are ignored)."""
    seg = text[a:b]
    if "(" not in seg and "[" not in seg:
        return False
    if ")" not in seg and "]" not in seg:
        return True
    # only the brackets matter: walk those, not every character
    depth = 0
    for ch in _BRACKET_RE.findall(seg):
        if ch in "([":
            depth += 1
        elif depth > 0:
            depth -= 1
    return depth > 0


def _build(text, sents, measure, vm, m_start, m_end, hint, group, idx, next_mention, s_end=None,
           ci: Optional[CI] = None) -> Optional[RawRatio]:
    """The ratio of value ``vm`` with its CI and p-value; ``s_end``: the end of the value's sentence, when known;
    ``ci``: the CI after the value when already read (``parse_ci(text, vm.end())``), else None."""
    v_raw = vm.group(0)
    vs, ve = vm.span()
    dot = v_raw.rfind(".")
    # (truncated_at's first test, inlined: the text ends, or a dot, ellipsis or space follows)
    if dot >= 0 and len(v_raw) - dot < 3 and (text[ve:ve + 1] in ".\u2026" or text[ve].isspace()) \
            and truncated_at(text, ve):
        # "0.6" at the very end of a cut text may be "0.61": keep only complete values
        return None
    # (a number of _NUM_RE: digits and a dot, maybe a line break after the dot)
    value = float(v_raw.replace("\n", "")) if "\n" in v_raw else float(v_raw)
    if not (0 < value < 100):
        return None
    if ci is None:
        ci = parse_ci(text, ve)
    if ci is None:
        if dot < 0:
            # a bare integer ("OR 2 cycles") is a ratio only with its CI
            return None
        end = ve
        opened = 0
    else:
        lo, hi = ci.lo, ci.hi
        if lo is not None and hi is not None:
            # a CI that cannot belong to this value (percentages, counts) is not read
            if not (lo <= hi * 1.0001) or hi > 1000 or (not ci.labelled and not (lo <= value <= hi)):
                ci = None
        if ci is None:
            end = ve
            opened = 0
        else:
            end = ci.end
            own = text[vs:end]
            # (an unbracketed CI leaves none open)
            if "(" in own or "[" in own:
                opened = own.count("(") + own.count("[") - own.count(")") - own.count("]")
                if opened < 0:
                    opened = 0
            else:
                opened = 0
    if s_end is None:
        s_start, s_end = sents.bounds(vs)
    limit = end + 80
    if s_end < limit:
        limit = s_end
    if next_mention < limit:
        limit = next_mention
    p = find_p_after(text, end, limit, opened)
    if p is None and "nferiority" in text[end:s_end if s_end < next_mention else next_mention]:
        # "0.94 (...), and the upper limit of CI was below the pre-specified margin (p for non-inferiority < 0.001)":
        # the test of this ratio against its margin, said later in its sentence
        nm = _NI_P_RE.search(text, end, s_end if s_end < next_mention else next_mention)
        if nm is not None:
            p = find_p_after(text, nm.start(), min(s_end, nm.start() + 45), 0)
    if p is None and idx == 0:
        p = find_p_before(text, m_start)
    start = m_start if idx == 0 else vs
    # (a p-value found after ``end`` ends after it)
    span_end = p.end if p is not None and p.start > end else end
    return RawRatio(measure, value, vs, ve, start, span_end, m_start, m_end, ci, p, hint, group, idx)


# a p-value for non-inferiority, however far after its ratio in the sentence
_NI_P_RE = re.compile(r"(?i)(?<![A-Za-z])(?:one-sided\s|)p(?:[\s-]{0,2}values?|)\s(?:for\s|)non-?\s?inferiority")


# --------------------------------------------------------------------------- endpoints
# how far back in its sentence a ratio looks for its outcome (bounded: linear on run-on text)
LOOKBACK = 400


# "..., and for contralateral breast cancer, 0.58": the outcome comes before the value, set off by a comma
_FOR_BEFORE_RE = re.compile(
    r"(?:\band|[,;])[ \n]{1,3}for[ \n]{1,3}(?:the[ \n]{1,3})?(?P<x>[A-Za-z][^,;:()\d]{1,90}?)"
    r"(?:[ \n]{0,2}[,:][ \n]{0,3}|[ \n]{1,3}(?:was|it\s+was)[ \n]{1,3})$"
)
# clinical events a label may name that the lexicon does not know ("for nonfatal myocardial infarction 0.80"); a bare
# label without one is more often a subgroup ("for current smokers 0.85")
_EVENT_NOUN_RE = re.compile(r"(?i)infarction|stroke|embolism|bleeding|ha?emorrhage|infection|pneumonia|sepsis|fracture"
                            r"|hospitali[sz]ation|amputation|thrombosis|arrhythmia|fibrillation|failure|injury|dementia")
# an outcome before "or" ("death or X", "hospitalization or X"): what follows is another outcome, not a treatment
_OUTCOME_OR_RE = re.compile(r"(?i)\b(?:death|mortality|died|hospitali[sz]ation|admission|progression|relapse|recurrence)"
                            r"[ \n]or[ \n]$")
# an event named next, maybe after one more word ("nonfatal| myocardial infarction")
_EVENT_AFTER_RE = re.compile(r"[ \n](?:[A-Za-z-]{3,20}[ \n])?(?:" + _EVENT_NOUN_RE.pattern.removeprefix("(?i)") + ")",
                             re.IGNORECASE)
# words that open a group of patients, not an outcome ("and for patients with liver metastases 0.80")
_POPULATION_HEADS = frozenset(("patients", "those", "participants", "women", "men", "people", "children", "adults",
                               "subgroup", "subgroups", "each", "all", "both", "older", "younger", "elderly"))
_FOR_BARE_BEFORE_RE = re.compile(
    r"(?:\band|[,;])[ \n]{1,3}for[ \n]{1,3}(?:the[ \n]{1,3})?(?P<x>[A-Za-z][^,;:()\d]{1,60}?)[ \n]{1,2}$")
# "hazard ratios for atrial fibrillation were 0.97", "odds ratio for delirium, 1.4"
_FOR_LABEL_HEAD_RE = re.compile(
    r"[ \n]{1,3}for[ \n]{1,3}(?:incident[ \n]{1,3}|new[- ]onset[ \n]{1,3})?(?P<x>[a-z][^,;:()\[\]\d]{1,50}?)"
    r"(?:[ \n]{0,2},[ \n]{0,3}|[ \n]{1,3}(?:was|were|is|are)[ \n]{1,3})$"
)
# WHO INN stems of drug names (monoclonal antibodies, kinase/PARP/CDK/PI3K/proteasome inhibitors, platins, taxanes,
# antimetabolites, antiandrogens, antivirals ...): a word that ends with one names a drug
_INN_STEMS = ("mab", "tinib", "rafenib", "ciclib", "lisib", "parib", "zomib", "platin", "taxel", "rubicin", "citabine",
              "trexed", "lutamide", "relix", "tecan", "limus", "gliflozin", "gliptin", "glutide", "sartan", "xaban",
              "gatran", "statin", "vudine", "previr", "asvir", "buvir")
_TREAT_CUE_BEFORE = ("with ", "to ", "versus ", "vs ", "vs. ", "plus ", "receiving ", "received ", "or ")
_TREAT_CUE_AFTER = (" group", " arm", " plus", " versus", " vs", " or placebo", " monotherapy", " alone")


def _names_treatment(text: str, label: str, pos: int, skip: tuple[int, int] = (-1, -1)) -> bool:
    """True when the label's first word is used as a treatment ("assigned to X", "the X group") in the
    opening of the text or near ``pos`` (bounded windows: linear on long text); the label's own
    occurrence at ``skip`` (start, end) does not count."""
    words = label.split()
    word = words[0] if words else ""
    if len(word) < 4:
        return False
    if word.lower().endswith(_INN_STEMS):
        # a drug's name by its international nonproprietary name stem ("donatinib", "oltezumab-bevatinib")
        return True
    if word.isascii() and not has_odd_folds(text):
        # the regex's look-behind comes first, so re would try it at every position of 5,000
        # characters: for an ASCII word (?i) is lower-casing unless the text holds odd case folds
        # (which also are the only characters lower() lengthens), and str.find gives its positions.
        # Without odd folds no other character lower-cases to an ASCII letter, so each non-ASCII one
        # may become "?" first (offsets kept; lower() of ASCII is many times cheaper), unless the word
        # itself holds a "?", which would then match a non-ASCII character
        low = text.lower() if text.isascii() or "?" in word else \
            text.encode("ascii", "replace").decode("ascii").lower()
        lw = word.lower()
        spans = lambda a, b: _word_spans(low, lw, a, b)  # noqa: E731
    else:
        rx = re.compile(r"(?i)(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9])")
        spans = lambda a, b: (m.span() for m in rx.finditer(text, a, b))  # noqa: E731
    for a, b in ((0, min(len(text), 3000)), (max(3000, pos - 2000), min(len(text), pos + 500))):
        for k, (ms, me) in enumerate(spans(a, b)):
            if k >= 10:
                break
            if skip[0] <= ms < skip[1]:
                continue
            pre = text[ms - 12 if ms > 12 else 0:ms].lower()
            # (one endswith with the tuple first: most occurrences follow no cue at all)
            if pre.endswith(_TREAT_CUE_BEFORE) and any(
                    pre.endswith(c) and not pre[-len(c) - 1:-len(c)].isalnum() for c in _TREAT_CUE_BEFORE) \
                    or text[me:me + 14].lower().startswith(_TREAT_CUE_AFTER):
                if _EVENT_AFTER_RE.match(text, me):
                    # "... or nonfatal (myocardial) infarction": a word before an event names an outcome, not a
                    # treatment
                    continue
                if pre.endswith(" or ") and _OUTCOME_OR_RE.search(text, ms - 30 if ms > 30 else 0, ms):
                    # "incidence of death or bronchopulmonary dysplasia": the other part of a composite outcome
                    continue
                return True
    return False


_ALNUM = ASCII_LETTERS | frozenset("0123456789")


def _word_spans(low: str, word: str, a: int, b: int):
    """Spans of ``word`` in ``low[a:b]`` not touching an ASCII letter or digit, left to right and
    not overlapping: finditer of (?<![A-Za-z0-9])word(?![A-Za-z0-9]) over the range (the
    look-behind sees before ``a``, the look-ahead sees ``b`` as the end)."""
    i = low.find(word, a, b)
    while i != -1:
        e = i + len(word)
        if (i == 0 or low[i - 1] not in _ALNUM) and (e == b or low[e] not in _ALNUM):
            yield i, e
            i = low.find(word, e, b)
        else:
            i = low.find(word, i + 1, b)


_GENERIC_WORD_RE = re.compile(r"(?i)\b(?:events?|outcomes?|endpoints?|end\s+points?|comparison|treatment|therapy|effect|risk)\b")
# "; acute kidney injury 1.31 (...)" (semicolon list) or ", and for all cause mortality 0.85"
_LABEL_ITEM_RE = re.compile(
    r"(?:(?P<semi>;)|(?:\band|,)[ \n]{1,3}for)[ \n]{1,3}(?:the[ \n]{1,3})?(?P<x>[A-Za-z][^,;:()\d]{1,60}?)[ \n]{1,3}$"
)
_NOT_OUTCOME_LABEL_RE = re.compile(
    r"(?i)^(?:in|among|for|with|without|at|after|before|during|by|versus|vs|and|or|but|whereas|while|it|this|that|the\s+)\b"
    r"|\b(?:versus|vs|(?-i:v)|compared|than|group|arm|dose|patients|women|men|participants|subgroup|cohort|age[ds]?|year|month|week|day)s?\b"
    r"|\b(?:was|were|is|are|had|has|did|showed)\b"
)
_ARM_WORDS_RE = re.compile(r"(?i)\b(?:dose|doses|group|groups|arm|arms|patients|mg|regimen|cohort|subgroup|population)\b")
_FOR_AFTER_RE = re.compile(r"[)\]]?[ \n,]{1,3}for[ \n]{1,3}")


def _for_after(text: str, pos: int) -> Optional[re.Match]:
    """``_FOR_AFTER_RE.match(text, pos)``; its "for" begins by pos + 4, so most positions need no regex.

    (_endpoint_one inlines this body: keep them in step.)"""
    # (`in` on a short slice costs less than str.find with bounds, which parses two index arguments)
    return _FOR_AFTER_RE.match(text, pos) if "for" in text[pos:pos + 7] else None


def ratio_endpoints(text: str, sents: Sentences, raws: list[RawRatio], primary: Optional[str]) -> list[str]:
    """Return the endpoint code of each raw ratio (same order)."""
    out = []
    groups: dict[int, list[int]] = {}
    for k, r in enumerate(raws):
        groups.setdefault(r.group, []).append(k)
    for k, r in enumerate(raws):
        if r.index_in_group > 0 and out:
            own = None
            for after in (r.value_end, r.ci.end if r.ci else -1):
                m = _for_after(text, after) if after >= 0 else None
                if m and own is None:
                    own = next((c for s, e, c in endpoint_list(text, m.end(), min(len(text), m.end() + 40), True)
                                if s == m.end() and c != "FOLLOWUP"), None)
            if own is None:
                # "..., and for contralateral breast cancer, 0.58 (...)": the list names this one's outcome
                fm = _FOR_BEFORE_RE.search(text, max(raws[k - 1].end, r.value_start - 110), r.value_start)
                if fm:
                    own = next((c for _s, _e, c in endpoint_list(text, fm.start("x"), fm.end("x"))
                                if c != "FOLLOWUP"), None)
                    if own is None and not _ARM_WORDS_RE.search(fm.group("x")):
                        own = "OTHER"
                if own is None and fm is None:
                    # "..., for nonfatal myocardial infarction 0.80 (...)": the label right before the value, no comma
                    bm = _FOR_BARE_BEFORE_RE.search(text, max(raws[k - 1].end, r.value_start - 80), r.value_start)
                    if bm and bm.group("x").split()[0].lower() not in _POPULATION_HEADS \
                            and not _ARM_WORDS_RE.search(bm.group("x")) and not _SUBGROUP_WORDS_RE.search(bm.group("x")) \
                            and not _NOT_OUTCOME_LABEL_RE.search(bm.group("x")) \
                            and not _names_treatment(text, bm.group("x"), r.value_start):
                        own = next((c for _s, _e, c in endpoint_list(text, bm.start("x"), bm.end("x"))
                                    if c != "FOLLOWUP"), "OTHER" if _EVENT_NOUN_RE.search(bm.group("x")) else None)
                if own is None:
                    # "..., and for all cause mortality 0.85 (...)", "...; admission to hospital 0.97 (...)":
                    # a label right before the value names its outcome (an unknown outcome is OTHER)
                    lm = _LABEL_ITEM_RE.search(text, max(raws[k - 1].end, r.value_start - 80), r.value_start)
                    if lm:
                        own = next((c for _s, _e, c in endpoint_list(text, lm.start("x"), lm.end("x"))
                                    if c != "FOLLOWUP"), None)
                        if own is None and lm.group("semi") and not _ARM_WORDS_RE.search(lm.group("x")) \
                                and not _NOT_OUTCOME_LABEL_RE.search(lm.group("x")) \
                                and not _names_treatment(text, lm.group("x"), r.value_start):
                            own = "OTHER"
            if own is None and _label_after(text, raws[k - 1], lexicon_only=True):
                # "0.86 (...) for cardiovascular death and 0.74 (...) for worsening heart-failure events":
                # in a list labelled by outcomes, the label after a value names its outcome, even one
                # the lexicon does not know (labels "for low, ... for medium" dose are not outcomes)
                own = _label_after(text, r)
            out.append(own or out[k - 1])
            continue
        out.append(_endpoint_one(text, sents, r, primary, raws[k - 1] if k > 0 else None, out[k - 1] if k > 0 else None))
    # a group with a list of endpoints in the head or "respectively" after: in order
    for g, ks in groups.items():
        if len(ks) < 2:
            continue
        first = raws[ks[0]]
        head = [c for _s, _e, c in endpoint_list(text, first.mention_end, first.value_start) if c != "FOLLOWUP"]
        if len(head) >= len(ks):
            for j, k in enumerate(ks):
                out[k] = head[j]
            continue
        last = raws[ks[-1]]
        s_start, s_end = sents.bounds(last.value_start)
        tail = text[last.end:min(s_end, last.end + 60)]
        if "respectively" in tail or "respectively" in text[first.value_start:last.end]:
            ss, _ = sents.bounds(first.mention_start)
            ss = max(ss, first.mention_start - LOOKBACK)
            before = _endpoints_before(text, ss, first.mention_start)
            distinct = []
            for c in before:
                if not distinct or distinct[-1] != c:
                    distinct.append(c)
            if len(distinct) >= len(ks):
                for j, k in enumerate(ks):
                    out[k] = distinct[len(distinct) - len(ks) + j]
    # a hazard ratio is never of a response rate (GUIDE: rates are compared by OR/RR): a response wording it took
    # names a subgroup ("in MRD-negative patients (HR ...)", "pCR: HR ..."); the time-to-event outcome is then the
    # sentence's other one
    for k, r in enumerate(raws):
        if out[k] == "RESPONSE" and r.measure == "HR":
            out[k] = _hazard_endpoint(text, sents, raws, out, k, primary)
    # follow-up is not an outcome: a ratio never measures it
    return ["OTHER" if c == "FOLLOWUP" else c for c in out]


_NOT_TIME_CODES = frozenset(("RESPONSE", "FOLLOWUP"))
# a response wording that names a group of patients: "in MRD-negative patients", "(pCR: HR ...", "no pCR:"
_GROUP_BEFORE_RE = re.compile(r"(?i)\b(?:in|among|with|without|no|achieving|who\s+achieved|by)[ \n]+(?:a[ \n]+)?$")
_GROUP_AFTER_RE = re.compile(r"(?i)[ \n]*(?::|(?:patients|participants|subgroup|population|group|status)\b)")


def _names_subgroup(text: str, s: int, e: int) -> bool:
    """True when the wording ``text[s:e]`` stands for a group of patients rather than an outcome."""
    return _GROUP_BEFORE_RE.search(text, s - 20 if s > 20 else 0, s) is not None \
        or _GROUP_AFTER_RE.match(text, e) is not None


def _hazard_endpoint(text: str, sents: Sentences, raws: list[RawRatio], out: list[str], k: int,
                     primary: Optional[str]) -> str:
    """The endpoint of hazard ratio ``raws[k]`` when a response wording was taken for it: the code of the sentence's
    earlier ratio, else of the last time-to-event wording before it (in its sentence, then the three before), else
    the primary end point, else OTHER."""
    r = raws[k]
    s_start, _s_end = sents.bounds(r.mention_start)
    own = [x for x in endpoint_list(text, r.mention_end, r.value_start) if x[2] == "RESPONSE"]
    named = [x for x in endpoint_list(text, s_start, r.mention_start) if x[2] == "RESPONSE"]
    if own or not named or not _names_subgroup(text, named[-1][0], named[-1][1]):
        # "the hazard ratio for complete remission", "complete remission was achieved faster (HR ...)": a time to
        # the response, another outcome
        return "OTHER"
    for j in range(k - 1, -1, -1):
        if raws[j].end < s_start:
            break
        if out[j] not in _NOT_TIME_CODES:
            return out[j]
    i = sents.index(r.mention_start)
    a, b = s_start, r.mention_start
    for _ in range(_LOOK_BACK_SENTENCES + 1):
        found = [c for _s, _e, c in endpoint_list(text, a, b) if c not in _NOT_TIME_CODES]
        if found:
            return found[-1]
        i -= 1
        if i < 0:
            break
        a, b = sents.bounds_of(i)
    return primary if primary is not None and primary not in _NOT_TIME_CODES else "OTHER"


_LABEL_TEXT_RE = re.compile(r"(?:the[ \n]{1,3})?(?P<x>[A-Za-z][A-Za-z -]{2,60}?)(?=[ \n]{0,2}(?:[,;()\[\]]|\.(?:\s|$)|$)|[ \n]and[ \n])")
_GENERIC_TAIL_RE = re.compile(r"(?i)\b(?:events?|outcomes?|endpoints?|rates?|risk|incidence)\b")


# (a biomarker's state names a subgroup: "and hormone receptor-positive disease (HR ...)")
_SUBGROUP_WORDS_RE = re.compile(r"(?i)\b(?:in|among|with|without|not|stage|grade|type|level|score|positive|negative|"
                                r"mutant|mutated|wild[- ]type|amplified|deficient|proficient|expressing)\b")


def _outcome_label(text: str, x: str, pos: int, treatments: bool = True, at: tuple[int, int] = (-1, -1)) -> Optional[str]:
    """Endpoint code of a short label ``x`` naming an outcome, OTHER for an outcome the lexicon does not
    know, None when the label names a group, subgroup, treatment (unless ``treatments`` is False:
    the caller knows the labels name outcomes) or nothing."""
    if _NOT_OUTCOME_LABEL_RE.search(x) or _ARM_WORDS_RE.search(x) or _SUBGROUP_WORDS_RE.search(x) \
            or _FINDING_WORD_RE.search(x) \
            or (treatments and _names_treatment(text, x, pos, at)):
        return None
    for s, e, c in endpoint_list(x):
        if c != "FOLLOWUP" and not _generic(x, s, e):
            return c
    rest = _GENERIC_TAIL_RE.sub(" ", x)
    if not any(len(w) >= 4 for w in rest.split()) or _GENERIC_WORD_RE.search(rest):
        return None
    if x.rstrip(" \n").lower().endswith(_TREATMENT_TAILS) and " of " not in x:
        # "... among patients receiving pembrolizumab monotherapy (HR ...) and chemo-immunotherapy (HR ...)": a
        # treatment (a subgroup by it), not an outcome the lexicon does not know ("discontinuation of chemotherapy" is one)
        return None
    return "OTHER"


# "... and the association persisted after IPTW (HR ...)": the finding before, not an outcome of its own
_FINDING_WORD_RE = re.compile(r"(?i)\b(?:association|associations|effect|benefit|difference|finding|result|results|trend)\b")
_TREATMENT_TAILS = ("therapy", "therapies", "treatment", "regimen", "regimens")


def _label_after(text: str, r: RawRatio, lexicon_only: bool = False) -> Optional[str]:
    """Outcome of the label printed right after a list item's value or CI ("0.74 (...) for X");
    with ``lexicon_only`` only an outcome the lexicon knows."""
    for after in (r.value_end, r.ci.end if r.ci else -1):
        m = _for_after(text, after) if after >= 0 else None
        if m:
            lm = _LABEL_TEXT_RE.match(text, m.end(), min(len(text), m.end() + 70))
            if lm:
                code = _outcome_label(text, lm.group("x"), r.value_start, treatments=lexicon_only)
                if lexicon_only and code == "OTHER" and endpoint_of(lm.group("x")) != "OTHER":
                    return None
                return code
    return None


# the groups' rates or counts that may open a ratio's bracket: "(15.8% vs 23.6%; OR ...", "(40/253 vs 61/258; OR ...",
# "(15.8% [n = 40] vs 23.6% [n = 61]; OR ..."
_RATE = r"(?:\d{1,3}(?:\.\d+)?\s?%(?:\s?\[[^\]\[]{1,15}\])?|\d+/\d+)"
_RATES_FIRST = rf"{_RATE}\s?(?:vs\.?|versus|v|and)\s?{_RATE}\s?[;,]\s?"


# ") or to anastomotic leak (RR 1.12", "), as was myocardial infarction (HR": the outcome of the next ratio, named after
# the previous one
_SIBLING_RE = re.compile(
    r"^[)\] \n]{0,4}[,;]?[ \n]{0,3}(?P<j>and|or|but|as[ \n](?:was|were|did|is|are))[ \n]{1,3}(?:(?P<p>to|for|on|of|in)[ \n]{1,3})?"
    r"(?:the[ \n]{1,3})?"
    rf"(?P<x>[a-z][A-Za-z0-9 -]{{2,60}}?)[ \n]{{0,2}}[(\[][ \n]{{0,2}}(?:{_RATES_FIRST})?"
    r"(?:(?:adjusted|unadjusted|stratified|pooled|crude|multivariable|univariable)[ \n]{1,2})?$"
)


def _sibling_label(text: str, sents: Sentences, prev: RawRatio, r: RawRatio,
                   s_start: Optional[int] = None) -> Optional[str]:
    """Endpoint named between the previous ratio of the sentence and this one's bracketed mention, or None.
    ``s_start``, if given, is where the sentence of ``r.mention_start`` begins."""
    if not (prev.end <= r.mention_start <= prev.end + 200):
        return None
    # prev.end - 1 < r.mention_start: in the same sentence when not before its start
    if (prev.end - 1 < s_start) if s_start is not None else sents.index(prev.end - 1) != sents.index(r.mention_start):
        return None
    gap = text[prev.end:r.mention_start]
    # the previous ratio's bracket may go on with notes ("; I2 = 0%; 9 studies)")
    j = gap.rfind(")")
    j = j if j > 0 else 0
    m = _SIBLING_RE.match(gap[j:])
    if not m:
        return None
    if m.group("p") == "in":
        # "or in X (...)" names an outcome only in parallel with "no difference in A (...)"; else it is an analysis,
        # a group or a setting ("and in the final analysis (HR ...)", "and in ventilated participants (RR ...)")
        sa = s_start if s_start is not None else sents.bounds(prev.mention_start)[0]
        if not _DIFFERENCE_IN_RE.search(text, sa, prev.mention_start):
            return None
    a = prev.end + j + m.start("x")
    x = m.group("x")
    code = _outcome_label(text, x, r.mention_start, at=(a, a + len(x)))
    if code is None and m.group("p") == "of" and x.split()[-1].lower() not in _PERSON_WORDS \
            and _ODDS_OF_BEFORE_RE.search(text, max(0, prev.mention_start - 120), prev.mention_start):
        # "lower odds of positive margins (OR ...) and of node-positive disease (OR ...)": "of" takes up the
        # previous ratio's "odds of", so this label is an outcome too, though its words could name a group
        code = next((c for _s, _e, c in endpoint_list(x) if c != "FOLLOWUP"), "OTHER")
    if code is None and " of " in x and _GRADE_RE.search(x, x.index(" of ")):
        # "or in necrotising enterocolitis of Bell stage II or higher (aRR ...)": an outcome and its grade or stage
        x = x[:x.index(" of ")]
        code = _outcome_label(text, x, r.mention_start, at=(a, a + len(x)))
    if code == "OTHER" and prev.measure == r.measure and m.group("j") in ("and", "or") and not _EVENT_NOUN_RE.search(x):
        # "similar for squamous (HR ...) and nonsquamous (...) histology": a label in parallel with the previous
        # ratio's group ("for squamous", no outcome the lexicon knows) is a group too (not a clinical event, nor
        # one with a ratio of another kind: "in older patients (HR ...) and febrile neutropenia (OR ...)")
        pm = _PREV_GROUP_LABEL_RE.search(text, max(0, prev.mention_start - 80), prev.mention_start)
        if pm and endpoint_of(pm.group("x")) is None:
            return None
    return code


# the last word of a group of people ("and of men (OR ...)", "and smokers in 30% vs 35%"), not of an outcome
_PERSON_WORDS = frozenset(("patients", "participants", "people", "persons", "individuals", "subjects", "women", "men",
                           "children", "adults", "adolescents", "infants", "neonates", "girls", "boys", "smokers",
                           "nonsmokers", "non-smokers", "users", "nonusers", "non-users", "drinkers", "carriers",
                           "responders", "nonresponders", "non-responders", "residents", "veterans", "recipients",
                           "donors", "survivors", "mothers", "those", "others", "cases", "controls", "elderly"))
# the previous ratio's bracket opened after "for/in/among X": the group it is given for
# (the last such word: "in overall survival was similar for Asian (" gives "Asian")
_PREV_GROUP_LABEL_RE = re.compile(r"\b(?:for|in|among)[ \n]{1,3}(?:the[ \n]{1,3})?"
                                  r"(?P<x>[A-Za-z](?:(?![ \n](?:for|in|among)[ \n])[A-Za-z -]){1,60}?)[ \n]{0,2}"
                                  r"[(\[][ \n]{0,2}$")


# "There was no difference in A (...) or in B (...)": outcomes named in parallel after "in"
_DIFFERENCE_IN_RE = re.compile(r"(?i)\b(?:differences?|changes?|reductions?|increases?|decreases?|improvements?)"
                               r"[ \n]+in[ \n]|\bdiffer(?:ed)?\b")
_GRADE_RE = re.compile(r"(?i)\b(?:grade|stage|class|severity|CTCAE)\b")


def _endpoints_before(text: str, a: int, b: int) -> list[str]:
    codes = []
    for s, e, c in endpoint_list(text, a, b):
        if c != "FOLLOWUP":
            codes.append(c)
    return codes


def _resolve_primary(text: str, a: int, b: int, primary: Optional[str], seg: Optional[str] = None) -> Optional[tuple[int, str]]:
    """(end, code) of the last "primary outcome" in ``text[a:b]``, or None. ``seg``, if given, must be exactly
    ``text[a:b]``: the positions found in its lower-cased copy are used as the text's."""
    last = None
    seg = text[a:b] if seg is None else seg
    if "rimary" not in seg and "RIMARY" not in seg:
        return None
    if has_odd_folds(seg):
        ms = PRIMARY_RE.finditer(text, a, b)
    else:
        # every match begins with "primary" (any case) and none holds another: re would try the
        # (?i) regex at every position, str.find gives the few places (lower() keeps offsets
        # without odd case folds)
        low = seg.lower()
        ms = []
        i = low.find("primary")
        while i != -1:
            m = PRIMARY_RE.match(text, a + i, b)
            if m:
                ms.append(m)
            i = low.find("primary", i + 7)
    for m in ms:
        # compared by end: "primary outcome" outranks the "outcome" inside it
        code = primary
        if code is None and "omposite" in m.group(0):
            # "the primary composite outcome (cardiovascular death, stroke, ...)"
            code = composite_code(text, m.end())
        last = (m.end(), code or "OTHER")
    return last


_COMPOSITE_RE = re.compile(
    r"(?i)\bcomposite(?:[ \n]+(?:cardiovascular|vascular|cardiac|primary|secondary|efficacy|safety|clinical))?"
    # ("composite kidney outcome (...)": one more word before the noun)
    r"(?:[ \n]+(?:[a-z-]+[ \n]+)?(?:outcome|end[ -]?point|events?))?[ \n]*(?:of\b|\(|:)"
)
_WITH_ADJ = r"(?:(?:a|an|prior|previous|known|baseline|active|brain|liver|bone|lung|visceral|no)[ \n]{1,2})?"
_WITH_BEFORE_RE = re.compile(rf"(?i)\b(?:with|without|having|had)[ \n]{{1,2}}{_WITH_ADJ}{_WITH_ADJ}$")


def _with_before(text: str, a: int, b: int) -> bool:
    """``_WITH_BEFORE_RE.search(text, a, b)``: each match begins with "with" or "ha" (had, having),
    so only their positions are tried (re would try the $-anchored regex at every position)."""
    seg = text[a:b]
    if not seg.isascii() and has_odd_folds(seg):
        return _WITH_BEFORE_RE.search(text, a, b) is not None
    low = seg.lower()  # (offsets kept: no odd folds)
    for lit in ("with", "ha"):
        # (`in` first: it costs less than a find() call)
        i = low.find(lit) if lit in low else -1
        while i != -1:
            # (\b: not after a letter or digit, "that")
            if (i == 0 or low[i - 1] not in _ALNUM) and _WITH_BEFORE_RE.match(text, a + i, b) \
                    and not (lit == "with" and low.endswith(("association ", "associated ", "associations "), 0, i)):
                # ("The association with recurrence was confined to ...": the outcome, not patients with it)
                return True
            i = low.find(lit, i + 1)
    return False


_BARE_BEFORE_RE = re.compile(r"(?:\d|\b(?:[Tt]he|[Aa]n?|[Tt]otal|[Aa]ll|[Oo]f))[ \n]{1,3}$")
# (", or ": a list's serial comma, "respiratory hospitalisation, or death")
_OR_JOIN_RE = re.compile(r"^(?:,|[^,;()]{0,30}?)[ \n](?:and/or|or)[ \n]{1,3}$")
_AND_JOIN_RE = re.compile(r"[^,;()]{0,30}?[ \n]and[ \n]{1,3}$")
_OR_TAIL_RE = re.compile(r"[ \n]{1,3}(?:and/or|or)[ \n]{1,3}[a-z][a-z -]{2,40}?(?=[ \n]{0,2}[(),;]|[ \n]{0,2}$)")
_COMPOSITE_END_RE = re.compile(r"\)|;|\.\s|\b(?:occurred|was|were|is|did|had|showed|differed|favou?red)\b")
# words that name no outcome of their own: "disease-free survival events", "event or death"
_GENERIC = frozenset(("event", "events", "outcome", "outcomes", "incidence"))
# a sentence whose own subject occurred, up to the ratio with no clause break ("Clearance of ctDNA by week 9 occurred in
# 28.4% and 4.1% of patients (OR ..."), not a clause or phrase before it ("In patients in whom recurrence occurred in the
# liver, KRAS mutation (HR ...", "Neutropenia occurred in 12%, and LDH (HR ...")
_SUBJECT_OCCURRED_RE = re.compile(
    r"\s*(?!(?:In|Among|Of|For|After|During|When|Although|While|Where|Whereas)\b)[A-Z][^,;.()]{2,80}?\boccurred[ \n]+in\b"
    r"[^,;]*$")
_COUNT_BEFORE_RE = re.compile(r"\d[ \n]+(?:[a-z]+[ \n]+)?$")
_OR_AND_BEFORE_RE = re.compile(r"\b(?:or|and)[ \n]+$", re.IGNORECASE)
# the words that name what the events are ("worsening heart failure event"), not which of them ("primary-outcome event",
# "a first event", "key secondary outcome event")
_NAMED_EVENT_RE = re.compile(
    r"(?i)\b(?<!-)(?!(?:primary|secondary|key|first|an?|the|any|total|composite|clinical|efficacy|safety|outcome|end[ -]?point"
    r"|adverse|serious|study|trial|qualifying|new|more|fewer|of|with)\b)[a-z][a-z-]{3,}(?:[ \n][a-z][a-z-]{2,}){0,2}[ \n]$")
# primary end points counted in events, which "the hazard ratio for an event" refers to
_EVENT_PRIMARIES = frozenset(("EFS", "MACE", "OTHER"))
_CLAUSE_BREAK_RE = re.compile(r";|\b(?:whereas|while|but)\b")
_CLAUSE_WORDS = ("whereas", "while", "but")


def _is_word_char(c: str) -> bool:
    """re's \\w (str patterns): what \\b tests on either side."""
    return c.isalnum() or c == "_"


def _last_clause_break(text: str, a: int, b: int) -> Optional[int]:
    """End of the last _CLAUSE_BREAK_RE match in ``text[a:b]`` (finditer over the range), or None.

    The regex has no literal prefix, so re tries it at every position; its matches cannot
    overlap, so the last one is the latest of the last ";" and the last bounded word, found
    from the right by str.rfind. \\b sees the text before ``a`` and treats ``b`` as the end.
    """
    # one slice: `in` and an unbounded rfind cost less than str.rfind with bounds
    seg = text[a:b]
    best = seg.rfind(";")
    best = a + best + 1 if best != -1 else -1
    for w in _CLAUSE_WORDS:
        if w not in seg:
            continue
        i = text.rfind(w, max(a, best), b)
        while i != -1:
            e = i + len(w)
            if (i == 0 or not _is_word_char(text[i - 1])) and (e == b or not _is_word_char(text[e])):
                best = e
                break
            i = text.rfind(w, max(a, best), e - 1)
    return best if best != -1 else None
# (the wording may hold "risk of": "competing risk of death")
_COMPETING_RE = re.compile(r"(?i)\bcompeting[ \n]+(?:risks?[ \n]+(?:of[ \n]+)?)?$")


def _competing_death(text: str, s: int, e: int = -1) -> bool:
    """True when the death wording at ``s`` (ending at ``e``, when given) is the competing risk a model accounts
    for ("accounting for the competing risk of death", "for non-renal death as a competing risk"), not a
    ratio's outcome."""
    if e >= 0 and "ompeting" in text[e:e + 24] and _COMPETING_AFTER_RE.match(text, e):
        return True
    return "ompeting" in text[s - 26 if s > 26 else 0:s].lower() \
        and _COMPETING_RE.search(text, s - 30 if s > 30 else 0, s) is not None


_COMPETING_AFTER_RE = re.compile(r"(?i)[ \n]+as[ \n]+(?:an?[ \n]+)?competing[ \n]+(?:risk|event)")
# (death, plain or from any cause: "hospitalisation or death from any cause" is a composite, not OS)
_BARE_DEATH = frozenset(("death", "deaths", "died", "death from any cause"))
_WORD_OR_RE = re.compile(r"(?:\b(?:heart|cardiac)[ \n])?\b(?P<w>[A-Za-z][a-z-]{3,}),?[ \n](?:and/)?or[ \n]{1,2}$")
_OR_WORD_AFTER_RE = re.compile(r"[ \n](?:and/)?or[ \n]{1,2}(?:(?:heart|cardiac|new|the|an?)[ \n]){0,2}(?P<w>[A-Za-z][a-z-]{3,})\b")
_NOT_COMPOSITE_WORDS = frozenset(("other", "when", "until", "whether", "not", "none", "neither", "any","with", "without", "either", "both", "from", "before", "after", "whether", "than",
                                  "more", "less", "that", "this", "those", "these"))


def _respectively_in_bracket(text: str, b: int) -> bool:
    """True when "respectively" closes the bracket opened at or just after ``b`` ("(hazard ratio, 0.65; ... and hazard
    ratio, 0.62; ..., respectively)")."""
    close = text.find(")", b, b + 300)
    return close != -1 and text.find("respectively", b, close) != -1


def _generic(text: str, s: int, e: int) -> bool:
    return text[s:e].lower() in _GENERIC


def _sentence_endpoint(text: str, a: int, b: int, primary: Optional[str]) -> Optional[tuple[int, str]]:
    """(position, code) of the outcome a ratio at ``b`` refers to, named in ``text[a:b]``, or None.

    The nearest wording wins, except that the parts of a composite listed in brackets right after
    it ("composite outcome (stroke, MI, or vascular death)") are not outcomes of their own, and a
    generic word ("events") defers to a named outcome or the primary outcome earlier in its clause.
    """
    a = a if a > b - LOOKBACK else b - LOOKBACK  # (not max(): ints, and a call costs more)
    found = []
    prev_end, skip_until = -1, -1
    comps = []
    # one slice for the literal pre-checks: `in` costs less than str.find with bounds
    seg = text[a:b]
    if "omposite" in seg:
        # "the composite outcome of cardiovascular death, MI, or stroke occurred": one outcome, not its parts
        for cm in _COMPOSITE_RE.finditer(text, a, b):
            stop = _COMPOSITE_END_RE.search(text, cm.end(), b)
            comps.append((cm.start(), stop.start() if stop else b, composite_code(text, cm.end())))
    for s, e, c in endpoint_list(text, a, b):
        if c == "FOLLOWUP" or s < skip_until:
            continue
        if c == "OS" and _competing_death(text, s, e):
            continue
        if c == "OTHER" and _with_before(text, s - 30 if s - 30 > a else a, s):
            # "patients with liver metastases (HR ...)": who was studied, not what happened to them
            continue
        comp = next((x for x in comps if x[0] <= s < x[1]), None) if comps else None
        if comp is not None:
            if not found or found[-1][0] != comp[0]:
                found.append((comp[0], comp[0], comp[2]))
            skip_until = comp[1]
            prev_end = -1
            continue
        if prev_end >= 0 and text[prev_end:s].strip() == "(" and text[e:e + 2].lstrip()[:1] == ")":
            # an abbreviation alone in brackets defines the phrase just named ("time to second progression or death
            # (PFS2)"): it stands for the phrase's wordings
            drop_defined_phrase(text, found, s)
            found.append((s, e, c))
            prev_end = e
            continue
        if prev_end >= 0 and text[prev_end:s].lstrip()[:1] == "(" and ")" not in text[prev_end:s]:
            # a bracketed definition of the outcome just named ("event-free survival (failure to achieve remission,
            # relapse, or death)"): its parts are skipped
            close = text.find(")", s, b)
            if close != -1:
                skip_until = close
                continue
        found.append((s, e, c))
        prev_end = e
    # (_resolve_primary's own pre-check, without the call: most sentences name no primary outcome)
    pm = _resolve_primary(text, a, b, primary, seg) if "rimary" in seg or "RIMARY" in seg else None
    if not found:
        return pm
    s, e, c = found[-1]
    if pm and pm[0] >= s:
        return pm
    if len(found) >= 2 and found[-2][2] != c and _OR_JOIN_RE.match(text[found[-2][1]:s]) \
            and _CV_WORD_RE.search(text, found[-2][0], e):
        # "hospitalisation for heart failure or cardiovascular death": a cardiovascular composite
        return found[-2][0], "MACE"
    if len(found) >= 2 and _AND_JOIN_RE.match(text, found[-2][1], s) and _CV_WORD_RE.search(text, found[-2][0], s) \
            and _CV_WORD_RE.search(text, s, e) and not _respectively_in_bracket(text, b):
        # "hospitalizations for heart failure and deaths from cardiovascular causes": cardiovascular events counted
        # together (both parts cardiovascular: "OS and PFS" are two outcomes; "..., respectively" pairs each part with a
        # ratio of its own)
        return found[-2][0], "MACE"
    # (read once for the three tests below; its spaces made single: "death from\nany cause")
    bare_death = c == "OS" and " ".join(text[s:e].lower().split()) in _BARE_DEATH
    if len(found) >= 2 and bare_death and found[-2][2] == "OTHER" \
            and not _generic(text, found[-2][0], found[-2][1]) and _OR_JOIN_RE.match(text[found[-2][1]:s]):
        # "hospitalisation or death by day 28": death inside a composite of another outcome is not OS
        return found[-2][0], "OTHER"
    if bare_death and (len(found) < 2 or found[-2][1] < s - 25):
        # (the word before "or death" is no wording found: "Progression to mechanical ventilation or death")
        wm = _WORD_OR_RE.search(text, max(a, s - 40), s)
        if wm and wm.group("w").lower() not in _NOT_COMPOSITE_WORDS and (len(found) < 2 or found[-2][1] <= wm.start("w")):
            # "Readmission or death within 60 days": a composite with an outcome the lexicon does not know
            return wm.start("w"), ("MACE" if _CV_WORD_RE.search(wm.group(0)) else "OTHER")
    if bare_death and s == found[-1][0]:
        tm = _OR_WORD_AFTER_RE.match(text, e, b)
        if tm and tm.group("w").lower() not in _NOT_COMPOSITE_WORDS:
            # "Death or disability at 6 months (OR ...)": a composite with an outcome the lexicon does not know
            return s, ("MACE" if _CV_WORD_RE.search(tm.group(0)) else "OTHER")
    # (every match has its "or" within 10 characters of e: most wordings need no regex)
    om = _OR_TAIL_RE.match(text, e, b) if (c == "OS" or c == "CSS") and "or" in text[e:e + 10] else None
    if om and _CV_WORD_RE.search(text, s, om.end()):
        # "cardiovascular death or worsening heart failure": a cardiovascular composite, even when
        # the lexicon does not know the second part
        return s, "MACE"
    if _generic(text, s, e):
        cb = _last_clause_break(text, a, s)
        lo = cb if cb is not None else a
        for s2, _e2, _c2 in reversed(found):
            if s2 < lo or text[s2:s2 + 5].lower() != "event":
                break
            if _COUNT_BEFORE_RE.search(text, s2 - 12 if s2 > 12 else 0, s2):
                # ("12.1 events per 100 patient-years": a count of the events named before)
                continue
            nm = _NAMED_EVENT_RE.search(text, s2 - 40 if s2 - 40 > lo else lo, s2)
            if nm is not None and not any(nm.start() <= f[0] < s2 for f in found) \
                    and not _OR_AND_BEFORE_RE.search(text, nm.start() - 5 if nm.start() > 5 else 0, nm.start()):
                # "the incidence of a first worsening heart failure event was 9.8 and 12.1 events per 100 patient-years
                # (HR ...)": events of an outcome named just before the word, which the lexicon does not know, not the
                # primary end point's (not the last part of a composite: "cardiovascular death or worsening
                # heart-failure event")
                return nm.start(), "OTHER"
            break
        if pm and pm[0] >= lo:
            return pm
        for s2, e2, c2 in reversed(found[:-1]):
            if s2 < lo:
                break
            if not _generic(text, s2, e2):
                return s2, c2
        if _BARE_BEFORE_RE.search(text, max(a, s - 12), s) or not text[a:s].strip():
            # "210 events had occurred": events of the primary end point, or of the sentence before
            return (s, primary) if primary else None
    return s, c


# "ECOG PS >= 2 (HR ...) and liver metastases (HR ...) were independent predictors of shorter OS"
_PREDICTS_RE = re.compile(
    r"(?i)\b(?:was|were|is|are|remained)\s+(?:(?:independent(?:ly)?|significant(?:ly)?|strong(?:ly)?|also|each)\s+)?"
    r"(?:predictors?\s+(?:of|for)|predictive\s+of|prognostic\s+(?:for|of)|associated\s+with|(?:(?:risk|prognostic)\s+)?factors?\s+(?:for|of))\s+"
    r"(?:(?:shorter|longer|worse|better|poorer|poor|inferior|superior|improved|reduced|increased|higher|lower|decreased|"
    r"an?\s+(?:higher|lower|increased|reduced)\s+risk\s+of)\s+)?"
)


def _predicted_after(text: str, r: RawRatio, s_end: int, s_start: int) -> Optional[str]:
    """Endpoint of "X (HR ...) was associated with shorter OS": the outcome named after the ratio (``s_start``: where
    the ratio's sentence begins)."""
    limit = r.end + 220 if r.end + 220 < s_end else s_end  # (not min(): ints, and a call costs more)
    seg = text[r.end:limit]  # (`in` on one slice costs less than four str.find with bounds)
    if "predict" not in seg and "ssociated" not in seg and "rognostic" not in seg and "actor" not in seg:
        return None
    m = _PREDICTS_RE.search(text, r.end, limit)
    if not m:
        return None
    # the gap may hold further exposures with their own ratios, not another clause
    depth, plain = 0, []
    for ch in text[r.end:m.start()]:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            plain.append(ch)
    gap = "".join(plain)
    if len(gap) > 200 or _CLAUSE_BREAK_RE.search(gap):
        return None
    if "," in gap or len(gap) > 80:
        # "SBRT (HR ...), Charlson index >=3 (HR ...) and tumour size >3 cm (HR ...) were independent predictors of worse
        # OS": a list of covariates, each with its ratio, may stand between; not a clause with a verb, nor one that names
        # an outcome, and only when the sentence names none before the ratio ("Nivolumab improved PFS (HR ...) and OS
        # (HR ...), and high TMB (HR ...) was associated with longer DFS")
        if _GAP_VERB_RE.search(gap) or _names_outcome(text, r.end, m.start()) \
                or _names_outcome(text, s_start if s_start > r.mention_start - LOOKBACK else r.mention_start - LOOKBACK,
                                  r.mention_start):
            return None
    for s, _e, c in endpoint_list(text, m.end(), min(len(text), m.end() + 60), True):
        return c if s == m.end() and c != "FOLLOWUP" else None
    return None


# "for OS and PFS": two outcomes, neither the analysis's alone
_AND_ANOTHER_RE = re.compile(r"[ \n]+(?:and|or)[ \n]")
_EFFECT_VERB_RE = re.compile(r"(?i)\b(?:improved|reduced|prolonged|lowered|favou?red|increased|decreased|associated)\b")


def _names_outcome(text: str, a: int, b: int) -> bool:
    """True when ``text[a:b]`` holds an endpoint wording other than a follow-up or a site of metastases (a covariate:
    "liver metastases (HR ...)")."""
    for s, e, c in endpoint_list(text, a, b):
        if c != "FOLLOWUP" and "etasta" not in text[s:e]:
            return True
    return False


_MULTIVARIABLE_FOR_RE = re.compile(r"(?i)\bmulti-?varia(?:te|ble)[ \n](?:[a-z-]+[ \n]){0,3}?(?:analys[ie]s|model|regression)"
                                   r"[ \n]+(?:for|of)[ \n]+")
_GAP_VERB_RE = re.compile(r"(?i)\b(?:was|were|is|are|had|has|have|did|showed|remained|occurred|improved|reduced|increased"
                          r"|prolonged|lowered|favou?red|decreased|extended)\b")
# "Tecarixaban users were more likely to remain on their initial anticoagulant (OR ...)": the sentence's own outcome
_LIKELY_TO_RE = re.compile(r"(?i)\b(?:more|less)[ \n]+likely[ \n]+to[ \n]+[a-z]")
_HEADING_RE = re.compile(r"^[A-Z][A-Za-z]+(?::[ \n]{0,3}|[ ]{2,}|[ ]?\n)")
_OWN_OUTCOME_RE = re.compile(
    r"(?i)(?:the\s+)?(?:(?:mean|average|annual(?:i[sz]ed)?|cumulative)\s+)?(?:rates?|risk|incidence|occurrence|frequency|odds|numbers?)"
    r"\s+of\s+(?!this\b|these\b|th?at\b)\w"
)
# "... was associated with higher odds of depressive symptoms (OR ...)": the words just before the ratio
# name its outcome (one the lexicon does not know, where this is asked); only after a comparative word
# ("trials at low risk of bias (RR ...)", "posterior probability of benefit (HR ...)" name none)
_ODDS_OF_BEFORE_RE = re.compile(
    r"(?i)\b(?:(?:higher|lower|greater|increased|reduced|decreased|elevated)\s+"
    r"(?:odds|risks?|likelihood|hazards?|incidence|rates?|probability)\s+of"
    # ("may reduce the need for new kidney replacement therapy (RR ...)")
    r"|(?:reduce[sd]?|reducing|lower(?:s|ed)?|increase[sd]?|decrease[sd]?)\s+the\s+(?:need|requirement)\s+for)"
    r"\s+(?!this\b|these\b|th?at\b|(?:being\s+)?alive\b)"
    r"(?!(?:an?|the)\s*[(\[]?\s*$)[a-z][\w-]*(?:\s+(?:[a-z][\w-]*|\([A-Za-z0-9]{1,8}\))){0,4}\s*[(\[]?\s*"
    # (the groups' rates may come first in the bracket: "of positive margins (15.8% vs 23.6%; OR ...")
    rf"(?:{_RATES_FIRST})?"
    r"(?:(?:adjusted|unadjusted|multivariable|weighted|pooled)\s+)?$"
)
# "Hyperkalaemia, which occurred in 5% vs 2%, was more frequent (OR ...)": the sentence's subject is the
# outcome ("After adjustment for crossover, which occurred in 21%, the HR was ...": a clause, no subject)
_SUBJECT_WHICH_OCCURRED_RE = re.compile(
    r"(?i)(?!(?:after|before|for|of|to|with|in|among|during|when|while|because|although|since|accounting)\b)"
    r"(?![a-z]+ing\b)[a-z][\w-]*(?:[ \n]+(?!(?:for|of|to|with|after|in|on|by)\b)[a-z][\w-]*){0,2},?"
    r"[ \n]+(?:which|that)[ \n]+occurred[ \n]+in\b"
)
_OCCURRED_RE = re.compile(
    r"(?i)\b(?!this\b|these\b|they\b|it\b|which\b|that\b|who\b|events?\b|outcomes?\b|benefits?\b|improvements?\b|effects?\b|reductions?\b|"
    r"differences?\b|increases?\b|changes?\b|responses?\b)[A-Za-z][\w-]{3,}(?:\s+\d{1,3})?\s+(?:occurred|developed|was\s+reported|were\s+reported)"
    r"\s+(?:in\b|(?:less|more)\s+(?:often|frequently)\b)"
    # ("Grade 3 neutropenia was observed less often with the combination (OR ...)")
    r"|\b(?!this\b|these\b|it\b|which\b|that\b|events?\b|outcomes?\b|benefits?\b|effects?\b)[A-Za-z][\w-]{3,}\s+(?:was|were)\s+"
    r"(?:observed|seen|noted)\s+(?:less|more)\s+(?:often|frequently)\b"
)


# a sentence opening with an outcome's rates given as percentages
_RATES_WERE_RE = re.compile(
    r"(?P<x>[A-Z][\w-]{0,30}(?:[ ][\w-]{1,30}){0,3}?)[ ](?:rates?|proportions?)[ \n]{1,2}(?:were|was)[ \n]{1,2}"
    r"(?:(?:about|approximately|respectively)[ \n]{1,2})?\d{1,3}(?:\.\d+)?[ ]?%"
)
# a sentence opening with its subject and a verb of frequency or comparison
_SUBJECT_RE = re.compile(
    r"(?P<x>[A-Z][A-Za-z-]{2,}(?:[ ](?:[a-z][A-Za-z-]*|[\u2265>]?\d{1,2}(?:[-/]\d{1,2})?)){0,5})[ \n]{0,2}(?:\([^()]{0,60}\)[ \n]{0,2})?(?:was|were)[ \n]{1,2}"
    r"(?:(?:also|not|significantly|much|slightly|similarly)[ \n]{1,2})?"
    r"(?:less|more|rare|rarer|common|uncommon|similar|reduced|increased|lower|higher|frequent|infrequent|prevalent)\b"
)
_NOT_SUBJECT_RE = re.compile(
    r"(?i)^(?:this|these|that|those|there|it|they|we|in|among|for|with|at|after|the\s+(?:effect|benefit|difference|result|treatment))\b"
    r"|\b(?:effects?|benefits?|differences?|results?|findings?|treatments?|therap\w*|patients|participants|women|men|children"
    r"|group|groups|arm|arms|ratios?|risk|estimates?|analys[ie]s|(?-i:HRs?|ORs?|RRs?)|efficacy|effectiveness|protection"
    r"|improvements?|reductions?|magnitude|superiority|non-?inferiority|associations?|impact|advantages?|outcomes?)\b"
)


_SUBGROUP_ANALYSIS_RE = re.compile(r"(?i)\bsubgroup\s+analys[ie]s\b")
_CONSISTENT_BENEFIT_RE = re.compile(
    r"(?i)(?<!this\s)(?<!that\s)\b(?:benefit|treatment\s+effect|effect|results)(?:\s+of\s+[\w-]+)?\s+(?:was|were|remained|appeared)\s+(?:\w+\s+)?"
    # ("The benefit of EC-I was confined to patients with ...", "most pronounced in": a subgroup of the primary end point)
    r"(?:consistent|similar|confined|limited|restricted|pronounced|greatest|largest|strongest)\s+(?:in|to|across|among)\s|\bconsistent\s+across\s+(?:all\s+|the\s+)?(?:prespecified\s+|predefined\s+|key\s+)?subgroups\b")


_LOOK_BACK_SENTENCES = 3
_SECTION_HEAD_RE = re.compile(r"\s{0,3}(?:[A-Z][A-Za-z]{2,}(?:[ ](?:and|&|[A-Z][A-Za-z]+)){0,3}[ ]?(?::|\u2014|\n)|[A-Z]{4,}\b)")
_CLAUSE_LEAD_RE = re.compile(r"[\s,]*(?:the[ \n]+)?")
# "recurrence or death" is the event of relapse-free as well as of disease-free survival
_RECURRENCE_OR_DEATH_RE = re.compile(r"(?i)(?:disease[ \n]+)?(?:recurrence|relapse)[ \n]+or[ \n]+(?:death|died)")


def _as_primary(text: str, pos: int, code: str, primary: Optional[str]) -> str:
    """``code``, except that "recurrence or death" is the primary end point's RFS when that is RFS."""
    if code == "DFS" and primary == "RFS" and _RECURRENCE_OR_DEATH_RE.match(text, pos):
        return "RFS"
    return code


_AND_OCCURRED_RE = re.compile(r"[)\]]?,?[ \n]{1,2}and[ \n]{1,2}(?P<x>[a-z][\w-]*(?:[ \n][a-z][\w-]*){0,5}?)[ \n](?:(?:occurred|developed)"
                              # (the verb left out: "..., and bronchopulmonary dysplasia among survivors in 45.7% and 52.2%")
                              r"[ \n]in\b|(?:among[ \n][a-z]+[ \n])?in[ \n]\d{1,3}(?:\.\d+)?[ \n]?%)")


def _new_clause_outcome(text: str, prev_end: int, mention_start: int) -> Optional[str]:
    """OTHER when a clause break ("whereas", "while", "but", ";") follows the previous ratio and the new
    clause's subject is an outcome the lexicon does not know ("... was more frequent"), else None."""
    cb = _last_clause_break(text, prev_end, mention_start)
    if cb is None:
        # "... had died (odds ratio ...), and admission to intensive care occurred in 8.0% and 11.7% (risk ratio ...)":
        # a clause joined by "and" whose subject occurred
        gap = text[prev_end:mention_start]
        am = _AND_OCCURRED_RE.match(text, prev_end, mention_start) if "occurred" in gap or "%" in gap else None
        if am is None or any(c != "FOLLOWUP" for _s, _e, c in endpoint_list(text, am.start("x"), am.end("x"))):
            return None
        if am.group("x").split()[-1].lower() in _PERSON_WORDS or am.group("x").split()[0].lower() in _POPULATION_HEADS:
            # "..., and smokers in 30% vs 35% (RR ...)": a group of people, the same outcome
            return None
        return None if _NOT_SUBJECT_RE.search(am.group("x")) or _names_treatment(text, am.group("x"), mention_start) \
            else "OTHER"
    if any(c != "FOLLOWUP" for _s, _e, c in endpoint_list(text, cb, mention_start)):
        return None
    lead = _CLAUSE_LEAD_RE.match(text, cb, mention_start)
    own = text[lead.end():mention_start]
    own = own[:1].upper() + own[1:]
    sm = _SUBJECT_RE.match(own)
    if sm and not _NOT_SUBJECT_RE.search(sm.group("x")) and not _names_treatment(text, sm.group("x"), mention_start):
        return "OTHER"
    return None


# survival end points counted in events, whose events a bracketed ratio may list ("hazard ratio for relapse or death")
_EVENT_SURVIVAL = frozenset(("PFS", "DFS", "iDFS", "EFS", "RFS", "DMFS", "MFS", "PFS2"))
_OPEN_BRACKET_END_RE = re.compile(r"[(\[][ \n]?$")


def _bracket_subject(text: str, sents: Sentences, mention_start: int) -> Optional[str]:
    """The code of the event-based survival end point named last before the bracket a mention opens ("Event-free
    survival was longer (hazard ratio ..."), in the mention's sentence, or None."""
    m = _OPEN_BRACKET_END_RE.search(text, mention_start - 2 if mention_start > 2 else 0, mention_start)
    if m is None:
        return None
    s_start = sents.bounds(mention_start)[0]
    found = [x for x in endpoint_list(text, s_start, m.start()) if x[2] != "FOLLOWUP"]
    return found[-1][2] if found and found[-1][2] in _EVENT_SURVIVAL else None


def _endpoint_one(text: str, sents: Sentences, r: RawRatio, primary: Optional[str], prev: Optional[RawRatio] = None,
                  prev_code: Optional[str] = None) -> str:
    """The endpoint code of ratio ``r`` (the first of its group); ``prev`` is the ratio before it and ``prev_code``
    that ratio's code."""
    # 1. words between the mention and the value: "hazard ratio for death, 0.72"
    #    ("hazard ratio for event or death" names no outcome: the sentence does)
    generic = False  # whether the first wording there is a generic one ("hazard ratio for an event")
    if r.index_in_group == 0:
        between = text[r.mention_end:r.value_start]
        cm = _COMPOSITE_RE.search(text, r.mention_end, r.value_start) if "omposite" in between else None
        if cm:
            # "hazard ratio for the composite of death or hospitalisation, 0.81"
            return composite_code(text, cm.end())
        # (separators only, "HR, 0.72" (most mentions), hold no letter: no wording, no scan)
        for s, e, c in endpoint_list(text, r.mention_end, r.value_start) if between.strip(" ,=:") else ():
            if c != "FOLLOWUP" and not (c == "OS" and _competing_death(text, s, e)):
                if _generic(text, s, e):
                    generic = True
                    break
                if (" or" in between or "\nor" in between) and ("death" in between or "died" in between):
                    # "Event-free survival was longer (hazard ratio for treatment failure, relapse, or death, 0.58)":
                    # the events of the survival end point the bracket's sentence names (a list ending in death:
                    # "(hazard ratio for local or regional recurrence" names an outcome of its own)
                    own = _bracket_subject(text, sents, r.mention_start)
                    if own is not None:
                        return own
                return _as_primary(text, s, c, primary)
        pm = _resolve_primary(text, r.mention_end, r.value_start, primary, between) \
            if "rimary" in between or "RIMARY" in between else None
        if pm:
            return pm[1]
        # (every match holds "for": most mentions need no regex)
        fl = _FOR_LABEL_HEAD_RE.match(text, r.mention_end, r.value_start) if "for" in between else None
        if fl and not _NOT_OUTCOME_LABEL_RE.search(fl.group("x")) and not _ARM_WORDS_RE.search(fl.group("x")) \
                and not _GENERIC_WORD_RE.search(fl.group("x")) and not _names_treatment(text, fl.group("x"), r.value_start):
            # "hazard ratios for atrial fibrillation were 0.97": an outcome the lexicon does not know
            return "OTHER"
    # 2. "1.51 for disease-free survival", "0.77 (95% CI 0.65-0.91) for OS"
    for after in (r.value_end, r.ci.end if r.ci else -1):
        # (_for_after inlined: two calls per ratio)
        m = _FOR_AFTER_RE.match(text, after) if after >= 0 and "for" in text[after:after + 7] else None
        if m:
            for s, e, c in endpoint_list(text, m.end(), min(len(text), m.end() + 40), True):
                if s == m.end() and c != "FOLLOWUP":
                    return c
    s_start, s_end = sents.bounds(r.mention_start)
    # 3. "X (HR ...) was associated with shorter OS" (not "Clearance of ctDNA occurred in 28.4% ... (OR ...) and was
    #    associated with longer OS": an outcome that occurred is the ratio's own)
    after = _predicted_after(text, r, s_end, s_start)
    if after and not ("occurred in" in text[s_start:r.mention_start]
                      and _SUBJECT_OCCURRED_RE.match(text, s_start, r.mention_start)):
        return after
    # 3a. "In multivariable analysis for OS, A (HR ...), B (HR ...) and C (HR ...) remained significant": the analysis
    #     names the outcome; the labels before each ratio are its covariates
    if "ultivaria" in text[s_start:r.mention_start]:
        mv = _MULTIVARIABLE_FOR_RE.search(text, s_start, r.mention_start)
        # (in the same clause, and sentence: one that opens in lower case, "ctDNA-high also ...", may not have been split
        # off; a verb of effect or an outcome named before the ratio makes it no covariate list)
        if mv and text.find(". ", mv.end(), r.mention_start) == -1 \
                and not _CLAUSE_BREAK_RE.search(BRACKETED_PARTS_RE.sub("", text[mv.end():r.mention_start])):
            for s, e, c in endpoint_list(text, mv.end(), mv.end() + 40, True):
                if s == mv.end() and c != "FOLLOWUP" and not _AND_ANOTHER_RE.match(text, e) \
                        and not _EFFECT_VERB_RE.search(text, e, r.mention_start) \
                        and not _names_outcome(text, e, r.mention_start):
                    return c
    # 3b. ") or to anastomotic leak (RR ...)": named between the previous ratio and this one
    if prev is not None and r.index_in_group == 0:
        own = _sibling_label(text, sents, prev, r, s_start)
        if own:
            return own
    # 4a. "mortality did not differ (OR ...), whereas pancreatic fistula was more frequent (OR ...)":
    #     a new clause after the previous ratio whose subject is an outcome the lexicon does not know
    if prev is not None and r.index_in_group == 0 and s_start <= prev.end <= r.mention_start:
        own = _new_clause_outcome(text, prev.end, r.mention_start)
        if own:
            return own
    # 4b. "A key secondary outcome event occurred in 12.4% and 13.3% (HR ...)": the outcome the text defines as such
    if "econdary" in text[s_start:r.mention_start] and KEY_SECONDARY_USE_RE.search(text, s_start, r.mention_start) \
            and not any(c != "FOLLOWUP" and not _generic(text, s, e) for s, e, c in endpoint_list(text, s_start, r.mention_start)):
        # (unless the sentence names an outcome of its own: "Death from any cause, a component of the key secondary
        # outcome, ...")
        ks = key_secondary_endpoint(text)
        if ks is not None:
            return ks
    # 4. the nearest outcome named before the mention in the same sentence
    best = _sentence_endpoint(text, s_start, r.mention_start, primary)
    if best:
        return _as_primary(text, best[0], best[1], primary)
    # 5. a sentence whose subject is an outcome the lexicon does not know ("Rates of injurious
    #    falls were similar (HR ...)", "Hyperkalaemia occurred in ...") is about that outcome
    head = text[max(s_start, r.mention_start - LOOKBACK):r.mention_start]
    own = _HEADING_RE.sub("", head.lstrip(), count=1) if r.mention_start - s_start <= LOOKBACK else ""
    if _OWN_OUTCOME_RE.match(own) or _OCCURRED_RE.search(head) or _SUBJECT_WHICH_OCCURRED_RE.match(own) \
            or ("likely" in head and _LIKELY_TO_RE.search(head)) \
            or (("of" in head[-90:] or "need" in head[-90:])
                and _ODDS_OF_BEFORE_RE.search(head, len(head) - 90 if len(head) > 90 else 0)):
        return "OTHER"
    rm = _RATES_WERE_RE.match(own)
    if rm and not _NOT_SUBJECT_RE.search(rm.group("x")) and not _names_treatment(text, rm.group("x"), r.mention_start):
        # "R0 resection rates were 71% and 46% (odds ratio ...)": the sentence's own outcome, an
        # earlier sentence's survival wording does not carry over
        return "OTHER"
    sm = _SUBJECT_RE.match(own)
    if sm and not _NOT_SUBJECT_RE.search(sm.group("x")) and not _names_treatment(text, sm.group("x"), r.mention_start):
        # "Anaemia (haemoglobin <8 g/dL) was less prevalent (odds ratio ...)", "Severe disease was rare (...)"
        return "OTHER"
    # 6. "In subgroup analysis, the benefit was notable in stage III (HR ...)": a subgroup analysis
    #    with no outcome named is of the primary end point
    #    and so is "the hazard ratio for an event" where its sentence names no outcome and the primary end
    #    point is one of events (event-free survival, a composite, another outcome's events)
    #    and so is "The benefit was consistent in patients with ..." (a subgroup; not "This benefit", the sentence
    #    before's, nor "The benefit was consistent (HR ...)" after another outcome)
    if primary and ((generic and primary in _EVENT_PRIMARIES)
                    or _SUBGROUP_ANALYSIS_RE.search(text, s_start, r.mention_start)
                    or _CONSISTENT_BENEFIT_RE.search(text, s_start, r.mention_start)):
        return primary
    # 7. the sentences before, back past those that name no outcome ("In patients without X, the HR
    #    was 0.71 (...). Blinded central review confirmed the benefit (HR ...)")
    i = sents.index(r.mention_start)
    for j in range(i - 1, max(-1, i - 1 - _LOOK_BACK_SENTENCES), -1):
        if j < i - 1 and _SECTION_HEAD_RE.match(text, sents.bounds_of(j + 1)[0]):
            # not back across a section heading ("Results: ...", "RESULTS\n")
            break
        a, b = sents.bounds_of(j)
        best = _sentence_endpoint(text, a, b, primary)
        if best:
            return _as_primary(text, best[0], best[1], primary)
        if prev_code is not None and a <= prev.value_start < b and prev.measure == r.measure:
            # "Delirium occurred in 16.6% and 23.4% (OR ...). After adjustment ..., the OR was 0.62": the previous
            # ratio's outcome (one its sentence names without a lexicon wording), not one named further back
            return prev_code
    return primary or "OTHER"
