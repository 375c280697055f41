"""Study-level facts: trial names, NCT ids, phase, randomisation, sample size, arms."""
from __future__ import annotations

import bisect
from bisect import bisect_right
import re
from typing import Optional

# at module level: an import statement inside the role functions cost microseconds on every call
from .medians import _CONTROL_RE
from .text import WORD_NUMBER_RE, Sentences, finditer_from, has_odd_folds, literal_starts, matches_at, word_number

# "\bNCT..." with the "\b" checked after the literal, so that re finds "NCT" in C instead of trying every position
NCT_RE = re.compile(r"NCT(?<!\wNCT)\s?(\d{8})\b")
# BOLERO-2, KEYNOTE-189, CheckMate 067, LNH-98.5, CLL8, ATTRACTION-2, PACIFIC trial
_TRIAL_STOP = re.compile(
    r"^(?:NCT|ISRCTN|COVID|SARS|HER|HIV|EGFR|ALK|BRCA|PD|CTLA|ECOG|RECIST|AUC|ASCO|ESMO|TNM|AJCC|FIGO|WHO|ISRCTN"
    r"|IGHV|CD|IL|UK|USA|US|BMI|HR|OR|RR|CI|PFS|OS|DFS|EFS|RFS|TTP|ITT|MM|AML|CLL|NSCLC|SCLC|HCC|RCC|TNBC|MCRPC|CRPC"
    r"|GRADE|PHASE|RESULTS|METHODS|BACKGROUND|CONCLUSIONS?|PURPOSE|FINDINGS|INTERPRETATION|INTRODUCTION|OBJECTIVE|DESIGN|AIMS?"
    r"|THIS|THE|OUR|AND|CPRD|SEER|NHS|FDA|EMA|MRI|CT|PET|DNA|RNA|ADT|RT|CRT|IMRT|XRT|TKI|VEGF|GLP|SGLT|DPP|CKD|CVD|VTE|AF|MI)"
)
PHASE_RE = re.compile(
    r"(?i)\bphase[\s-]?(?P<p>I{1,3}V?(?:\s?/\s?I{1,3})?|IV|[1-4](?:\s?/\s?[1-4])?|[1-3][ab])(?![\w/])"
)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
# words before a phase that make it this study's own
_OWN_RE = re.compile(r"\b(?:this|our|we|randomi[sz]ed|open-label|double-blind|multicent\w*|placebo-controlled)\b")
RANDOM_RE = re.compile(r"(?i)\brandomi[sz](?:ed|ation)|\brandomly\s+(?:assigned|allocated|divided)|\bunderwent\s+randomi")
META_RE = re.compile(
    r"(?i)\bmeta-?analys[ie]s|\bsystematic\s+review|\bwe\s+searched\b|\bstudies\s+were\s+included|"
    r"\bwe\s+included\s+\d+\s+(?:published\s+|randomi[sz]ed\s+)?(?:\w+\s+)?(?:studies|trials)\b|\bpooled\s+analysis"
)
OBS_RE = re.compile(r"(?i)\bretrospective|\bobservational|\bcohort\s+study|\bregistry\b|\breal[- ]world")
ALLOC_RE = re.compile(r"(?<![\d.:])(?P<r>[1-4]\s?:\s?[1-4](?:\s?:\s?[1-4])?)(?![\d:]|\.\d)")

# Counts begin with a plain \d: re then skips to digits in C, where a pattern that opens with a group,
# branch or look-behind is tried at every position. "\d(?:\d{0,2}(?:,\d{3})+|\d*)" is "\d{1,3}(?:,\d{3})+|\d+"
# with the same matches tried in the same order.
_INT_REST = r"(?:\d{0,2}(?:,\d{3})+|\d*)"
# a whole count, not the end of a number or word: "(?<![\w.,])" is checked after the first digit
_FREE_INT = rf"(?P<num>\d(?<![\w.,]\d){_INT_REST})"
_COUNT = r"(?P<num>\d(?:\d{0,2}(?:,\d{3})+|\d{0,2}(?: \d{3})+(?![\d.])|\d*))"
_NOUN = r"(?:patients|outpatients|inpatients|participants|women|men|adults|individuals|subjects|children|pts|people|persons|infants|users|initiators|volunteers|girls|boys|contacts|recipients|veterans|neonates|newborns|residents)\b"
COUNT_RE = re.compile(
    rf"(?<![\w.,>=<\u2264\u2265-])(?:{_COUNT}|(?P<word>(?<![a-z])(?i:{WORD_NUMBER_RE.pattern[2:]})))"
    rf"(?P<tail>(?:[ \n]+[A-Za-z+'\u00ef-][\w+'\u00ef-]*){{0,4}}?[ \n]+{_NOUN}|[ \n]+(?:were|had\s+been)[ \n]+(?:randomi|randomly|enrolled|included|assigned|allocated|eligible)"
    rf"|[ \n]+of[ \n]+whom[ \n]+(?:met|were)[ \n]|[ \n]+underwent[ \n]+randomi|[ \n]+met[ \n]the[ \n]inclusion[ \n]criteria)"
)


def _alternation(words: tuple[str, ...], tails: Optional[dict[str, str]] = None) -> str:
    """``words`` (none a prefix of another) as one regex alternation factored by leading letters
    ("p(?:atients|eople)|..."): re then tries only the branches of the letter it sees.

    ``tails`` maps some of the words to a zero-width regex (a look-ahead) that must follow them: zero-width,
    so a match is still one word, and as no word begins another, at most one branch can match anywhere."""
    if len(set(words)) != len(words) or any(a != b and b.startswith(a) for a in words for b in words):
        raise ValueError(f"_alternation: expected distinct words none of which begins another, got {words!r}")
    tails = tails or {}
    if not set(tails) <= set(words):
        raise ValueError(f"_alternation: tails for {sorted(set(tails) - set(words))!r}, which are not among the words")
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    out = []
    for c, r in groups.items():
        sub = {w[1:]: t for w, t in tails.items() if w[:1] == c}
        out.append(re.escape(c) + (re.escape(r[0]) + sub.get(r[0], "") if len(r) == 1
                                   else "(?:" + _alternation(tuple(r), sub) + ")"))
    return "|".join(out)


# the words before a source population's size, which is not the study's ("from a cohort of 48,316 men, ...")
_SOURCE_ENDS = ("from a cohort of", "from the cohort of", "from a source cohort of", "from a population of",
                "from a source population of", "from a base cohort of")
_STRONG_WORDS = ("randomi", "randomly", "of whom met", "inclusion criteria")
# (the most frequent near counts first: a count's window is searched for them one by one until one is found)
_CUE_WORDS = ("assigned", "total of", "enrolled", "included", "allocated", "evaluable", "cohort of", "followed", "involv",
              "eligible", "identified", "analysed", "analyzed", "enrolment", "enrollment", "recruited", "studied",
              "comprised", "treatment of", "group of", "registered", "including", "the analysis")
# (lower-case literals, looked for with a plain ``in`` each in a count's short window: a regex of them all
# tries a match at every one of their first letters, which are half the letters of a text)

# What before a count shows it is not a head count: "more than 500 patients", "above 500", "> 60 years", and the upper
# end of a range ("ASPECTS 3 to 5", "aged 18-75"). Searched for as "(?:...)$" in the 16 characters before
# the count, a slow search that tries every start: matched instead at the start of those characters
# reversed (plus one for "\b"), words spelt backwards; "\n?" is "$" matching before a final line break.
_NEG_BEFORE_REV = re.compile(
    r"(?i)\n?(?:\s+(?:tsrif|rehtona|lanoitidda|rehtruf|erom|naht|revo|evoba|woleb|eseht\s+fo|tuoba|yletamixorppa|ylraen)\b"
    r"|\s?[>\u2265<\u2264~]|[ \n]?(?:ot|[-\u2013\u2014])[ \n]?\d)"
)


# the same without (?i), for ``text.lower()`` where its letters match what re's case folding matches (no odd
# folds): re's case-insensitive comparison of each character costs a case lookup
_MONTH_BEFORE_RE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?[ \n]$")
_NEG_BEFORE_REV_LOW = re.compile(_NEG_BEFORE_REV.pattern.removeprefix("(?i)"))


_PARALLEL_RE = re.compile(
    rf"{_FREE_INT}(?:[ \n]+(?:patients|participants|women|men))?[ \n]+"
    rf"(?:received|to[ \n]+receive|were[ \n]+(?:randomly[ \n]+)?(?:assigned|allocated|randomi[sz]ed)(?:[ \n]+to)?|(?:randomly[ \n]+)?(?:assigned|allocated)[ \n]+to|to[ \n]+undergo)\b"
)
_ASSIGN_WORD_RE = re.compile(r"(?i)assigned|allocated|randomi[sz]ed")
# a _PARALLEL_RE match that ends at its verb with no "to": a total ("1,118 patients were randomised")
_TOTAL_VERB_END_RE = re.compile(r"(?:assigned|allocated|randomi[sz]ed)$")
# ... unless an arm follows it: "40 patients were allocated in the ketamine group and 40 received saline"
_INTO_ARM_RE = re.compile(r"[ \n]+in(?:to)?[ \n]+(?:the[ \n]+)?(?:[\w-]+[ \n]+){0,2}(?:group|arm)\b")
_PARALLEL_TO_RE = re.compile(r"(?P<num>\d(?<![\w.,]\d)\d*)[ \n]+patients[ \n]+to\b")
# "randomly assigned 312 patients to A and 309 to B": the arms' counts follow one verb
_VERB_BEFORE_RE = re.compile(r"(?i)\b(?:assigned|allocated|randomi[sz]ed|randomly\s+assigned)[ \n]{1,3}$")
# "randomly assigned 1:1; 312 to A", "randomised in a 2:1 ratio: 400 to A"
_VERB_RATIO = (r"(?i)\b(?:assigned|allocated|randomi[sz]ed)[ \n]{1,3}(?:in[ \n]a[ \n])?\(?[1-4][ ]?:[ ]?[1-4]\)?"
               r"(?:[ \n]ratio)?[,;:]?[ \n]{1,3}")
_VERB_RATIO_BEFORE_RE = re.compile(_VERB_RATIO + "$")
_VERB_RATIO_RE = re.compile(_VERB_RATIO + r"(?=\d)")
# the "1:1" every _VERB_RATIO_RE match holds, found from its ":" (a literal first character is found in C)
_RATIO_RE = re.compile(r":(?:(?<=[1-4]:)|(?<=[1-4] :))[ ]?[1-4]")
_ARM_TO_RE = re.compile(
    rf"{_FREE_INT}(?:[ \n]+{_NOUN})?[ \n]+(?:were[ \n]+(?:randomly[ \n]+)?(?:assigned|allocated|randomi[sz]ed)[ \n]+)?to\b"
)
_ARM_ABBR_RE = re.compile(r"[ \n]?\([A-Za-z][A-Za-z0-9+/-]{0,11}\)")
_ARM_JOIN_RE = re.compile(r"(?:[,;]|\band)[ \n]+(?:and[ \n]+)?$")
_NEQ_VERB_RE = re.compile(
    r"\(\s?[nN]\s?=\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+)\s?\)[ \n]+(?:were|was|had\s+been)[ \n]+"
    r"(?:randomi|randomly|enrolled|included|assigned|allocated|recruited)"
)
_ASSIGNED_RE = re.compile(r"\b(?:assigned|allocated)\b")
# "Patients who received rescue therapy (n = 45) or no rescue (n = 300)": groups by what they went on to receive
_WHO_RECEIVED_RE = re.compile(r"\bwho[ \n](?:had[ \n])?(?:received|were[ \n]given|were[ \n]treated)\b")
_RECEIVED_RE = re.compile(r"\b(?:received|receive|were[ \n]given|were[ \n]treated[ \n]with)\b")
# between the last two arms' sizes: "or" and the last arm's name (", or" after a list); between others, ", name"
_OR_ARM_GAP_RE = re.compile(r",?[ \n]or[ \n][^();]{1,60}")
_COMMA_ARM_GAP_RE = re.compile(r",[ \n][^();]{1,60}")
_NEQ_IN_RE = re.compile(r"\(\s?n\s?=")
_EVENT_PCT_RE = re.compile(r"[ \n]{0,2}\([ \n]?\d{1,3}(?:\.\d+)?[ \n]?%[ \n]?\)")
# (thousands grouped by commas or, in European style, spaces: "(n = 45 112)")
_NEQ_ANY_RE = re.compile(r"(?:\([ \n]?|(?<![\w=<>\u2264\u2265(]))[nN][ \n]?=[ \n]?(?P<num>\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ ]\d{3})+(?![\d.,])|\d+)(?![\d.,])")
_DESIGN_WORD_RE = re.compile(r"(?i)\b(?:trial|study|cohort|randomi[sz]ed|enrolled|registry|analysis)\b")
_ARMS_WORD_RE = re.compile(r"(?i)\b(?:two|three|four|[2-4])[- ]arm(?:ed)?\b")
_NEQ_RE = re.compile(r"\(\s?n\s?=\s?(?P<num>\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ ]\d{3})+(?=\s?\))|\d+)\s?\)")
# "(arm A, n=393)": a labelled arm's size
_NEQ_ARM_RE = re.compile(r"\((?i:arm|group|cohort)[ ][A-Za-z0-9]{1,3},[ ]?n[ ]?=[ ]?(?P<num>\d{1,3}(?:,\d{3})+|\d+)[ ]?\)")
# "(177 vs 179 patients)", "(n = 150 and 148)": the arms' sizes side by side ("n" is "" when absent: an empty
# branch is cheaper for re than an optional group at each of the text's "("; "a" as _INT_REST, same matches)
_VS_COUNTS_RE = re.compile(
    rf"\((?P<n>[nN][ ]?=[ ]?|)(?P<a>\d{_INT_REST})[ ](?:vs\.?|versus|and)[ ](?P<b>\d{{1,3}}(?:,\d{{3}})+|\d+)"
    rf"(?:,?[ ](?:vs\.?|versus|and)[ ](?P<c>\d{{1,3}}(?:,\d{{3}})+|\d+))?(?P<noun>[ ]{_NOUN})?\)"
)
# One scan finds all matches of both: both begin with "(", no match of either holds another "(", and at one
# "(" at most one of them can match (both read the same whole count, digits and commas, after an optional
# "n ="; after it one wants an optional space and ")", the other " vs", " versus" or " and"). Group "a"
# is _VS_COUNTS_RE's alone, which tells the matches apart; neither pattern has flags outside its text.
assert _NEQ_VERB_RE.pattern.startswith(r"\(") and _VS_COUNTS_RE.pattern.startswith(r"\(")
assert "a" not in _NEQ_VERB_RE.groupindex and _NEQ_VERB_RE.flags == _VS_COUNTS_RE.flags
_PAREN_COUNTS_RE = re.compile(r"\((?:" + _NEQ_VERB_RE.pattern[2:] + "|" + _VS_COUNTS_RE.pattern[2:] + ")")
# the same where only the "(n = a vs b)" form can count (no anchor word before a ")"): with "n =" required,
# a "(" before a digit ("(95% CI ...") fails at its first character in both branches
_VS_N_COUNTS = _VS_COUNTS_RE.pattern.replace("(?P<n>[nN][ ]?=[ ]?|)", "(?P<n>[nN][ ]?=[ ]?)")
assert _VS_N_COUNTS != _VS_COUNTS_RE.pattern
_PAREN_N_COUNTS_RE = re.compile(r"\((?:" + _NEQ_VERB_RE.pattern[2:] + "|" + _VS_N_COUNTS[2:] + ")")
# "with a BRCA mutation (n=391) or without (n=349) were randomised": strata joined before the verb
_STRATA_JOIN_RE = re.compile(r"^[^\d()]{0,60}\b(?:or|and)\b[^\d()]{0,40}$")


def _int(s: str) -> int:
    return int(s.replace(",", "").replace(" ", ""))


_ANCHOR_WORDS = ("patients", "outpatients", "inpatients", "participants", "women", "men", "adults", "individuals", "subjects", "children", "pts",
                 "people", "persons", "infants", "users", "initiators", "volunteers", "girls", "boys", "contacts",
                 "recipients", "veterans", "neonates", "newborns", "residents", "had been", "of whom")
# "men" and "pts" are the only three-letter anchor words: find_n_randomized tells them by their length (and "met"
# below, which only matches before "the inclusion criteria")
assert sorted(w for w in _ANCHOR_WORDS if len(w) == 3) == ["men", "pts"], "update find_n_randomized's length test"
# find_n_randomized tells "(177 vs 179 patients)" is possible from the anchors followed by ")": every population
# noun (_NOUN, which _VS_COUNTS_RE ends with) must be an anchor word
assert _NOUN.startswith("(?:") and _NOUN.endswith(r")\b") and set(_NOUN[3:-3].split("|")) <= set(_ANCHOR_WORDS)
_WERE_NEXT = ("randomi", "randomly", "enrolled", "included", "assigned", "allocated", "eligible")
# COUNT_RE's tail always ends with a space or line break and then one of these words, "were" and (after
# any one character) one of _WERE_NEXT, or "underwent randomi", so a count is looked for only before them. One scan finds them
# all; without line breaks it needs a literal space first, which re finds in C ([ \n] is tested everywhere).
# ("were" joins "women" under one "w" branch: each top-level branch is tested at every space of a text)
# ("5214 underwent randomization": "underwent" then, after any one character, "randomi")
# ("18 406 met the inclusion criteria": the analysed cohort of an observational study)
_ANCHORS = _alternation(_ANCHOR_WORDS + ("were", "underwent", "met"),
                        {"were": r"(?=[\s\S](?:" + "|".join(_WERE_NEXT) + "))", "underwent": r"(?=[\s\S]randomi)",
                         "met": r"(?=[\s\S]the[\s\S]inclusion[\s\S]criteria)"})
_ANCHOR_RE = re.compile(" (?:" + _ANCHORS + ")")
_ANCHOR_NL_RE = re.compile("[ \n](?:" + _ANCHORS + ")")
_COUNT_BACK = re.compile(rf"{_COUNT}(?P<tail>(?:[ \n]+[A-Za-z+'\u00ef-][\w+'\u00ef-]*){{0,4}}?[ \n]+)$")
# _COUNT_BACK read backwards from the anchor (for a text without line breaks), matched at the start of the
# window reversed (from its first digit on): one call in place of _BREAK_RE's and _COUNT_BACK's searches.
# Every character it takes is one _BREAK_RE skips, so it stops at the last break by itself; its
# longest match is _COUNT_BACK's leftmost start, and the first match re finds is the longest: the most
# words (greedy {0,4}) put the count furthest back (a token taken as a word is not a 3-digit group), and
# on one count token the space- and comma-grouped forms (never both) come before the plain digits they
# hold.
_COUNT_REV = re.compile(
    r"[ ]++(?:[\w+'\u00ef-]++(?<=[A-Za-z+'\u00ef-])[ ]++){0,4}(?:(?:\d{3}[ ])+\d{1,3}|(?:\d{3},)+\d{1,3}|\d+)"
)
_WORD_BACK = re.compile(
    rf"(?P<word>(?<![a-z])(?i:{WORD_NUMBER_RE.pattern[2:]}))(?P<tail>(?:[ \n]+[A-Za-z+'\u00ef-][\w+'\u00ef-]*){{0,4}}?[ \n]+)$"
)
_DIGIT_RE = re.compile(r"\d")
# a count after one that met the inclusion criteria, of those enrolled, assigned or analysed
_NARROWED_AFTER_RE = re.compile(r"\d[ \n]+(?:[a-z-]+[ \n]+){0,4}?(?:were|was|had)[ \n]+(?:[a-z-]+[ \n]+){0,3}?"
                                r"(?:enrolled|assigned|randomi[sz]ed|included|analy[sz]ed|allocated)\b")
# the same for an ASCII text (str.isascii() is O(1)): a bitmap test per character, cheaper than \d's Unicode one
_ASCII_DIGIT_RE = re.compile(r"[0-9]")
# the last character in a window that cannot be inside a _COUNT_BACK match (one of: digits, commas, word
# characters, + ' - and spaces or line breaks); its negated class first lets re skip the others in C
_BREAK_RE = re.compile(r"[^\w+'\- \n,][\w+'\- \n,]*$")
# counts written in words start a sentence ("Seven hundred ninety-two patients ...")
_CAP_WORD_NUMS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
                  "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen", "Twenty", "Thirty",
                  "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX",
                  "SEVEN", "EIGHT", "NINE", "TEN", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY")
# "\b(?:One|Two|...)\b" with the leading "\b" checked after each word's first letter ("O(?<!\wO)ne"): every
# branch then opens with a literal and re skips in C to those letters instead of trying every position; the
# words are grouped by that letter ("T(?<!\wT)(?:wo|hree|...)", each group in the words' order), so a try
# tests six branches, not 47 (at one position only one letter's group can match: the same matches)
_CAP_WORD_BY_FIRST = {c: [w[1:] for w in _CAP_WORD_NUMS if w[0] == c]
                      for c in dict.fromkeys(w[0] for w in _CAP_WORD_NUMS)}
_CAP_WORD_NUM_RE = re.compile("(?:" + "|".join(f"{c}(?<!\\w{c})(?:{'|'.join(r)})" for c, r in _CAP_WORD_BY_FIRST.items())
                              + r")\b")


_OF_AFTER_RE = re.compile(r"[ \n]+of\b")
# a digit that stands alone, not one inside an arm's name ("CTX-19", "LZ-9", "T-DXd2")
_LONE_DIGIT_RE = re.compile(r"(?<![\w-])\d")

_PARTICIPANTS_HEAD_RE = re.compile(
    r"(?:^|(?<=[.\n])[ ]?)(?:Participants|PARTICIPANTS|Setting\s+and\s+participants)[ \t]{0,3}:?[ \t\n]{1,3}"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d.])|\d+)(?![\d.,%])[ \n]+[A-Za-z]"
)


def find_n_randomized(text: str, sents: Sentences, meta: Optional[bool] = None,
                      low: Optional[str] = None) -> tuple[Optional[int], Optional[tuple[int, int]]]:
    """Return (number of patients randomised or enrolled, span) as the text states it, or (None, None).

    ``low`` is ``text.lower()`` when the caller has it."""
    if meta is None:
        low = text.lower() if low is None else low
        meta = is_meta(text, low)
    if meta:
        return None, None
    # lower-case literals are looked for in ``low`` in place where its offsets are the text's and its
    # letters match what re's case folding matches (no odd folds); else in lowered slices (a whole text's
    # lower() costs more than a few slices')
    ascii_text = text.isascii()
    odd_folds = False if ascii_text else has_odd_folds(text)
    digit_re = _ASCII_DIGIT_RE if ascii_text else _DIGIT_RE
    if odd_folds:
        low = None
    sent_starts = sents.starts
    n_text = sents.n
    # the candidate with the highest score, then the largest number (the first such one), and its sentence
    # when known: kept as candidates come (max() over a list of them cost more)
    best = best_bounds = None
    # whether an anchor word is followed by ")": "(177 vs 179 patients)" needs one (see want_vs below)
    noun_paren = False
    # Matches of COUNT_RE, found back from each anchor word (_ANCHOR_RE, one scan) to its count (inlined
    # here, not a generator: a generator's set-up and resumes cost more than the loop body for most texts)
    last_end = -1
    flat = "\n" not in text
    for a in (_ANCHOR_RE if flat else _ANCHOR_NL_RE).finditer(text):
        p, q = a.span()
        p += 1
        after = text[q:q + 1]
        if after == ")":
            noun_paren = True
        # ("men" or "pts": the only three-letter anchor words, asserted at _ANCHOR_WORDS)
        elif q - p == 3 and after.isalpha():
            continue
        elif q - p == 3 and text[p] == "m" and text[p + 1] == "e" and text[p + 2] == "t" \
                and (low is None or "random" in low):
            # in a randomised trial those who met the inclusion criteria are not those randomised
            continue
        # max(0, p - 60, last_end) (integers: a conditional expression is cheaper than max())
        lo = p - 60 if p - 60 > last_end else last_end
        if lo < 0:
            lo = 0
        if flat:
            # a count begins with a digit (every _COUNT_REV match ends at one, read reversed), so it lies
            # after the window's first digit, and a window without one needs no _COUNT_REV (a third of them);
            # a count spelt out is looked for only in a window without a digit (as below for line breaks)
            d = digit_re.search(text, lo, p)
            if d:
                b = d.start()
                tail = text[b:p]
                # a count alone before the anchor ("312 patients": digits, then spaces) is all _COUNT_REV
                # would take (its words must begin with a letter; its grouped forms need a space or comma
                # inside the digits); \d is str.isdecimal(), tried on short tails only (it tests each character)
                if len(tail) > 12 or not tail.rstrip(" ").isdecimal():
                    v = _COUNT_REV.match(tail[::-1])
                    if v is None:
                        # the window's digits are another number's ("alpha of 0.10. Seventy-two patients"): a count
                        # spelt out after them
                        c = _WORD_BACK.search(text, lo, p) if _CAP_WORD_NUM_RE.search(text, lo, p) else None
                        if c is None:
                            continue
                        b = c.start()
                    else:
                        b = p - v.end()
            elif p - lo > 3 and _CAP_WORD_NUM_RE.search(text, lo, p):
                c = _WORD_BACK.search(text, lo, p)
                if c is None:
                    continue
                b = c.start()
            else:
                continue
        else:
            d = digit_re.search(text, lo, p)
            if d:
                # every count begins with a digit, and no match spans a _BREAK_RE character: the search
                # starts at the first digit or after the last such character ("(HR 0.75) in 312 patients")
                brk = _BREAK_RE.search(text, d.start(), p)
                c = _COUNT_BACK.search(text, brk.start() + 1 if brk else d.start(), p)
                if c is None and text[p - 1] == " " and _CAP_WORD_NUM_RE.search(text, lo, p):
                    # (a count spelt out after another number's digits, as above)
                    c = _WORD_BACK.search(text, lo, p)
            elif p - lo > 3 and text[p - 1] == " " and _CAP_WORD_NUM_RE.search(text, lo, p):
                c = _WORD_BACK.search(text, lo, p)
            else:
                continue
            if c is None:
                continue
            b = c.start()
        m = COUNT_RE.match(text, b)
        if m is None:
            continue
        s, e = m.span()
        last_end = e
        # a count candidate: the count (digits, or words) begins the match
        num, word = m.group("num", "word")
        if word:
            w = word.strip()
            if not w[:1].isupper():
                continue
            n = word_number(w)
            if not n or n < 5:
                continue
            k = s + len(word)
        else:
            # (_int inlined)
            n = int(num.replace(",", "").replace(" ", ""))
            # (the cheap tests first)
            if n < 5 or (s and text[s - 1] == "."):
                continue
            if 1900 <= n <= 2099 and _MONTH_BEFORE_RE.search(text, s - 12 if s > 12 else 0, s):
                # a year after its month ("between January 2014 and December 2018 were included")
                continue
            k = s + len(num)
        # a count scores at most 5 (3 + 2 below), and it replaces the best so far only with a higher score, or
        # an equal score and a larger number; only the best is read after the loop, so a count that cannot
        # replace it is not looked at further
        if best is not None and best[0] >= 5 and n <= best[1]:
            continue
        # "12 of them" ("of" within the 5 characters after the count, after a space: a cheap test first)
        if "of" in text[k + 1:k + 5] and _OF_AFTER_RE.match(text, k, k + 5) and "whom" not in m.group("tail"):
            continue
        # What before the count shows it is not a head count (_NEG_BEFORE_REV: ``re.search(r"(?:...)$",
        # text[s - 16:s])`` matched at the start of those characters reversed, plus one for "\b"; each
        # alternative has one way to match: one longer than 16 characters means none fits)
        lo = s - 17 if s > 17 else 0
        if low is None:
            v = _NEG_BEFORE_REV.match(text[lo:s][::-1])
        else:
            v = _NEG_BEFORE_REV_LOW.match(low[lo:s][::-1])
        if v is not None and v.end() <= 16:
            continue
        # the count's sentence (Sentences.bounds inlined)
        i = bisect_right(sent_starts, s)
        ss = sent_starts[i - 1]
        se = sent_starts[i] if i < len(sent_starts) else n_text
        if text[e - 8:e] == "criteria" and _NARROWED_AFTER_RE.search(text, e, se):
            # "642 met the inclusion criteria and 601 were assigned": the later, smaller count is the study's
            continue
        # cue words in the clause after (up to the next number) and just before
        after_end = e + 220 if e + 220 < se else se
        nxt = digit_re.search(text, e, after_end)
        if nxt:
            after_end = nxt.start()
        wb = s - 45 if s - 45 > ss else ss
        # the words before the count are w[wb:ws], the clause after it w[ws:we]
        if low is not None:
            w, ws, we = low, s, after_end
        else:
            w = text[wb:s].lower()
            wb, ws = 0, len(w)
            w += text[s:after_end].lower()
            we = len(w)
        after = w[ws:we]
        score = 0
        for x in _STRONG_WORDS:
            if x in after:
                score = 3
                break
        else:
            if w[wb:ws].rstrip().endswith(("randomly assigned", "randomized", "randomised")):
                score = 3
        # the cue words below add at most 2, the rest only subtracts: a count that cannot beat the best even
        # so is not scored further (the cue-word tests are most of the scoring)
        if best is not None and (score + 2 < best[0] or (score + 2 == best[0] and n <= best[1])):
            continue
        if "screened" in after or ("run-in" in after and "random" not in after) \
                or (("identified" in after or "assessed" in after) and w[wb:ws].rstrip()[-3:] in ("of", " of")):
            # those screened, or who entered a run-in period, are not those randomised ("1,500 were randomly
            # assigned after the run-in period" are)
            score -= 3
        if _EVENT_PCT_RE.match(text, e):
            # "25 infants (2.4%) in the placebo group": patients with an event, not the study's size
            score -= 3
            if best is not None and (score + 2 < best[0] or (score + 2 == best[0] and n <= best[1])):
                continue
        # one window for both sides: no cue word can run across the count's start (after a character
        # that is not a letter, a digit or a number word begins; the cue words' only non-letter is a
        # space, and what follows it, "of", begins no number)
        around = w[wb:we]
        for x in _CUE_WORDS:
            if x in around:
                score += 2
                break
        # the size of an external (historical, synthetic) control cohort is not the trial's (named before the
        # count: "We enrolled 120 patients and compared them with historical controls" is the trial's)
        before = w[wb:ws]
        if "control" in before and ("external control" in before or "historical control" in before
                                    or "synthetic control" in before):
            score -= 3
        elif "from " in before and before.rstrip().endswith(_SOURCE_ENDS):
            # "From a cohort of 48,316 men, 3,092 cases ... and 30,511 controls": the source population, not
            # those analysed
            score -= 3
        if best is None or score > best[0] or (score == best[0] and n > best[1]):
            best, best_bounds = (score, n, s, e), (ss, se)
    # BMJ/JAMA structured heading: "Participants 412905 pregnancies resulting in ..."
    # (every match holds "articipants" or "ARTICIPANTS", so one scan of ``low`` gates the pass: a text it lets
    # through without either yields no match)
    if ("articipants" in low) if low is not None else ("articipants" in text or "ARTICIPANTS" in text):
        # a match begins at the heading's first word or at the one space before it (the pattern is slow
        # over a whole text): only those positions are tried
        starts = sorted(q - 1 if q and text[q - 1] == " " else q
                        for q in literal_starts(text, ("Participants", "PARTICIPANTS", "Setting")))
        for m in matches_at(_PARTICIPANTS_HEAD_RE, text, starts):
            n = _int(m.group("num"))
            if best is None or 3 > best[0] or (3 == best[0] and n > best[1]):
                best, best_bounds = (3, n, m.start("num"), m.end("num")), None
    # _NEQ_VERB_RE's matches need a "=" in the text; _VS_COUNTS_RE's (group "a") are wanted only in a text with
    # "random" or "underwent" (they count only in a sentence holding a RANDOM_RE match). One scan of
    # _PAREN_COUNTS_RE finds both when both are wanted; else the one wanted is scanned for alone.
    neq_verbs = vs_counts = ()
    # (an "(a vs b)" match counts only with "n =" or a population noun just before its ")", and the anchor scan
    # saw every such noun (noun_paren): without one only "n =" matches can count (_PAREN_N_COUNTS_RE), and
    # without "=" either none can, and the scan is skipped)
    has_eq = "=" in text  # (one scan, read by several passes below)
    want_vs = ((noun_paren or has_eq) and "(" in text
               and (low is None or "random" in low or "underwent" in low))
    if has_eq:
        if want_vs:
            neq_verbs, vs_counts = [], []
            for m in (_PAREN_COUNTS_RE if noun_paren else _PAREN_N_COUNTS_RE).finditer(text):
                (neq_verbs if m.group("a") is None else vs_counts).append(m)
        else:
            neq_verbs = _NEQ_VERB_RE.finditer(text)
    elif want_vs:
        vs_counts = _VS_COUNTS_RE.finditer(text)
    # "Patients (N = 524) were randomized"
    for m in neq_verbs:
        n, start = _int(m.group("num")), m.start()
        a, _b = sents.bounds(start)
        prev = [x for x in _NEQ_RE.finditer(text, a, start)]
        # strata counted separately and randomised together make up the population
        while prev and _STRATA_JOIN_RE.match(text[prev[-1].end():start]):
            n += _int(prev[-1].group("num"))
            start = prev[-1].start()
            prev.pop()
        if best is None or 5 > best[0] or (5 == best[0] and n > best[1]):
            best, best_bounds = (5, n, start, m.end()), None
    # "(177 vs 179 patients)" after the assignment: the arms' sizes, summed (only in a sentence that holds a
    # RANDOM_RE match, which begins with "random" or "underwent": without them the scan is skipped)
    if want_vs:
        # sentence start -> whether the sentence holds a RANDOM_RE match: each sentence is scanned once,
        # however many "(a vs b)" it holds (scanning it again for each was quadratic)
        randomised_at: dict = {}
        for m in vs_counts:
            # bare "(45 vs 38)" may be events: only sizes marked by "n =" or a population noun
            if not (m.group("noun") or m.group("n")):
                continue
            a, b = sents.bounds(m.start())
            randomised = randomised_at.get(a)
            if randomised is None:
                randomised = randomised_at[a] = \
                    next(finditer_from(RANDOM_RE, text, ("random", "underwent"), a, b, low), None) is not None
            if randomised and (best is None or best[0] < 5 or a <= best[2] < b):
                nums = [_int(m.group(g)) for g in ("a", "b", "c") if m.group(g)]
                return sum(nums), (m.start(), m.end())
    # "randomly assigned 1:1; 312 to A and 309 to B": arm counts with no population noun
    # (its ":" found by str's C scan first: re's scan for it is slower)
    if (best is None or best[0] < 3) and ":" in text and _RATIO_RE.search(text):
        # every match begins with one of three words: only their positions are tried (text.matches_at)
        if odd_folds:
            found = _VERB_RATIO_RE.finditer(text)
        else:
            low = text.lower() if low is None else low
            found = matches_at(_VERB_RATIO_RE, text, literal_starts(low, ("assigned", "allocated", "randomi")))
        for v in found:
            arms = _arm_counts(text, sents, v.end(), verb_window=45)
            if arms:
                return arms
    # "randomly assigned 312 patients to A and 309 to B", "191 were randomized to A and 96 to B"
    # (_arm_counts's first test, made here: most best counts fail it, and then the call is saved)
    if best is not None and (first := _ARM_TO_RE.match(text, best[2])) is not None:
        arms = _arm_counts(text, sents, best[2], first=first)
        if arms:
            return arms
    # "2104 patients were assigned to X and 4321 to Y" / "2832 received A; 1131 received B"
    if best is not None:
        a, b = best_bounds if best_bounds is not None else sents.bounds(best[2])
        # nothing comes of it unless the first match begins at the best count: the sentence is scanned only
        # when one does begin there (most best counts begin none)
        parts = list(_PARALLEL_RE.finditer(text, a, b)) if _PARALLEL_RE.match(text, best[2], b) else []
        if len(parts) == 1:
            # (?i) with no literal prefix, re tries _ASSIGN_WORD_RE at every position of the sentence: without
            # odd folds its words are looked for in the lower-cased sentence instead
            if odd_folds:
                assign = _ASSIGN_WORD_RE.search(text, a, b) is not None
            else:
                sent = low[a:b] if low is not None else text[a:b].lower()
                assign = "assigned" in sent or "allocated" in sent or "randomized" in sent or "randomised" in sent
            if assign:
                parts += [p for p in _PARALLEL_TO_RE.finditer(text, parts[0].end(), b)]
        between = text[parts[0].end():parts[1].start()] if len(parts) >= 2 else ""
        if len(parts) == 2 and parts[0].start() == best[2] and parts[1].group(0).endswith("received") \
                and _TOTAL_VERB_END_RE.search(parts[0].group(0)) \
                and not _INTO_ARM_RE.match(text, parts[0].end(), parts[1].start()):
            # "1,118 patients were randomised and 1,102 received at least one dose": the total, then those
            # treated (an arm's count says what it was assigned to)
            return _int(parts[0].group("num")), (parts[0].start(), parts[0].end())
        if len(parts) >= 2 and parts[0].start() == best[2] and not _NEQ_IN_RE.search(between):
            nums = [_int(p.group("num")) for p in parts]
            # "... 300 were assigned to A and 300 to B": the last arm's count follows without a verb
            tail_end = parts[-1].end()
            for m in _ARM_TO_RE.finditer(text, tail_end, b):
                gap = text[tail_end:m.start()]
                if _LONE_DIGIT_RE.search(gap) or len(gap) > 80 or not _ARM_JOIN_RE.search(gap) or "(" in gap:
                    break
                nums.append(_int(m.group("num")))
                tail_end = m.end()
            if len(nums) >= 3 and nums[0] == sum(nums[1:]):
                # "600 patients were randomized; 300 were assigned to A and 300 to B": the total, then its arms
                return nums[0], (parts[0].start(), parts[0].end())
            return sum(nums), (parts[0].start(), parts[-1].end())
    if (best is None or best[0] < 2) and has_eq:
        for i in sorted({sents.index(m.start()) for m in _NEQ_RE.finditer(text)}):
            a, b = sents.bounds_of(i)
            # "Patients were assigned to A (n=561) or B (n=558)": the arms of a trial named randomised elsewhere
            if RANDOM_RE.search(text, a, b) or _ASSIGNED_RE.search(text, a, b):
                ns = list(_NEQ_RE.finditer(text, a, b))
                # two sized groups "assigned" may be a cohort's exposure groups; three are a trial's arms
                arms_ok = (RANDOM_RE.search(text, a, b) or RANDOM_RE.search(text) or _ARMS_WORD_RE.search(text)
                           or len(ns) >= 3)
                if len(ns) >= 2 and arms_ok:
                    return sum(_int(x.group("num")) for x in ns), (ns[0].start(), ns[-1].end())
            elif _RECEIVED_RE.search(text, a, b) and RANDOM_RE.search(text) and not _WHO_RECEIVED_RE.search(text, a, b):
                # "Patients received A (n = 162) or placebo (n = 160)" in a trial called randomised elsewhere:
                # sized alternatives joined by "or" are its arms (sized groups joined by "and" may be subgroups)
                ns = list(_NEQ_RE.finditer(text, a, b))
                if len(ns) >= 2 and _OR_ARM_GAP_RE.fullmatch(text, ns[-2].end(), ns[-1].start()) \
                        and all(_COMMA_ARM_GAP_RE.fullmatch(text, x.end(), y.start()) for x, y in zip(ns, ns[1:-1])):
                    return sum(_int(x.group("num")) for x in ns), (ns[0].start(), ns[-1].end())
    if (best is None or best[0] < 2) and "arm" in text:
        ns = list(_NEQ_ARM_RE.finditer(text))
        if len(ns) >= 2 and len({sents.index(x.start()) for x in ns}) == 1:
            return sum(_int(x.group("num")) for x in ns), (ns[0].start(), ns[-1].end())
    if (best is None or best[0] <= 0) and has_eq:
        # "Retrospective cohort (n = 512).", "... melanoma (n=976).", "N=460 (1:1)."
        per_sentence: dict[int, list] = {}
        # a match begins one to four characters before its "=": only those positions are tried
        starts = sorted({q - d for q in literal_starts(text, ("=",)) for d in (1, 2, 3, 4) if q >= d})
        for m in matches_at(_NEQ_ANY_RE, text, starts):
            per_sentence.setdefault(sents.index(m.start()), []).append(m)
        for i, ms in per_sentence.items():
            if len(ms) != 1:
                continue
            m = ms[0]
            a, b = sents.bounds_of(i)
            if text[a:m.start()].strip() == "" or _DESIGN_WORD_RE.search(text, a, b):
                return _int(m.group("num")), (m.start(), m.end())
    if best is None:
        return None, None
    # (literal finds first, in the lower-cased text: "control" is in most trials' texts, a case-control design in few)
    tl = (low if low is not None else text.lower()) if ("ontrol" in text or "ONTROL" in text) else ""
    if ("case-control" in tl or "case control" in tl or "case patients" in tl) and _CASE_CONTROL_STUDY_RE.search(text):
        # "412 patients ... were recruited as cases, and 824 ... controls": a case-control study's cases and controls
        # together, when the count found is one of them (searched around the first few "case" words only: the
        # pattern is slow over a whole text)
        k = text.find("case")
        for _ in range(4):
            if k == -1:
                break
            cm = _CASE_CONTROL_RE.search(text, k - 160 if k > 160 else 0, k + 360)
            if cm is not None and best[1] in (_int(cm.group("a")), _int(cm.group("b"))):
                return _int(cm.group("a")) + _int(cm.group("b")), (cm.start("a"), cm.end("b"))
            k = text.find("case", k + 360)
    return best[1], (best[2], best[3])


# a count of cases, then (in the same sentence) a count of controls; no other count of three or more digits in between
# (an age, "aged 66 years", or a matching ratio, "(1:2)", may stand there)
_NO_COUNT = r"(?:(?!\d{3}|\d{1,3}[, ]\d{3}|\d+[ \n]+cases?\b)[^.;])"
# a case-control design named ("case-control", "case patients"): not a trial's "cases of influenza among controls"
_CASE_CONTROL_STUDY_RE = re.compile(r"(?i)\bcase[- ]control\b|\bcase[ \n]+patients\b")
_CASE_CONTROL_RE = re.compile(
    rf"\b(?P<a>\d{{1,3}}(?:[, ]\d{{3}})+|\d+)(?![\d.,]){_NO_COUNT}{{0,140}}?\b(?:as[ \n]+cases|\(?cases?(?:[ \n]+patients)?\)?)"
    rf"{_NO_COUNT}{{0,40}}?\b(?P<b>\d{{1,3}}(?:[, ]\d{{3}})+|\d+)(?![\d.,]){_NO_COUNT}{{0,140}}?\bcontrols?\b")


def _arm_counts(text: str, sents: Sentences, pos: int, verb_window: int = 0,
                first: Optional[re.Match] = None) -> Optional[tuple[int, tuple[int, int]]]:
    """(sum, span) of "N to A and M to B" arm counts after one assignment verb, starting at ``pos``; else None.

    ``verb_window`` > 0 also accepts the verb up to that many characters before, followed only by an
    allocation ratio ("randomly assigned 1:1; 312 to A and 309 to B"). ``first`` is
    ``_ARM_TO_RE.match(text, pos)`` when the caller has it."""
    if first is None:
        first = _ARM_TO_RE.match(text, pos)
        if first is None:
            return None
    if "were" not in first.group(0) and not _VERB_BEFORE_RE.search(text, max(0, pos - 30), pos):
        if not verb_window or not _VERB_RATIO_BEFORE_RE.search(text, max(0, pos - verb_window), pos):
            return None
    _a, b = sents.bounds(pos)
    parts = [first]
    for m in _ARM_TO_RE.finditer(text, first.end(), b):
        gap = text[parts[-1].end():m.start()]
        # only the arm's name in between: no other number, no new clause (an arm's bracketed abbreviation, "(ECV)",
        # is its name)
        if "(" in gap:
            gap = _ARM_ABBR_RE.sub("", gap)
        if _LONE_DIGIT_RE.search(gap) or len(gap) > 80 or not _ARM_JOIN_RE.search(gap) or "(" in gap:
            break
        parts.append(m)
    if len(parts) < 2:
        return None
    return sum(_int(p.group("num")) for p in parts), (parts[0].start(), parts[-1].end())


_TRIAL_TOKEN_RE = re.compile(
    r"[A-Z][A-Za-z]{0,3}[A-Z]{2,}[A-Za-z]{0,6}(?:-[A-Z]+)?(?:-?\d{1,4}(?:\.\d)?[A-Za-z]?)?"
)
_STRIP = ".,;:()[]{}'\"\u201c\u201d"


# "-<digit>" only after a letter: an acronym's number (BOLERO-2); "0.61-0.89" cannot be a trial token
# (re finds the one-character literal "-" in C)
_TRIAL_NUM_RE = re.compile(r"-(?<=[A-Za-z]-)\d")
_TRIAL_WORD_RE = re.compile(r" (?:trials?|study)\b")
_TRIAL_FIRST_RE = re.compile(r"[A-Z]{1,2}\d")
_TRIAL_LONG_NUM_RE = re.compile(r"\d{3,}[A-Za-z]$")
_TRIAL_CAPS_RE = re.compile(r"[A-Z]{3}")


_TOKEN_CHARS_RE = re.compile(r"(?:[^\W_]|[.\-])*")  # str.isalnum() characters, "." and "-"


def find_trials(text: str) -> tuple[list[str], list[str]]:
    """Return (trial acronyms, NCT ids) named in the text, in order, without repeats.

    Acronyms are read where they carry a number (BOLERO-2, KEYNOTE-189) or precede the
    word "trial"/"study" (the PACIFIC trial).
    """
    ncts = []
    if "NCT" in text:
        for m in NCT_RE.finditer(text):
            v = "NCT" + m.group(1)
            if v not in ncts:
                ncts.append(v)
    trials: list[str] = []
    # anchors: "-<digit>" after a letter and " trial(s)"/" study" (found by str.find, faster than re's
    # scan for a longer literal); they cannot overlap
    starts = [a.start() for a in _TRIAL_NUM_RE.finditer(text)]
    # A word anchor's token holds no digit, so it ends (_TRIAL_TOKEN_RE) in an upper-case letter and at most
    # 6 more letters; unless strip() removes the character before the anchor, they are among the 7 characters
    # before it. Without upper case there ("randomized trial", "this study") the token cannot match: its
    # start is not looked for.
    for w in (" trial", " study"):
        p = text.find(w)
        while p != -1:
            if (text[p - 1:p] in _STRIP or not text[p - 7 if p > 7 else 0:p].islower()) and _TRIAL_WORD_RE.match(text, p):
                starts.append(p)
            p = text.find(w, p + 1)
    # Anchors come in order, so each word start is looked for only after the previous anchor and a
    # token's end is reused while anchors fall inside it: linear even on text without spaces
    # ("A-1A-1A-1..."), where searching from the start of the text for each anchor was quadratic.
    sep, sep_to = -1, 0  # the last separator (space, line break or "(") in text[:sep_to]
    tok_end, span = -1, None
    for p in sorted(starts):
        # the last separator in text[sep_to:p]: a line break or "(" after its last space is looked for in
        # the slice after that space (usually the short token itself; "in" on a slice is cheaper than a
        # bounded rfind, which parses its bounds in Python's slow argument path)
        ws = text.rfind(" ", sep_to, p)
        lo = ws + 1 if ws != -1 else sep_to
        tail = text[lo:p]
        if "\n" in tail or "(" in tail:
            k = tail.rfind("\n")
            j = tail.rfind("(")
            ws = lo + (k if k > j else j)
        if ws != -1:
            sep = ws  # (beyond any separator before sep_to)
        sep_to = p
        ws = sep + 1
        if text[p] == "-":
            if p + 1 > tok_end:
                tok_end = _TOKEN_CHARS_RE.match(text, p + 1).end()
            if (ws, tok_end) == span:
                continue  # the same token as the anchor before: the same outcome
            span = (ws, tok_end)
            tok = text[ws:tok_end].rstrip(".-")
        else:
            tok = text[ws:p].strip(_STRIP)
            if any(map(str.isdigit, tok)) or len(tok) < 4:
                continue
        if len(tok) < 3 or not tok[:1].isupper() or not _TRIAL_TOKEN_RE.fullmatch(tok):
            continue
        base = tok.split("-")[0].rstrip("0123456789")
        if _TRIAL_STOP.fullmatch(base.upper()):
            continue
        if _TRIAL_FIRST_RE.match(tok) or _TRIAL_LONG_NUM_RE.search(tok) or not _TRIAL_CAPS_RE.search(tok):
            continue
        if tok not in trials:
            trials.append(tok)
    return trials, ncts


def find_phase(text: str, low: Optional[str] = None) -> Optional[str]:
    """Return the trial phase ("I", "II", "III", "IV", "II/III"), preferring the phase of this study."""
    # "hase" and "HASE" both lower to "hase": with the lower-cased text, one find settles the common case
    if low is not None:
        h = low.find("hase")
        if h == -1:
            return None
    # a text whose only "phase" is in mixed case ("pHase 3") gives None, as it always has, though PHASE_RE
    # (ignoring case) would match it; ``h`` (set above when ``low`` is given) is used below
    if "hase" not in text and "HASE" not in text:
        return None
    best = None
    # every match begins with "phase": only its positions are tried (see text.matches_at); in the lower-cased
    # text the first lies at most one character before the first "hase"
    if low is None or has_odd_folds(text):
        found = finditer_from(PHASE_RE, text, ("phase",), low=low)
    else:
        starts = []
        i = low.find("phase", h - 1 if h else 0)
        while i != -1:
            starts.append(i)
            i = low.find("phase", i + 1)
        found = matches_at(PHASE_RE, text, starts)
    for m in found:
        p = m.group("p").upper().replace(" ", "")
        # "3" and "3a" are "III" (the pattern's digits are 1-4, all in _ROMAN; its Roman numerals hold no "A"/"B")
        if "/" in p:
            phase = "/".join([_ROMAN.get(x[0], x) if x[0].isdigit() else x for x in p.split("/")])
        else:
            phase = _ROMAN.get(p[0], p) if p[0].isdigit() else p
        at = m.start()
        ctx = text[at - 60 if at > 60 else 0:at]
        cut = ctx.rfind(". ")
        k = ctx.rfind(": ")
        if k > cut:
            cut = k
        ctx = ctx[cut + 1:].lower() if cut != -1 else ctx.lower()
        if _OWN_RE.search(ctx):
            return phase
        if best is None:
            best = phase
    return best


# the ":" of an ALLOC_RE match with its digits ("2:1", "1 : 1"); the look-behinds are checked after the ":"
# (find_n_randomized's _RATIO_RE is the same test for its own pattern, which allows only " " where this has \s)
_ALLOC_COLON_RE = re.compile(r":(?:(?<=[1-4]:)|(?<=[1-4]\s:))\s?[1-4]")


def find_allocation(text: str, low: Optional[str] = None,
                    random_at: Optional[list[int]] = None) -> Optional[str]:
    """Return the allocation ratio ("2:1") stated next to randomisation, or None.

    ``random_at``: ``literal_starts(low, ("random",))`` (sorted) if the caller has it (several finders use it).
    """
    if random_at is not None and not random_at:
        return None
    # every ratio ALLOC_RE reads holds a ":" between digits 1-4: without one in the text (one scan for
    # the ":" in C) no randomisation wording need be looked for; most texts without one hold no ":" at
    # all, which "in" tells at once (a memchr for ASCII text, where re's scan costs ~6 instructions a character)
    if ":" not in text or not _ALLOC_COLON_RE.search(text):
        return None
    low = text.lower() if low is None else low
    if random_at is None and "random" not in low:
        return None
    n = len(text)
    for m in _random_matches(text, low, random_at):
        a, b = m.span()
        am = ALLOC_RE.search(text, a, b + 40 if b + 40 < n else n)
        if am:
            return am.group("r").replace(" ", "")
    return None


# Arm names a and m are lazy: re tries what follows them after each of their characters. Everything that
# may follow either begins with whitespace or ",", so the look-ahead "(?=[\s,])" after each rules out the
# other places at once (the same matches; the failing tries cost a third less).
_ASSIGN_RE = re.compile(
    r"(?i)\b(?:randomly\s+(?:assigned|allocated)|randomi[sz]ed)(?:\s+\([^)]{0,30}\))?(?:\s+in\s+a\s+\d:\d(?::\d)?\s+ratio)?(?:\s+\(?\d:\d(?::\d)?\)?)?"
    r"\s+(?:[\w:]+\s+){0,8}?to\s+(?:receive\s+|undergo\s+)?(?:either\s+)?"
    # (a decimal point inside an arm's dose: "drug A 1.6 mg/kg"; "placebo within 4.5 hours" ends at "within")
    r"(?P<a>(?:[^,;()\[\].]|(?<=\d)\.(?=\d+[ ]?(?:mg|g|mcg|\u00b5g|Gy|mL|ml|units?|IU)\b)){2,60}?)(?=[\s,])(?:\s+\([^)]{0,80}\))?(?:,\s+(?P<m>(?:[^,;()\[\].]|(?<=\d)\.(?=\d+[ ]?(?:mg|g|mcg|\u00b5g|Gy|mL|ml|units?|IU)\b)){2,60}?)(?=[\s,])(?:\s+\([^)]{0,80}\))?)?,?\s+or\s+(?:to\s+)?(?:receive\s+|undergo\s+)?(?:matching\s+|matched\s+)?(?P<b>(?:[^,;()\[\].]|(?<=\d)\.(?=\d+[ ]?(?:mg|g|mcg|\u00b5g|Gy|mL|ml|units?|IU)\b)){2,60}?)"
    r"(?=\s*(?:[,;()\[\]]|\.(?:\s|$)|$)|\s+(?:until|for|every|in|at|with|within|over|before|after|daily|once|twice|given|"
    r"administered|had|has|have|showed|lived|was|were|experienced|achieved)\b)"
)
# "or" between two whitespace characters (the part of every _ASSIGN_RE match's "\s+or\s+" next to the
# word), in the lower-cased text (found from its literal "or")
_OR_LOW_RE = re.compile(r"or(?<=\sor)\s")
_ARM_SIZE = r"[ ]\((?:(?i:arm|group)[ ][A-Za-z0-9]{1,3},[ ]?)?[nN][ ]?=[ ]?\d[\d,]*\)"
_ARM_SIZE_RE = re.compile(_ARM_SIZE)
# the "n=" / "N =" each arm size holds, found from its literal "="
_N_EQ_RE = re.compile(r"=(?:(?<=[nN]=)|(?<=[nN] =))")
# arms listed with their sizes, each bounded: three arms in one sentence (a trial's design)
_SIZED_NAME = r"[A-Za-z][^,;:()\[\].\d=]{1,60}?"
_SIZED_NAME_MAX = 61  # the longest _SIZED_NAME: a letter and 60 more characters
_SIZED_ARMS_RE = re.compile(
    rf"(?:\bto|:)[ ](?P<a>{_SIZED_NAME}){_ARM_SIZE},[ ](?P<m>{_SIZED_NAME}){_ARM_SIZE},?"
    rf"[ ](?:or|and)[ ](?P<b>{_SIZED_NAME}){_ARM_SIZE}"
)
_DOSE_RE = re.compile(r"(?i)^(?:oral|intravenous|iv|\d[\d.,]*\s*(?:mg|g|mcg|µg|μg)(?:/m\(?2\)?|/kg|/m2)?\s*|\w+\s+dose\s+)+")


_SPACES_RE = re.compile(r"\s+")
_NAME_WORD_RE = re.compile(r"[a-z][a-z-]{2,}")


def _clean(name: str) -> str:
    name = name.strip()
    # (_DOSE_RE is anchored and each of its matches non-empty: its one match is cut off, as sub() would)
    m = _DOSE_RE.match(name)
    if m:
        name = name[m.end():]
    # every whitespace character but " " is unprintable: a name without one and without "  " has no run for
    # _SPACES_RE to shorten (sub() costs per run; most names hold only single spaces)
    if "  " in name or not name.isprintable():
        name = _SPACES_RE.sub(" ", name)
    return name.strip()


_WEAK_CONTROL_RE = re.compile(r"(?i)alone|monotherapy|without|conventional")
# "(?i)\b(?:versus|vs\.?|compared\s+(?:with|to))..." opened by its first letter in both cases, the "\b" checked
# after it: with a character class first (and no global IGNORECASE) re skips to those letters in C
_VERSUS_RE = re.compile(
    r"[vVcC](?<!\w[vVcC])(?i:(?<=v)(?:ersus|s\.?)|(?<=c)ompared\s+(?:with|to))"
    r"(?i:[ \n]{1,2}(?:the[ \n]{1,2})?(?P<x>[A-Za-z][\w+-]*(?:[ \n][\w+-]+){0,3}))"
)


# the first word of every _VERSUS_RE match
_VERSUS_FIRST = ("versus", "vs", "compared")


def _comparator(text: str, names: list[str], low: Optional[str] = None) -> Optional[int]:
    """Index of the one arm the text names as comparator ("versus X", "Compared with X,"), else None.

    ``low``: ``text.lower()`` if the caller has it.
    """
    hits = set()
    # each name's words, once (not for every "versus"), and their first words: a comparator opening with
    # none of these names no arm
    name_words = [[w for w in _NAME_WORD_RE.findall(n.lower()) if w not in ("alone", "monotherapy")] for n in names]
    firsts = {words[0] for words in name_words if words}
    # re tries the pattern after every "v" and "c" of the text; only the places of its first words are tried
    for k, m in enumerate(finditer_from(_VERSUS_RE, text, _VERSUS_FIRST, low=low)):
        if k >= 20:
            break
        xs = m.group("x").lower().split()
        if xs[0] not in firsts:
            continue
        for i, words in enumerate(name_words):
            if words and xs[0] == words[0] and all(w in xs for w in words):
                hits.add(i)
    return hits.pop() if len(hits) == 1 else None


def find_design_arms(text: str, low: Optional[str] = None,
                     random_at: Optional[list[int]] = None) -> list[tuple[str, Optional[str]]]:
    """Return [(arm name, role)] from "randomly assigned to X or Y" (control: placebo/standard/..., else the second).

    ``random_at``: ``literal_starts(low, ("random",))`` (sorted) if the caller has it.
    """
    low = text.lower() if low is None else low
    if random_at is None:
        random_at = literal_starts(low, ("random",))
    if not random_at:
        if "=" in text:
            m = _sized_arms(text)
            return _design_roles(text, m, low) if m else []
        return []
    # every match begins with "random" (any case): only those positions are tried, the first
    # one in a window that matches is what a search of the window finds (text.matches_at)
    starts = None if has_odd_folds(text) else random_at
    m = None
    n = len(text)
    p = text.find("andom")
    while p != -1 and m is None:
        a = p - 12 if p > 12 else 0
        b = p + 400 if p + 400 < n else n
        if starts is None:
            m = _ASSIGN_RE.search(text, a, b)
        else:
            or_at = -1
            # (by index: a slice of the rest of the list at each window made the loop quadratic on
            # text with thousands of "random")
            j, k = bisect.bisect_left(starts, a), len(starts)
            while j < k and starts[j] < b:
                r = starts[j]
                j += 1
                # each start gets its own 400 characters: a design sentence that begins late in the window
                # ("a randomized ... trial ... In total, 294 patients were randomized 1:1:1 to A, B or C") runs past it
                rb = r + 400 if r + 400 < n else n
                if or_at < r:
                    # every match holds "\s+or\s+" after its start: without one in its reach, no match from here
                    # (a failing match explores its arm names at length)
                    o = _OR_LOW_RE.search(low, r, rb)
                    if o is None:
                        continue
                    or_at = o.start()
                m = _ASSIGN_RE.match(text, r, rb)
                if m:
                    break
        p = text.find("andom", p + 400)
    if not m and "=" in text:
        # "randomised ... assigned to A (n=315), B (n=316) or C (n=314)", "A (arm A, n=393), B (arm B, n=389) and C (arm C, n=389)"
        m = _sized_arms(text)
    if not m:
        return []
    return _design_roles(text, m, low)


def _sized_arms(text: str) -> Optional[re.Match]:
    """``_SIZED_ARMS_RE.search(text)``, tried only where three bracketed arm sizes occur (the scan is slow)."""
    # each size holds its own "n=" (found from the literal "=" in C): fewer than three, no full scan
    if len(_N_EQ_RE.findall(text)) < 3:
        return None
    sizes = list(_ARM_SIZE_RE.finditer(text))
    if len(sizes) < 3:
        return None
    # The three sizes of a match are consecutive ones here (the text between them holds no "("), with
    # ", " and a name between the first two and ",? or|and " and a name between the last two: without
    # such a run, no match (and no search of the whole range).
    if not any(b.start() - a.end() <= 2 + _SIZED_NAME_MAX and c.start() - b.end() <= 6 + _SIZED_NAME_MAX
               for a, b, c in zip(sizes, sizes[1:], sizes[2:])):
        return None
    # a name is at most 60 characters, after "to " or ": "
    return _SIZED_ARMS_RE.search(text, max(0, sizes[0].start() - 70), sizes[-1].end())


def _design_roles(text: str, m: re.Match, low: Optional[str] = None) -> list[tuple[str, Optional[str]]]:
    """[(arm name, role)] for the arms named by groups a, m (optional) and b of a design match
    (``low``: ``text.lower()`` if the caller has it)."""
    ga, gm, gb = m.group("a", "m", "b")
    names = [_clean(ga), _clean(gm), _clean(gb)] if gm else [_clean(ga), _clean(gb)]
    if not all(names):
        return []
    if len(names) == 2 and names[0].lower().endswith(" with") and names[1].lower().startswith("without "):
        # "FOLFOX with or without bevacizumab"
        base, add = names[0][:-5].strip(), names[1][8:].strip()
        return [(f"{base} plus {add}", "experimental"), (f"{base} alone", "control")]
    found = [_CONTROL_RE.search(n) for n in names]
    controls = [i for i, c in enumerate(found) if c]
    strong = [i for i in controls if not _WEAK_CONTROL_RE.fullmatch(found[i].group(0))]
    if not strong:
        # "velmitinib plus doralizumab, velmitinib alone, or sunitinib ... versus sunitinib": the comparator
        # the text names wins over an "alone" arm (a component of the combination, not the control)
        cmp_ = _comparator(text, names, low)
        if cmp_ is not None:
            controls = [cmp_]
    ctl = controls[0] if len(controls) == 1 else len(names) - 1
    if len(names) == 2 and len(controls) != 1:
        ctl = 1
    return [(n, "control" if i == ctl else "experimental") for i, n in enumerate(names)]


_OBS_WORDS = ("retrospective", "observational", "cohort study", "registry", "real-world", "real world")
_RANDOM_WORDS = ("randomized", "randomised", "randomization", "randomisation", "randomly assigned", "randomly allocated")
# any of _RANDOM_WORDS: one search for the literal "random" (found in C), not six
_RANDOM_WORDS_RE = re.compile("random(?:" + _alternation(tuple(w[6:] for w in _RANDOM_WORDS)) + ")")
# the first word of every OBS_RE match
_OBS_FIRST = ("retrospective", "observational", "cohort", "registry", "real")


def _random_matches(text: str, low: str, random_at: Optional[list[int]]):
    """What ``RANDOM_RE.finditer(text)`` yields, tried only where its first words ("random", "underwent")
    occur; ``random_at`` (the positions of "random" in ``low``) saves one scan of the text."""
    if random_at is None or has_odd_folds(text):
        return finditer_from(RANDOM_RE, text, ("random", "underwent"), low=low)
    # (an unbounded find: literal_starts' bounded one parses its bounds in Python's slow argument path)
    i = low.find("underwent")
    if i == -1:
        return matches_at(RANDOM_RE, text, random_at)
    starts = random_at[:]
    while i != -1:
        starts.append(i)
        i = low.find("underwent", i + 1)
    starts.sort()
    return matches_at(RANDOM_RE, text, starts)


_META_WORDS = ("meta-analys", "meta analys", "metaanalys", "meta-analyses", "systematic review", "we searched",
               "studies were included", "pooled analysis", "we pooled", "pooled individual", "pooled data from",
               "trials were pooled", "studies were pooled")


# each of _META_WORDS holds "meta" or "pooled" or is one of these three (_meta_words looks for the last
# one with is_meta's "we included")
_META_OTHER_WORDS = tuple(w for w in _META_WORDS if "meta" not in w and "pooled" not in w)
assert _META_OTHER_WORDS == ("systematic review", "we searched", "studies were included"), _META_OTHER_WORDS
# the others as (key, ((what comes before the key, the rest from the key on), ...)): "meta" is common
# ("metastatic"), so the words are tested only where their key occurs, not each over the whole text
_META_AROUND = tuple(
    (k, tuple((w[:w.index(k)], w[w.index(k):]) for w in _META_WORDS
              if k in w and (k == "meta" or "meta" not in w)))
    for k in ("meta", "pooled"))
# the first word of every META_RE match
_META_FIRST = ("meta", "systematic", "we", "studies", "pooled")


_DATABASES = ("pubmed", "embase", "medline", "cochrane")
_NOT_LITERATURE = ("record", "registr", "chart", "hospital", "institution", "clinicaltrials")


def _database_search(low: str) -> bool:
    """True when a sentence says literature databases were searched ("MEDLINE, Embase and CENTRAL were searched"), not
    records or registries ("Medical records were searched ...; PubMed identifiers are listed")."""
    i = low.find("searched")
    while i != -1:
        a = max(low.rfind(". ", 0, i), low.rfind("\n", 0, i), i - 200, 0)
        b = low.find(". ", i)
        sent = low[a:b if b != -1 else len(low)]
        if any(d in sent for d in _DATABASES) and not any(w in sent for w in _NOT_LITERATURE):
            return True
        i = low.find("searched", i + 8)
    return False


def _meta_words(low: str) -> str:
    """"meta" when ``low`` holds one of _META_WORDS, else "we included" when it holds that, else ""."""
    # (an or-chain, not any() over a generator, which costs more than a scan to set up)
    if "systematic review" in low or "we searched" in low:
        return "meta"
    if "study selection:" in low and ("data sources:" in low or "data synthesis:" in low):
        # a review's structured headings ("DATA SOURCES: ... STUDY SELECTION: ... DATA SYNTHESIS: ...")
        return "meta"
    if "searched" in low and ("pubmed" in low or "embase" in low or "medline" in low or "cochrane" in low) \
            and _database_search(low):
        # "PubMed, Embase and the Cochrane Library were searched": a review's search, not a study of its own patients
        return "meta"
    # "studies were included" and "we included" both hold "e included" (rare): one scan tells that neither
    # occurs; only when it does are they looked for
    we_included = False
    if "e included" in low:
        if "studies were included" in low:
            return "meta"
        we_included = "we included" in low
    for key, around in _META_AROUND:
        i = low.find(key)
        while i != -1:
            for before, rest in around:
                if low.startswith(rest, i) and (not before or low.endswith(before, 0, i)):
                    return "meta"
            i = low.find(key, i + 1)
    return "we included" if we_included else ""


def is_meta(text: str, low: Optional[str] = None) -> bool:
    """Return True when the text reports a meta-analysis or systematic review (pooled estimates)."""
    low = text.lower() if low is None else low
    found = _meta_words(low)
    if found == "meta":
        return True
    if not found:  # no "we included" either
        return False
    # META_RE opens with "\b" and IGNORECASE (tried at every position by re): only the places of its
    # first words are tried
    return next(finditer_from(META_RE, text, _META_FIRST, low=low), None) is not None


def is_randomized(text: str, meta: Optional[bool] = None, low: Optional[str] = None,
                  random_at: Optional[list[int]] = None) -> Optional[bool]:
    """Return True when the text reports randomisation of its own patients, False for observational designs, else None.

    ``random_at``: ``literal_starts(low, ("random",))`` (sorted) if the caller has it.
    """
    low = text.lower() if low is None else low
    if meta is None:
        meta = is_meta(text, low)
    if meta:
        return None
    if random_at is None:
        random_at = literal_starts(low, ("random",))
    if not random_at:
        for w in _OBS_WORDS:
            if w in low:
                return False
        return None
    # every _RANDOM_WORDS_RE match begins with "random" (in the lower-cased text)
    for p in random_at:
        if _RANDOM_WORDS_RE.match(low, p):
            return True
    # both patterns open with "\b" and IGNORECASE (tried at every position by re): only the places of
    # their first words are tried
    if next(_random_matches(text, low, random_at), None):
        return True
    if next(finditer_from(OBS_RE, text, _OBS_FIRST, low=low), None):
        return False
    return None


# "The relative risk of progression for the carboplatin plus paclitaxel group was 0.88",
# "the hazard ratio for death of men treated with cabazitaxel compared with those taking mitoxantrone"
_SUBJECT_RE = re.compile(
    r"(?i)\b(?:hazard\s+ratio|relative\s+risk|odds\s+ratio|risk\s+ratio)s?(?:\s?\((?:HR|RR|OR)\))?"
    r"(?:\s+(?:of|for)\s+[a-z]+(?:\s+or\s+[a-z]+)?)?\s+(?:for|in)\s+(?:the\s+)?(?P<x>[A-Za-z][^.;,()\d]{1,50}?)\s+(?:group|arm)\b"
    r"|(?i:treated\s+with|receiving)\s+(?P<x2>[A-Za-z][^.;,()\d]{1,40}?)\s+(?:as\s+)?compared\s+with\s+"
    r"(?:those|patients|men|women)\s+(?:taking|receiving|treated\s+with|given)\s+(?P<y2>[A-Za-z][^.;,()\d]{1,40}?)(?=\s+(?:was|were|is)\b|[,;.)])"
)
# the first word of every _SUBJECT_RE match
_SUBJECT_FIRST = ("hazard", "relative", "odds", "risk", "treated", "receiving")
# _subject's anchors (literal, characters looked at before and after it, words one of which the window holds)
_SUBJECT_ANCHORS = (("ratio", 30, 160, " group", " arm"), ("risk", 30, 160, " group", " arm"),
                    ("compared with", 70, 80, "treated with", "receiving"))
# a name role_hints reads as an arm's label: "arm A", "group II", "triplet group" (_LABEL_RE's "lab" group)
ARM_LABEL_RE = re.compile(r"(?i)(?:arm|group|cohort)\s(?:[A-Z]|[IVX]{1,4}|\d)$|[A-Za-z][\w-]*(?:\s[A-Za-z][\w-]*)?\s(?:group|arm)$")
# "(arm II)", and "(arm C, control)": the label, whatever role words follow it
_LABEL_RE = re.compile(r"\((?P<lab>(?:arm|group|cohort)\s(?:[A-Z]|[IVX]{1,4}|\d)|(?!the\s)[A-Za-z][\w-]*+"
                       r"(?:\s(?:group|arm)|\s[A-Za-z][\w-]*+\s(?:group|arm)))(?:\)|[,;]\s?(?:the\s)?(?:control|comparator|reference)"
                       r"(?:\sarm|\sgroup)?\))", re.IGNORECASE)
_ROLE_STOP = {"plus", "and", "with", "alone", "the", "group", "arm", "therapy", "treatment", "combination", "or", "of",
              "mg", "weekly", "daily"}


def _distinct_words(name: str) -> set:
    return {w for w in _NAME_WORD_RE.findall(name.lower()) if w not in _ROLE_STOP}


def _covers(desc: str, name: str) -> bool:
    """True when every distinctive word of arm ``name`` appears in the description ``desc``."""
    words = _distinct_words(name)
    have = set(_NAME_WORD_RE.findall(desc.lower()))
    return bool(words) and words <= have


def _starts_in(window: str, words: tuple[str, ...], offset: int) -> list[int]:
    """``literal_starts(low, words, offset, offset + len(window))`` for ``window = low[offset:...]``, with
    unbounded finds in the slice (a bounded str.find parses its bounds in Python's slow argument path)."""
    out = []
    for w in words:
        j = window.find(w)
        while j != -1:
            out.append(offset + j)
            j = window.find(w, j + 1)
    out.sort()
    return out


def _subject(text: str, low: Optional[str] = None) -> Optional[re.Match]:
    """First "ratio ... for the X group" / "treated with X compared with those taking Y" match, searched
    only in windows around the literal anchors (the pattern is slow over a whole text)."""
    low = text.lower() if low is None else low
    n = len(text)
    # (an ASCII text, the common case, holds no character with odd case folding: no window need be checked)
    ascii_ = text.isascii()
    for lit, back, ahead, n1, n2 in _SUBJECT_ANCHORS:
        i = low.find(lit)
        while i != -1:
            a = i - back if i > back else 0
            b = i + ahead if i + ahead < n else n
            # (a slice and "in": a bounded str.find parses its bounds in Python's slow argument path)
            window = low[a:b]
            if n1 in window or n2 in window:
                # what finditer_from(_SUBJECT_RE, text, _SUBJECT_FIRST, a, b, low) yields first, its first
                # words found in the window's slice
                if not ascii_ and has_odd_folds(text[a:b]):
                    m = _SUBJECT_RE.search(text, a, b)
                    if m:
                        return m
                else:
                    for p in _starts_in(window, _SUBJECT_FIRST, a):
                        m = _SUBJECT_RE.match(text, p, b)
                        if m:
                            return m
            i = low.find(lit, i + len(lit))
    return None


def role_hints(text: str, design_arms: list[tuple[str, Optional[str]]],
               low: Optional[str] = None) -> list[tuple[str, Optional[str]]]:
    """Return (arm name, role) pairs known from the design, from which group a ratio is
    reported for ("HR ... for the X group": X is experimental), and from arm labels ("(arm II)")."""
    hints = list(design_arms)
    m = _subject(text, low)
    if m:
        x = (m.group("x") or m.group("x2") or "").strip()
        y = (m.group("y2") or "").strip()
        by_position = len(design_arms) == 2 and not any(_CONTROL_RE.search(n) for n, _r in design_arms)
        if by_position and any(_covers(x, n) or _covers(n, x) for n, _r in design_arms):
            hints = [(n, "experimental" if (_covers(x, n) or _covers(n, x)) else "control") for n, _r in design_arms]
        elif x and not any(n.lower() == x.lower() for n, _r in hints):
            hints.append((x, "experimental"))
        if y and not any(n.lower() == y.lower() for n, _r in hints):
            hints.append((y, "control"))
    # a label takes its role from a hint it follows: without hints, none to read (and no scan)
    if hints and "(" in text:
        prev = 0
        for lm in _LABEL_RE.finditer(text):
            desc = text[max(prev, lm.start() - 200):lm.start()]
            for cut in (" or ", "receive ", "; "):
                k = desc.rfind(cut)
                if k != -1:
                    desc = desc[k + len(cut):]
                    break
            prev = lm.end()
            for name, role in list(hints):
                if role and _covers(desc, name):
                    hints.append((lm.group("lab"), role))
                    break
    return hints
