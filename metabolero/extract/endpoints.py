"""Endpoint lexicon: wording of outcomes -> the endpoint codes of shared/gold/SCHEMA.md."""
from __future__ import annotations

import functools
import hashlib
import json
import re
import warnings
try:  # private modules of re (3.11+); without them find_endpoints uses the plain windowed scan
    from re import _constants as _C, _parser
    # the node kinds the head tables read: a Python that renamed any of them gets the windowed scan too
    (_C.LITERAL, _C.IN, _C.RANGE, _C.AT, _C.ASSERT, _C.ASSERT_NOT, _C.SUBPATTERN, _C.BRANCH, _C.MAX_REPEAT,
     _C.MIN_REPEAT, _C.MAXREPEAT, _C.CATEGORY, _C.CATEGORY_DIGIT, _C.CATEGORY_SPACE, _parser.parse)
except (ImportError, AttributeError):  # pragma: no cover - a future Python
    _C = _parser = None
from itertools import islice
from pathlib import Path
from typing import Iterator, Optional

from .text import ASCII_LETTERS, finditer_from, has_odd_folds, literal_starts, matches_at

# (pattern, code), most specific first: at one position the first alternative that matches
# wins, so "disease-free survival" must come before "survival".
_LEXICON: list[tuple[str, str]] = [
    (r"(?:second|subsequent)\s+progression(?:[- ]free\s+survival)?|progression[- ]free\s+survival\s*2|PFS-?2", "PFS2"),
    # outcomes of other diseases that contain survival words ("kidney disease progression", "non-relapse mortality")
    # (and a neurological one: "confirmed disability progression")
    (r"(?:kidney|renal|CKD|liver|hepatic|lung|joint|structural|disability)\s+(?:disease\s+)?progression|"
     # a marker's progression ("time to PSA progression"); "biochemical progression-free survival" stays PFS
     r"(?:PSA|biochemical)\s+progression(?![- ]?free)|non-?\s?relapse\s+mortality|NRM"
     r"|dose[- ]response", "OTHER"),
    (r"post-?\s?progression\s+survival|PPS", "OTHER"),
    # progression at one site only is its own endpoint, not PFS
    (r"(?:intracranial|CNS|brain)\s+(?:progression[- ]free\s+survival|PFS)|(?:ic|IC|CNS)-?PFS", "OTHER"),
    (r"invasive\s+disease[- ]free\s+survival|i-?DFS", "iDFS"),
    (r"distant\s+(?:metastasis|recurrence|relapse|disease)[- ]free\s+(?:survival|interval)|DMFS|DRFI|DRFS"
     r"|distant\s+(?:recurrence|relapse)|distant\s+metastas[ie]s\s+or\s+death", "DMFS"),
    # ("metastasis or death" alone: not the last items of a list, nor a site's metastases)
    (r"metastasis[- ]free\s+survival|MFS|time\s+to\s+metastas[ie]s\s+or\s+death"
     r"|(?<!,\s)(?<!brain\s)(?<!bone\s)metastas[ie]s\s+or\s+death", "MFS"),
    (r"(?:locoregional\s+|local\s+)?disease[- ]free\s+survival|DFS|(?:disease\s+)?(?:recurrence|relapse)\s+or\s+(?:death|died)", "DFS"),
    # survival free of another outcome too: "GVHD-free, relapse-free survival" is a composite of its own
    # (a word that may begin anything would make every word of a text a candidate for the lexicon's first-letters
    # dispatch: the one such composite in use is named)
    (r"GVHD[- ]free,?\s+(?:relapse|recurrence|progression|event|disease)[- ]free\s+survival|GRFS", "OTHER"),
    (r"event[- ]free\s+survival|EFS", "EFS"),
    (r"(?:locoregional\s+|loco-?regional\s+|local\s+)?(?:relapse|recurrence)[- ]free\s+(?:survival|interval)|RFS|RFI", "RFS"),
    (r"failure[- ]free\s+survival|FFS", "OTHER"),
    # ("time to progression or death" is progression-free survival's event, read at "progression")
    # ("time to PSA progression" too: a time to progression as worded, as two of three blind annotators coded it)
    (r"time\s+to\s+(?:disease\s+|tumou?r\s+|PSA\s+)?progression(?!\s+or\s+death)(?!\s+to\s)|time\s+to\s+progressive\s+disease|TTP",
     "TTP"),
    (r"progression[- ]?\s?free(?:\s+survival)?|(?:[mr]|rw)?PFS|(?<!CNS\s)(?<!intracranial\s)(?<!brain\s)(?<!leptomeningeal\s)(?<!locoregional\s)(?<!local\s)(?<!system\s)(?:disease\s+)?progression\s+or\s+death|progression\s+of\s+disease\s+or\s+death"
     # (lymphoma trials' "freedom from progression": the progression endpoint, as written)
     # (progression at one site is no PFS: "cumulative incidence of CNS progression", "locoregional progression")
     r"|(?<!CNS\s)(?<!intracranial\s)(?<!brain\s)(?<!leptomeningeal\s)(?<!locoregional\s)(?<!local\s)(?<!system\s)(?:freedom\s+from\s+)?(?:disease\s+)?(?<!CNS\s)(?<!intracranial\s)(?<!brain\s)(?<!leptomeningeal\s)(?<!locoregional\s)(?<!local\s)(?<!system\s)(?<!CNS\sdisease\s)progression(?![ \n]+to[ \n])", "PFS"),
    (r"time\s+to\s+(?:treatment\s+|strategy\s+)?(?:failure|discontinuation)|TTF", "TTF"),
    (r"time\s+to\s+next\s+(?:systemic\s+|anticancer\s+|line\s+of\s+)?(?:treatment|therapy)|TTNT|time\s+to\s+(?:first\s+|second\s+)?subsequent\s+(?:treatment|therapy)", "OTHER"),
    (r"time\s+to\s+(?:first\s+|objective\s+|best\s+|overall\s+)?(?:response|remission)|time\s+to\s+(?:deterioration|worsening|"
     # ("time to death" alone is overall survival; "time to death or permanent assisted ventilation" a composite)
     r"relapse|recurrence|death(?=\w*(?:[ \n]+(?:or|and)[ \n]|,|/))|treatment|resolution|recovery|discharge|intubation|metastas|onset)\w*"
     r"|time\s+to\s+(?:PASI|ACR|EASI|ASAS)[- ]?\d{2,3}(?:\s+response)?"
     # any other "time to <event>" is an outcome of its own ("time to castration resistance", "time to cytotoxic
     # chemotherapy"); the codes above come first ("time to progression" is TTP), a phrase that goes on to another
     # outcome's word is left to that word ("time to PSA progression"), and neither a step of care ("time to
     # surgery", as for medians) nor an exposure ("mortality increased with longer time to antibiotics") is one
     r"|(?<!longer\s)(?<!shorter\s)(?<!greater\s)(?<!increasing\s)(?<!delay\sin\s)(?<!delays\sin\s)"
     r"time\s+to\s+(?!events?\b|surgery\b|resection\b|randomi[sz]ation\b|last\b)(?![a-z -]{0,40}?(?:progress|metasta|death"
     r"|died|surviv|relaps|recurr|respon|remiss|event|failure|discontinu|mortal|follow))[a-z]{3,}", "OTHER"),
    (r"duration\s+of\s+(?:objective\s+|overall\s+)?response|DoR|DOR", "DOR"),
    # "cardiovascular death or heart failure hospitalisation": a composite of CV death with a heart
    # outcome (before CSS, whose "cardiovascular death" would otherwise win at the same position)
    (r"(?:cardiovascular|CV|coronary(?:\s+heart\s+disease)?|CHD|cardiac)\s+death\s+or\s+(?:(?:first\s+|worsening\s+|urgent\s+)?(?:heart\s+failure|HF)(?:\s+hospitali[sz]ations?|\s+events?)?"
     r"|hospitali[sz]ation\s+for\s+(?:heart\s+failure|HF)|(?:non-?fatal\s+)?(?:myocardial\s+infarction|stroke))", "MACE"),
    (r"(?:cancer|disease|breast[- ]cancer|prostate[- ]cancer|lymphoma|myeloma|melanoma|sarcoma|leuka?emia|tumou?r"
     r"|(?-i:[A-Z]{2,5}))[- ]specific\s+(?:survival|mortality|death)|CSS|DSS"
     r"|deaths?\s+from\s+(?:cardiovascular|breast\s+cancer|prostate\s+cancer|the\s+disease|cancer)(?:\s+causes)?"
     r"|cardiovascular\s+(?:mortality|death)|(?<!non-)(?<!non\s)cancer\s+(?:mortality|deaths?)"
     r"|(?-i:[A-Z]{2,5})[- ](?:related\s+)?(?:death|mortality)"
     r"|(?:cancer|disease|tumou?r|liver|hepatic|lymphoma|myeloma|leuka?emia|melanoma)[- ]related\s+(?:death|mortality)", "CSS"),
    (r"major\s+adverse\s+(?:cardiovascular|cardiac)\s+events?|MACE"
     r"|composite\s+(?:cardiovascular|vascular|cardiac|CV)\s+(?:outcomes?|end\s?-?points?|events?)|(?:primary\s+)?(?:CVD|cardiovascular)\s+(?:outcome|events?)"
     r"|(?:cardiovascular|CV)\s+composite(?:\s+(?:outcomes?|end\s?-?points?|events?))?"
     r"|composite\s+of\s+(?:CVD|cardiovascular)"
     # (atrial fibrillation trials' thromboembolic composite: three of five blind annotators coded it MACE)
     # (not a patient's history: "prior stroke or systemic embolism")
     r"|(?<!prior\s)(?<!previous\s)(?<!history\sof\s)(?:ischa?emic\s+)?stroke\s*(?:or|and|/)\s*systemic\s+(?:arterial\s+)?"
     r"embol(?:ism|ic\s+events?)", "MACE"),
    (r"mFU|follow-?\s?up|followed\s+(?:up\s+)?for|f/u|observation(?:al)?\s+(?:time|period|duration)|(?:time|period|duration)\s+of\s+observation", "FOLLOWUP"),
    # "transplant-free survival", "treatment-free survival": survival free of another outcome (read at "survival",
    # which the wordings above consume when they match: "progression-free survival" is PFS)
    # (not after the cancer ones, for a range that begins inside one: "...-free survival" of "progression-free survival")
    (r"(?<=-free\s)(?<!progression-free\s)(?<!disease-free\s)(?<!event-free\s)(?<!relapse-free\s)(?<!recurrence-free\s)"
     r"(?<!metastasis-free\s)survival", "OTHER"),
    # the survival of a graft, an implant or a device is not the patients' ("death-censored graft survival")
    (r"(?:death-censored\s+)?(?:graft|allograft|implant|prosthesis|technique|catheter|valve|stent|device)\s+survival", "OTHER"),
    (r"overall\s+survival|(?:m|rw)?OS|all[- ]?cause\s+(?:mortality|death)|death\s+from\s+any\s+cause"
     # ("the risk of death from cardiovascular causes" is the cause-specific death CSS reads at "death")
     # (deaths the treatment caused are a harm, no wording of overall survival: "Treatment-related deaths occurred in
     # 1.9% (RR ...)" is read as its sentence's subject; looked behind for, not matched from "treatment", a frequent word)
     r"|(?:risk\s+of\s+)?(?<!treatment-related\s)(?<!therapy-related\s)(?<!drug-related\s)(?<!toxic\s)deaths?"
     r"(?![ \n]+from[ \n]+(?:cardiovascular|breast|prostate|the[ \n]+disease|cancer))"
     r"|(?<!treatment-related\s)(?<!drug-related\s)mortality|survival|died", "OS"),
    (r"undetectable\s+(?:minimal\s+residual\s+disease|MRD)|(?:minimal\s+residual\s+disease(?:\s+\(MRD\))?|MRD)[- ]?negativ\w*"
     r"|(?:objective\s+|overall\s+|complete\s+|pathologic(?:al)?\s+complete\s+)?(?:response|remission)(?:\s+rates?)?|pCR|ORR"
     # (plural only with a response's kind: "Objective responses were seen ...", not "Survey responses")
     r"|(?:objective|overall|complete|partial|major|pathologic(?:al)?\s+complete)\s+(?:responses|remissions)"
     r"|(?:PASI|ACR|EASI|ASAS)[- ]?\d{2,3}"
     # (a disease-control or clinical-benefit rate compared by OR/RR is a response rate's kind)
     r"|disease\s+control(?:\s+rates?)?|(?-i:DCR)|clinical\s+benefit(?:\s+rates?)?|(?-i:CBR)"
     # "CR rate", "a PSA decline of 50% or more", "PSA50 response": rates of a response by its own name
     r"|(?-i:CR|CRR)\s+rates?|(?-i:PSA)(?:50|90)?[- ]?(?:responses?|declines?|reductions?)(?:\s+rates?)?", "RESPONSE"),
    (r"adverse\s+(?:events?|reactions?)|hospitali[sz]ations?|dementia|recurren(?:ces?|t)|relapses?|infections?|strokes?|bleeding|thrombo\w*|VTE|incidence|events?|outcomes?"
     r"|ha?emorrhages?|(?:locoregional|loco-regional|local|regional)\s+(?:failure|control|progression(?![- ]?\s?free))|metastas[ie]s|toxicit(?:y|ies)"
     r"|kidney\s+injury|complications?", "OTHER"),
]

# Abbreviations are case-sensitive ("OS" is not "os"); words are not.
_ABBR = re.compile(r"^[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*$")


def _alternatives() -> list[tuple[str, int]]:
    """(regex, lexicon index) of every top-level alternative of the lexicon, in matching order."""
    out = []
    for i, (pat, _code) in enumerate(_LEXICON):
        for alt in _split_top(pat):
            if _ABBR.match(alt.replace("-?", "").replace("\\", "")) and "\\s" not in alt:
                out.append((alt, i))
            else:
                out.append((f"(?i:{alt})", i))
    return out


def _compile(alts: list[tuple[str, int]]) -> re.Pattern:
    """One regex of the alternatives ``alts`` (a sub-list of _ALTS, in order): group e<i> is lexicon entry i."""
    parts: list[list] = []
    for src, i in alts:
        if parts and parts[-1][0] == i:
            parts[-1][1].append(src)
        else:
            parts.append([i, [src]])
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(f"(?P<e{i}>" + "|".join(srcs) + ")" for i, srcs in parts)
                      + r")(?![A-Za-z])")


def _split_top(pat: str) -> list[str]:
    """Split a pattern at its top-level '|'."""
    out, depth, cur = [], 0, ""
    for ch in pat:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


_ALTS = tuple(_alternatives())
ENDPOINT_RE = _compile(_ALTS)
_CODES = tuple(code for _p, code in _LEXICON)


# ---- which three characters a lexicon wording can begin with
# Most word starts tried by find_endpoints ("the", "of", "median") begin no wording, and a failed
# ENDPOINT_RE.match costs microseconds (~150 alternatives); a set lookup of the word's first
# three characters skips them. The set is derived from the compiled lexicon itself, so it
# cannot drift from it: anything the walk does not understand counts as "may begin anything".
class _Open(str):
    """A prefix after which any character may follow."""


def _case(ch: str, ic: bool) -> set:
    return {ch, ch.lower(), ch.upper()} if ic else {ch}


def _class_chars(items, ic: bool) -> Optional[set]:
    out: set = set()
    for op, av in items:
        if op is _C.LITERAL:
            out |= _case(chr(av), ic)
        elif op is _C.RANGE and av[1] - av[0] <= 300:
            for c in range(av[0], av[1] + 1):
                out |= _case(chr(c), ic)
        else:  # negated classes, categories (\s, \w)
            return None
    return out


def _heads_seq(items: list, k: int, ic: bool) -> set:
    """Prefixes (at most ``k`` characters) that every string matched by the node sequence begins with."""
    if k == 0 or not items:
        return {""}
    out: set = set()
    for h in _heads_item(items[0], k, ic):
        if isinstance(h, _Open):
            out.add(_Open(h[:k]))
        elif len(h) >= k:
            out.add(h[:k])
        else:
            for t in _heads_seq(items[1:], k - len(h), ic):
                out.add(_Open(h + t) if isinstance(t, _Open) else h + t)
    return out


def _heads_item(node, k: int, ic: bool) -> set:
    op, av = node
    if op is _C.LITERAL:
        return _case(chr(av), ic)
    if op is _C.IN:
        chars = _class_chars(av, ic)
        return {_Open("")} if chars is None else chars
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):  # zero width
        return {""}
    if op is _C.SUBPATTERN:
        _group, add, delete, sub = av
        return _heads_seq(list(sub), k, (ic or bool(add & re.IGNORECASE)) and not delete & re.IGNORECASE)
    if op is _C.BRANCH:
        return set().union(*(_heads_seq(list(alt), k, ic) for alt in av[1]))
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
        lo, hi, sub = av
        hi = k + 1 if hi == _C.MAXREPEAT else min(hi, k + 1)
        return set().union(*(_heads_seq(list(sub) * n, k, ic) for n in range(min(lo, k + 1), hi + 1)))
    return {_Open("")}


def _alt_heads(src: str) -> tuple[set, set]:
    """(three-character heads, shorter heads) of one alternative: a match has its first three
    characters in the first set or begins with one of the second."""
    heads = _heads_seq(list(_parser.parse(src)), 3, False)
    return {h for h in heads if len(h) == 3}, {h for h in heads if len(h) < 3}


@functools.lru_cache(maxsize=1)
def _heads_by_alt() -> list[tuple[set, set]]:
    """_alt_heads of each alternative of _ALTS (computed on first use, ~50 ms, not at import)."""
    return [_alt_heads(src) for src, _i in _ALTS]


_LETTERS = ASCII_LETTERS


@functools.lru_cache(maxsize=1)
def _dispatch() -> tuple[dict, dict, dict, tuple, list, int, frozenset, frozenset]:
    """The lexicon's alternatives sorted by how a wording begins.

    A failed ENDPOINT_RE.match costs microseconds (~100 alternatives, most under (?i)), and most
    word starts ("the", "of", "median") begin no wording. So only the word starts whose first
    characters may begin a wording are tried, each with only the alternatives whose heads fit,
    in lexicon order, as one small regex: an alternative left out cannot match there, so the
    first match is ENDPOINT_RE's. Returns ({first three letters of a word (bytes): alternatives,
    or _CONTEXT for a shorter word, whose alternatives depend on the characters after it},
    {3-char head: alternatives}, {shorter head: alternatives}, lengths of the shorter heads,
    longest first, all the groups, the length of the shortest wording, the lower-cased first
    words that hold a _WORD_ANCHORS anchor, first words known to be anchored as they are written);
    the alternatives are _Alts groups.
    """
    heads = _heads_by_alt()
    short = {h for _h3, hs in heads for h in hs}
    by3: dict = {}
    for k, (h3, _hs) in enumerate(heads):
        for h in h3:
            by3.setdefault(h, []).append(k)
    by_short: dict = {h: [k for k, (_h3, hs) in enumerate(heads) if any(h.startswith(x) for x in hs)] for h in short}
    short_lens = tuple(sorted({len(h) for h in short}, reverse=True))
    for h, ks in by3.items():
        # a three-character head may also begin with a shorter head ("OS " and "OS")
        extra = [k for n in short_lens if h[:n] in by_short for k in by_short[h[:n]]]
        if extra:
            ks[:] = sorted(set(ks) | set(extra))
    groups: dict = {}  # one _Alts per distinct group of alternatives
    by3 = {h: groups.get(tuple(ks)) or groups.setdefault(tuple(ks), _Alts(tuple(ks))) for h, ks in by3.items()}
    by_short = {h: groups.get(tuple(ks)) or groups.setdefault(tuple(ks), _Alts(tuple(ks))) for h, ks in by_short.items()}
    # by the first three letters of a word (a letter run): a word of three letters or more
    # begins with its head, a shorter one is looked up with the characters after it
    by_word: dict = {}
    for h, alts in by3.items():
        if h.isalpha():  # (heads are ASCII)
            by_word[h.encode()] = alts
        elif run := _letter_run(h):
            by_word[run.encode()] = _CONTEXT
    for h in short:
        run = _letter_run(h)
        if run:
            by_word[run.encode()] = _CONTEXT
        if run == h:  # a shorter head is a prefix: longer words may begin with it
            for w in (h + c for c in _LETTERS) if len(h) == 2 else (h + c + d for c in _LETTERS for d in _LETTERS):
                if w.encode() not in by_word:
                    by_word[w.encode()] = _alts_of(w, by3, by_short, short_lens)
            if len(h) == 1:
                by_word.update(((h + c).encode(), _CONTEXT) for c in _LETTERS)
    by_word.pop(b"", None)  # not at a word start
    if "" in short:  # a head that may begin anything: every word start is looked up by its head
        by_word = {}
    # the words (lower-cased) a wording of each group of alternatives can begin with, None for any
    first = [_first_words(src) for src, _i in _ALTS]
    for alts in groups.values():
        fw = [first[k] for k in alts.ks]
        alts.words = None if any(f is None for f in fw) else frozenset(w.encode() for f in fw for w in f)
    # no wording is shorter than its shortest head ("OS")
    min_len = min([len(h) for h in short] + [3])
    # the words (lower-cased) a wording can begin with that hold a _WORD_ANCHORS anchor (see _anchored)
    words = set().union(*(g.words for g in groups.values() if g.words is not None))
    anchored = frozenset(w for w in words if (m := _WORD_ANCHOR_RE.search(w.decode())) and m.start() <= _BACK)
    # words (as written: "PFS", "survival") whose wordings are anchored: one set lookup settles most
    # wordings ("survival" is lower case, "PFS" holds an abbreviation anchor)
    written = {w.encode() for src, _i in _ALTS for w in _first_words(src, lower=False) or ()}
    quick = anchored | frozenset(w for w in written if _abbr_anchored(w))
    return by_word, by3, by_short, short_lens, list(groups.values()), min_len, anchored, quick


def _letter_run(h: str) -> str:
    """The ASCII letters ``h`` begins with."""
    return h[:next((i for i, c in enumerate(h) if c not in _LETTERS), len(h))]


class _GiveUp(Exception):
    """The first words of an alternative are not a short finite list."""


def _first_words_seq(items: list, open_: set, ended: set) -> set:
    """Process the node sequence after the word prefixes ``open_``; words that end (a non-letter
    follows) go to ``ended``; returns the prefixes still open after the sequence."""
    for op, av in items:
        if not open_:
            break
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):  # zero width
            continue
        if op is _C.LITERAL or op is _C.IN:
            chars = _case(chr(av), False) if op is _C.LITERAL else _class_chars(
                [x for x in av if x[0] is not _C.CATEGORY], False)
            cats = [] if op is _C.LITERAL else [x[1] for x in av if x[0] is _C.CATEGORY]
            if chars is None or any(c not in (_C.CATEGORY_SPACE, _C.CATEGORY_DIGIT) for c in cats):
                raise _GiveUp  # \w, negated classes
            letters = [c for c in chars if c in _LETTERS]
            if cats or len(letters) < len(chars):
                ended |= open_
            open_ = {w + c for w in open_ for c in letters}
        elif op is _C.SUBPATTERN:
            open_ = _first_words_seq(list(av[3]), open_, ended)
        elif op is _C.BRANCH:
            open_ = set().union(*(_first_words_seq(list(alt), set(open_), ended) for alt in av[1]))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            lo, hi, sub = av
            if hi == _C.MAXREPEAT:
                probe: set = set()
                if _first_words_seq(list(sub), {""}, probe) - {""}:
                    raise _GiveUp  # an unbounded run of letters
                hi = max(lo, 1)  # repeats of non-letters: after the first the words have ended
            out: set = set(open_) if lo == 0 else set()
            cur = open_
            for n in range(1, hi + 1):
                cur = _first_words_seq(list(sub), cur, ended)
                if n >= lo:
                    out |= cur
            open_ = out
        else:
            raise _GiveUp
        if len(open_) > 2000:
            raise _GiveUp
    return open_


def _first_words(src: str, lower: bool = True) -> Optional[frozenset]:
    """The words (letter runs) a match of the alternative ``src`` can begin with, lower-cased (or as
    the pattern writes them), or None when they are not a short finite list ("[A-Z]{2,5}", "\\w*")."""
    ended: set = set()
    try:
        ended |= _first_words_seq(list(_parser.parse(src)), {""}, ended)  # the match ends a word
    except _GiveUp:
        return None
    return frozenset(w.lower() if lower else w for w in ended if w)


_CONTEXT = object()  # by_word: the word is shorter than a head, look up the text's characters


def _alts_of(head: str, by3: dict, by_short: dict, short_lens: tuple) -> Optional["_Alts"]:
    """The alternatives that may match text beginning with ``head`` (its next three characters)."""
    alts = by3.get(head)
    if alts is None:
        for n in short_lens:
            alts = by_short.get(head[:n])
            if alts is not None:
                break
    return alts


# every byte that is not an ASCII letter becomes a space: the words of the result are the letter runs
_SHAPE = bytes(c if chr(c) in _LETTERS else 32 for c in range(256))


class _Alts:
    """A group of the lexicon's alternatives that may match where a wording begins a certain way."""

    __slots__ = ("ks", "words", "rx", "codes")

    def __init__(self, ks: tuple):
        self.ks = ks          # indexes of _ALTS, in matching order
        self.words = None     # the words (lower-cased bytes) they can begin with, None for any
        self.rx = None
        self.codes = None     # the endpoint code of a match, by its lastindex

    def regex(self) -> re.Pattern:
        """ENDPOINT_RE restricted to these alternatives (compiled on first use)."""
        if self.rx is None:
            rx = _compile([_ALTS[k] for k in self.ks])
            # a match's last closed group is the outermost: its lexicon entry e<i> (an int lookup
            # is cheaper than m.lastgroup, a string to parse)
            codes = [None] * (rx.groups + 1)
            for name, g in rx.groupindex.items():
                codes[g] = _CODES[int(name[1:])]
            self.codes, self.rx = tuple(codes), rx
        return self.rx


# ---- the tables, stored with the package
# Deriving _dispatch()'s tables walks re's parse of every alternative: ~120 ms, paid by each process at
# its first endpoint scan (a one-document `metabolero extract` mostly waits for it). endpoint_tables.json
# holds them, with a key made of everything they are derived from; where the key differs (the lexicon or
# its anchors were edited) they are derived again. tests/test_endpoint_tables.py checks that the stored
# tables equal a fresh derivation, and says how to write them again.
_TABLES_FILE = Path(__file__).with_name("endpoint_tables.json")
# bump when the derivation (_dispatch() and the _heads_* and _first_words* walks it calls) changes what it
# derives; a forgotten bump fails tests/test_endpoint_tables.py, which derives the tables afresh
_TABLES_FORMAT = 1


def _tables_key() -> str:
    """The sha256 (hex) of what _dispatch() is derived from: the alternatives, the anchor patterns as
    compiled, the letters, the format. (Not the Python version: the tables state what the lexicon's
    matches can begin with, which re's syntax fixes; the test compares them with each Python's derivation.)"""
    src = json.dumps([_TABLES_FORMAT, _ALTS, _WORD_ANCHOR_RE.pattern, _WORD_ANCHOR_RE.flags,
                      _ABBR_ANCHOR_BYTES_RE.pattern.decode("ascii"), _ABBR_ANCHOR_BYTES_RE.flags, _BACK, sorted(_LETTERS)])
    return hashlib.sha256(src.encode()).hexdigest()


# how a by_word value that is not a group is written (groups are written as their index)
_CONTEXT_CODE, _NONE_CODE = -1, -2


def _tables_to_json(tables: tuple) -> dict:
    """_dispatch()'s tables as a JSON object: each mapping is written as {group index: [keys]}."""
    by_word, by3, by_short, short_lens, groups, min_len, anchored, quick = tables
    # (the order of the groups and of the keys is set iteration order, which varies with the hash seed:
    # sorted, the file is the same whoever writes it)
    groups = sorted(groups, key=lambda g: g.ks)
    index = {id(g): k for k, g in enumerate(groups)}

    def inverted(mapping: dict) -> dict:
        out: dict = {}
        for key, v in mapping.items():
            code = _CONTEXT_CODE if v is _CONTEXT else _NONE_CODE if v is None else index[id(v)]
            out.setdefault(code, []).append(key.decode("ascii") if isinstance(key, bytes) else key)
        return {str(code): sorted(keys) for code, keys in sorted(out.items())}

    return {
        "key": _tables_key(),
        "groups": [[list(g.ks), None if g.words is None else sorted(w.decode("ascii") for w in g.words)]
                   for g in groups],
        "by_word": inverted(by_word), "by3": inverted(by3), "by_short": inverted(by_short),
        "short_lens": list(short_lens), "min_len": min_len,
        "anchored": sorted(w.decode("ascii") for w in anchored), "quick": sorted(w.decode("ascii") for w in quick),
    }


def _tables_from_json(data: dict) -> tuple:
    """The tuple _dispatch() returns, rebuilt from _tables_to_json()'s object."""
    groups = []
    for ks, words in data["groups"]:
        g = _Alts(tuple(ks))
        g.words = None if words is None else frozenset(w.encode("ascii") for w in words)
        groups.append(g)

    def mapping(inverted: dict, as_bytes: bool) -> dict:
        out: dict = {}
        for code, keys in inverted.items():
            c = int(code)
            v = _CONTEXT if c == _CONTEXT_CODE else None if c == _NONE_CODE else groups[c]
            out.update(dict.fromkeys([k.encode("ascii") for k in keys] if as_bytes else keys, v))
        return out

    return (mapping(data["by_word"], True), mapping(data["by3"], False), mapping(data["by_short"], False),
            tuple(data["short_lens"]), groups, data["min_len"],
            frozenset(w.encode("ascii") for w in data["anchored"]), frozenset(w.encode("ascii") for w in data["quick"]))


def write_tables(path: Optional[Path] = None) -> Path:
    """Derive the endpoint scan's tables and write them to ``path`` (default: the package's
    endpoint_tables.json); returns the path written."""
    path = _TABLES_FILE if path is None else Path(path)
    path.write_text(json.dumps(_tables_to_json(_dispatch()), separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def _stored_tables() -> Optional[tuple]:
    """_dispatch()'s tables as endpoint_tables.json stores them, or None when the file is absent, cannot be
    read or was written for another lexicon (the last two with a warning: the tables are then derived, ~0.1 s
    per process)."""
    try:
        data = json.loads(_TABLES_FILE.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        if data.get("key") != _tables_key():
            warnings.warn(f"{_TABLES_FILE}: written for another endpoint lexicon (key {data.get('key')!r}); the "
                          "tables are derived instead: write them again with "
                          "metabolero.extract.endpoints.write_tables()", RuntimeWarning, stacklevel=3)
            return None
        return _tables_from_json(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError) as e:
        warnings.warn(f"{_TABLES_FILE}: not the endpoint tables expected ({type(e).__name__}: {e}); "
                      "they are derived from the lexicon instead", RuntimeWarning, stacklevel=3)
        return None


# Outcome words that only name the "primary outcome" and must be resolved from the design.
PRIMARY_RE = re.compile(r"(?i)\bprimary[\s-]+(?:composite\s+)?(?:efficacy\s+)?(?:end\s?-?points?|outcomes?)")
PRIMARY_DEF_RE = re.compile(
    r"(?i)\b(?:the\s+)?(?:co-?)?primary\s+(?:composite\s+)?(?:efficacy\s+)?(?:end\s?-?points?|outcomes?)"
    r"(?:\s+measure)?(?:\s+in\s+the\s+[\w -]{1,40}?\s+analysis)?(?:\s+(?:was|were|is|included)\s+|[ \t]?:[ \t]{0,2})(?:an?\s+|the\s+)?"
)


# Every wording of the lexicon holds one of these anchors within 45 characters of its start;
# the lexicon (slow: ~100 alternatives) is only tried at word starts just before an anchor.
_WORD_ANCHORS = ("surviv", "progress", "death", "died", "mortal", "follow", "respon", "remiss", "relaps", "recurr",
                 "event", "outcome", "failure", "discontinu", "time to", "duration", "free", "specific", "cardi",
                 "cvd", "composite", "hospital", "dementia", "infection", "stroke", "bleed", "thrombo", "incidence",
                 "f/u", "observ", "residual", "morrhage", "local", "regional", "metasta", "toxic", "injury", "complica", "dose",
                 "disease control", "clinical benefit")
_ABBR_ANCHOR_RE = re.compile(r"mFU|MRD|PSA|CRR|CR\s+rate|PASI|ACR|EASI|ASAS|NRM|PFS|PPS|DFS|DMFS|DRF|MFS|EFS|RFS|RFI|FFS|TTP|TTF|TTNT|DoR|DOR|CSS|DSS|MACE|OS|pCR|ORR|VTE|DCR|CBR")
_ABBR_ANCHOR_BYTES_RE = re.compile(_ABBR_ANCHOR_RE.pattern.encode())
_BACK = 45


# the one character whose lower case is longer than itself: offsets of a lower-cased copy would shift
_LOWER_GROWS = "\u0130"
# an ASCII letter not preceded by one: the only places a lexicon wording can begin
_WORD_START_RE = re.compile(r"(?<![A-Za-z])[A-Za-z]")


_ANCHOR_LEN = max(len(w) for w in _WORD_ANCHORS)
_WORD_ANCHOR_RE = re.compile("|".join(re.escape(w) for w in _WORD_ANCHORS))


def find_endpoints(text: str, start: int = 0, end: Optional[int] = None) -> Iterator[tuple[int, int, str]]:
    """Return an iterator of (start, end, code) of every endpoint wording in ``text[start:end]``, left to right:
    ``iter(endpoint_list(...))``, so the whole range is scanned even if the caller stops early."""
    return iter(endpoint_list(text, start, end))


def endpoint_list(text: str, start: int = 0, end: Optional[int] = None, first: bool = False,
                  _lexicon_only: bool = False) -> list[tuple[int, int, str]]:
    """The (start, end, code) of every endpoint wording in ``text[start:end]``, left to right; with
    ``first``, only the first of them (for callers that stop at the first wording). In a DefinedText
    the abbreviations it defines are wordings too (``_lexicon_only``: the lexicon's wordings alone).

    Same result as running ENDPOINT_RE.finditer over the range at word starts up to 45 characters
    before a literal anchor, much faster: the words of the range come from bytes.translate and
    split (C, no regex step per character), a dict gives the lexicon alternatives a word's first
    three letters allow (_dispatch), and only those are matched, as one small regex. A list, not a
    generator: most callers read every wording, and a generator costs more to set up, to resume
    and to abandon.
    """
    if type(text) is DefinedText and not _lexicon_only:
        return _with_aliases(text, start, end, first)
    if end is None:
        end = len(text)
    if _parser is None:  # a Python without re's private parser: no head tables, the windowed scan
        return list(islice(_find_endpoints_windows(text, start, end), 1 if first else None))
    tables = _TABLES or _load_tables()
    if end - start < tables[5]:
        return []
    seg = text[start:end]
    if seg.isascii():
        sh = seg.encode().translate(_SHAPE)
    elif has_odd_folds(seg):
        # re's case folding maps a few non-ASCII letters onto ASCII ones the heads do not list
        return list(islice(_find_endpoints_windows(text, start, end), 1 if first else None))
    else:
        # a non-ASCII character becomes "?" (one byte: offsets are kept), a non-letter: it matches no
        # lexicon letter (no odd case folds) and is no [A-Za-z] for the look-behind
        sh = seg.encode("ascii", "replace").translate(_SHAPE)
    # the words of the range are its letter runs (every other byte became a space)
    words = sh.split()
    out: list = []
    if not words:
        return out
    if sh[0] != 32 and start > 0 and text[start - 1] in _LETTERS:
        i = len(words[0]) + 1  # the range begins inside a word: no word start
        del words[0]
    else:
        i = 0
    get = tables[0].get
    padded = False
    last_end = -1
    for w in words:
        alts = get(w[:3])
        if alts is None:
            continue
        lw = None
        if alts is not _CONTEXT:
            fw = alts.words
            if fw is not None:
                lw = w.lower()
                if lw not in fw:
                    continue  # "patients" begins like "pathologic complete response", no more
        if not padded:
            # (" " + sh: the first word's leading space is looked for at i)
            sh, padded = b" " + sh + b" ", True
        i = sh.find(b" " + w + b" ", i)
        q = start + i
        i += len(w) + 1
        if alts is _CONTEXT:
            # a word shorter than a head: the characters after it choose the alternatives
            # (_alts_of inlined: one call less per short word, "CI", "HR", "OS")
            head = text[q:q + 3]
            alts = tables[1].get(head)
            if alts is None:
                by_short = tables[2]
                for n in tables[3]:
                    alts = by_short.get(head[:n])
                    if alts is not None:
                        break
                else:
                    continue
            fw = alts.words
            if fw is not None:
                lw = w.lower()
                if lw not in fw:
                    continue
        if q < last_end:
            continue
        m = (alts.rx or alts.regex()).match(text, q, end)
        if m is None:
            continue
        me = m.end()
        if w in tables[7] or (lw or w.lower()) in tables[6] or _abbr_anchored(w) or _anchored(text, q, me, end):
            out.append((q, me, alts.codes[m.lastindex]))
            if first:
                break
            last_end = me
    return out


class DefinedText(str):
    """A document's text that defines abbreviations of endpoints the lexicon does not know ("time to first
    subsequent therapy (TFST)"). ``aliases`` maps each abbreviation to its code, and endpoint_list reads
    every use of one ("TFST was prolonged") as a wording of that endpoint; the text itself is unchanged.
    Made by ``with_defined_abbreviations``."""

    def __new__(cls, text: str, aliases: dict):
        self = super().__new__(cls, text)
        # (an empty abbreviation would be found everywhere)
        self.aliases = {k: v for k, v in aliases.items() if k}
        return self

    def __reduce__(self):
        return DefinedText, (str(self), self.aliases)


def _with_aliases(text: DefinedText, start: int, end: Optional[int], first: bool) -> list[tuple[int, int, str]]:
    """endpoint_list over a DefinedText: the lexicon's wordings and the uses of the defined abbreviations, in order."""
    out = endpoint_list(text, start, end, False, True)
    if end is None:
        end = len(text)
    hits = []
    for short, code in text.aliases.items():
        # (str.find, not a regex per document: compiling one costs more than the few finds)
        n = len(short)
        i = text.find(short, start, end)
        while i != -1:
            # a whole token ("CMR" is not read in "CMRs" or "aCMR"), and not a group of patients ("patients in CR",
            # "with BM") or an exposure ("with longer TTI")
            if (i == 0 or not text[i - 1].isalnum()) and (i + n == len(text) or not text[i + n].isalnum()) \
                    and not (_POPULATION_BEFORE_RE.search(text, i - 30 if i > 30 else 0, i)
                             and not _CHANGE_IN_BEFORE_RE.search(text, i - 60 if i > 60 else 0, i)) \
                    and not _POPULATION_AFTER_RE.match(text, i + n):
                hits.append((i, i + n, code))
            i = text.find(short, i + n, end)
    if hits:
        # (no use of an abbreviation lies inside a lexicon wording; the check keeps the list sorted and disjoint:
        # both lists are sorted, so one pass over them)
        hits.sort()
        merged = []
        k = 0
        for h in hits:
            while k < len(out) and out[k][1] <= h[0]:
                merged.append(out[k])
                k += 1
            if k < len(out) and out[k][0] <= h[0]:
                continue  # inside a wording
            merged.append(h)
        merged.extend(out[k:])
        out = merged
    return out[:1] if first else out


# the words before or after an abbreviation that make it a group of patients or an exposure, not an outcome
_POPULATION_BEFORE_RE = re.compile(
    r"(?i)\b(?:in|with|without|achieving|achieved|reached|reaching|attaining|attained|who\s+had)\s+(?:[\w-]+\s+)?$")
# "no difference was found in LRRFS", "an improvement in CMR": "in" after a difference names an outcome, not a group
_CHANGE_IN_BEFORE_RE = re.compile(
    r"(?i)\b(?:differences?|improvements?|benefits?|reductions?|changes?|increases?|decreases?|gains?)"
    r"(?:\s+(?:was|were)\s+(?:found|observed|seen|noted))?\s+in\s+$")
_POPULATION_AFTER_RE = re.compile(r"(?i)\s+(?:patients|participants|subgroup|group|cohort|population)\b")


# "... first subsequent therapy (TFST)": 2-8 letters in brackets, and an abbreviation: at least two capitals
_BRACKETED_RE = re.compile(r"\(([A-Za-z]{2,8})\)")
_SHORT_FORM_RE = re.compile(r"(?=[A-Za-z]*[A-Z][a-z]*[A-Z])[A-Za-z]{2,8}")
# "time to" at or just before a long form's start
_TIME_TO_RE = re.compile(r"(?i)\btime\s+to\s")
# the abbreviations of ratios and intervals, never of an endpoint ("objective response rate (RR)" collides with
# "risk ratio (RR) 1.44")
_MEASURE_ABBR_RE = re.compile(r"(?i)[acms]?(?:HR|OR|RR)|IRR|CIs?|CrI")
# the head of a long form that extends an unknown modifier before the lexicon's wording ("GVHD-free, relapse-free
# survival", "locoregional relapse-free survival"): another survival endpoint, not the wording's own
_SURVIVAL_HEAD_RE = re.compile(r"(?i)(?:survival|interval)\s*$")


def _long_form_start(text: str, paren: int, short: str) -> int:
    """Start of the long form that ``short`` abbreviates just before ``text[paren] == "("``, or -1.

    Schwartz and Hearst's rule (Pac Symp Biocomput 2003): the abbreviation's letters are found right to left
    in the words before it, in order, its first letter at a word's start, within min(len + 5, 2 * len) words.
    """
    limit = min(len(short) + 5, 2 * len(short))
    lo = max(0, paren - 20 * limit)  # (a first bound in characters: no word of the window is longer)
    seg = text[lo:paren].lower()
    words = seg.split()
    floor = 0
    if len(words) > limit:
        # the window starts at the limit-th word from the end
        floor = len(seg)
        for w in reversed(words[-limit:]):
            floor = seg.rfind(w, 0, floor)
    i = len(seg)
    short = short.lower()
    for k in range(len(short) - 1, 0, -1):
        i = seg.rfind(short[k], floor, i)
        if i < 0:
            return -1
    c = short[0]
    while True:  # the first letter at a word's start
        i = seg.rfind(c, floor, i)
        if i < 0:
            return -1
        if i == 0 or not seg[i - 1].isalnum():
            return lo + i


# the last words of wordings that hold no anchor themselves ("response rate", "follow-up"; "time to next treatment"
# is let through by its "time to")
_TAIL_WORDS = frozenset(("rate", "rates", "interval", "up", "control", "negativity"))


@functools.lru_cache(maxsize=4096)
def may_end_wording(word: str) -> bool:
    """True when a lexicon wording may end with ``word`` (an anchor in it, or one of _TAIL_WORDS): a quick test
    before the lexicon itself is run ("cancer" ends none). (Memoised: a pure function of one word, and the same
    words recur.)"""
    low = word.lower()
    return low in _TAIL_WORDS or _WORD_ANCHOR_RE.search(low) is not None or _ABBR_ANCHOR_RE.search(word) is not None


@functools.lru_cache(maxsize=4096)
def _new_short(short: str) -> bool:
    """True when ``short`` (what a bracket holds) may abbreviate an endpoint the lexicon does not know: a
    _SHORT_FORM_RE abbreviation, not a measure's ("HR", "CI"), not one the lexicon reads whole ("PFS", "DoR").
    (A pure function of a short string, memoised: most documents define the same few abbreviations.)"""
    return _SHORT_FORM_RE.fullmatch(short) is not None and _MEASURE_ABBR_RE.fullmatch(short) is None \
        and ENDPOINT_RE.fullmatch(short) is None


def _defined_code(text: str, p: int, short: str) -> Optional[str]:
    """The endpoint code of abbreviation ``short`` defined at the bracket ``text[p]`` (see with_defined_abbreviations),
    or None when it abbreviates no endpoint."""
    lf = _long_form_start(text, p, short)
    if lf < 0:
        return None
    # (a wording that covers the long form begins at most a few words before it: "Time to first ... (TFST)",
    # whose long form by the rule above is "to first ...")
    found = endpoint_list(text, max(0, lf - 20), p, False, True)
    if not found or text[found[-1][1]:p].strip():
        # no wording ends just before the bracket; a "time to <event>" long form is still an outcome ("time to
        # death or permanent assisted ventilation (DPAV)")
        return "OTHER" if found and _TIME_TO_RE.search(text, max(0, lf - 12), lf + 8) is not None else None
    s, e, code = found[-1]
    if s > lf and code not in ("RESPONSE", "OTHER"):
        if not _SURVIVAL_HEAD_RE.search(text, s, e):
            return None
        code = "OTHER"
    return code


_MAX_DEFINITIONS = 40


def with_defined_abbreviations(text: str) -> str:
    """Return ``text`` as a DefinedText when it defines abbreviations of endpoints the lexicon does not know
    ("time to first subsequent therapy (TFST)", "complete metabolic response (CMR)"), else ``text`` itself.

    An abbreviation stands for the lexicon wording its long form ends with, when that wording covers the long
    form. A long form that puts other words before the wording keeps the wording's code for a response or
    another outcome ("complete metabolic response (CMR)"), is another outcome (OTHER) when it names a survival
    or an interval ("GVHD-free, relapse-free survival (GRFS)"), and is no endpoint otherwise ("treatment
    beyond progression (TBP)").
    """
    if "(" not in text:
        return text
    aliases: dict = {}
    tried = 0
    # (the plainest pattern, then the cheapest tests first: a memoised test of the abbreviation, the word before the
    # bracket, and whether it is used again; a regex that tests more, or a str.find loop over brackets, costs more)
    for m in _BRACKETED_RE.finditer(text):
        short = m.group(1)
        if _new_short(short) and short not in aliases:
            p = m.start()
            tail = text[p - 30 if p > 30 else 0:p].split()
            if not tail or not (may_end_wording(tail[-1]) or "ime to" in text[p - 60 if p > 60 else 0:p]):
                continue  # "non-small cell lung cancer (NSCLC)": no wording ends with "cancer" and a bracket
            # each candidate searches the rest of the text once: a bounded number keeps a hostile text linear (a
            # paper defines a few endpoints, not hundreds)
            tried += 1
            if tried > _MAX_DEFINITIONS:
                break
            if text.find(short, m.end()) != -1:  # used again
                code = _defined_code(text, p, short)
                if code is not None:
                    aliases[short] = code
    return DefinedText(text, aliases) if aliases else text


_TABLES = None  # _dispatch()'s tables, once loaded: stored or derived (a global read costs less than a call)


def _load_tables() -> tuple:
    global _TABLES
    _TABLES = _stored_tables() or _dispatch()
    return _TABLES


def _abbr_anchored(word: bytes) -> bool:
    """True when the word a match begins with holds an _ABBR_ANCHOR_RE abbreviation within 45 characters
    (its _WORD_ANCHORS words are the last _dispatch table)."""
    m = _ABBR_ANCHOR_BYTES_RE.search(word)
    return m is not None and m.start() <= _BACK


def _anchored(text: str, q: int, match_end: int, end: int) -> bool:
    """True when an anchor (a _WORD_ANCHORS word, any case, or an _ABBR_ANCHOR_RE abbreviation) begins
    within 45 characters after ``q`` and ends by ``end``: the windows find_endpoints has always
    tried (a few unusual wordings hold no anchor, "brain pfs", and are not endpoints)."""
    # most wordings hold their anchor ("overall survival", "PFS"): the short match is searched first
    for hi in (min(match_end, q + _BACK + _ANCHOR_LEN), min(end, q + _BACK + _ANCHOR_LEN)):
        m = _WORD_ANCHOR_RE.search(text[q:hi].lower().replace("\n", " "))
        if m and m.start() <= _BACK:
            return True
        m = _ABBR_ANCHOR_RE.search(text, q, hi)
        if m and m.start() <= q + _BACK:
            return True
    return False


def _find_endpoints_windows(text: str, start: int, end: int):
    """find_endpoints for text with odd case folds (or without re's parser): the whole lexicon is
    matched at every word start up to 45 characters before a literal anchor."""
    seg = text[start:end]
    if not seg.isascii() and _LOWER_GROWS in seg:  # isascii() is O(1): skips the scan for most text
        for m in ENDPOINT_RE.finditer(text, start, end):
            yield m.start(), m.end(), _CODES[int(m.lastgroup[1:])]
        return
    low = seg.lower().replace("\n", " ")
    anchors = []
    for lit in _WORD_ANCHORS:
        # most anchors are absent from a short range; `in` is cheaper than a find() loop
        if lit in low:
            i = low.find(lit)
            while i != -1:
                anchors.append(start + i)
                i = low.find(lit, i + 1)
    anchors.extend(m.start() for m in _ABBR_ANCHOR_RE.finditer(text, start, end))
    if not anchors:
        return
    anchors.sort()
    # the windows [p - 45, p] merged into disjoint ranges, left to right
    ranges: list[list[int]] = []
    for p in anchors:
        a = max(start, p - _BACK)
        if ranges and a <= ranges[-1][1] + 1:
            ranges[-1][1] = p
        else:
            ranges.append([a, p])
    # try the lexicon at each word start in the ranges (each position is looked at once, however
    # dense the anchors: linear on hostile text); word starts come from one C-level scan per range
    match = ENDPOINT_RE.match
    last_end = -1
    for lo, hi in ranges:
        for w in _WORD_START_RE.finditer(text, max(lo, last_end), hi + 1):
            q = w.start()
            if q < last_end:
                continue
            m = match(text, q, end)
            if m:
                last_end = m.end()
                yield q, last_end, _CODES[int(m.lastgroup[1:])]


def merge_definitions(text: str, found: list) -> list:
    """``found`` (endpoint_list's (start, end, code) items) with each abbreviation that stands alone in brackets after
    a phrase ("time to second progression or death (PFS2)", "progression-free survival on next-line therapy (PFS2)")
    in place of the phrase's own wordings (those up to 80 characters before it, in the same clause)."""
    out: list = []
    for item in found:
        s, e, _c = item
        if out and text[s - 2 if s > 2 else 0:s].rstrip()[-1:] == "(" and text[e:e + 2].lstrip()[:1] == ")":
            drop_defined_phrase(text, out, s)
        out.append(item)
    return out


def drop_defined_phrase(text: str, found: list, s: int) -> None:
    """Remove from the end of ``found`` ((start, end, ...) items, in order) the wordings of the phrase that the
    bracketed abbreviation at ``s`` defines: those up to 80 characters before it, in the same clause."""
    while found and found[-1][0] >= s - 80 and not _CLAUSE_PUNCT_RE.search(text, found[-1][1], s - 1):
        found.pop()


# where a phrase an abbreviation defines cannot reach back across: a clause's punctuation, a bracket closed before
# ("progression-free survival (PFS) and overall survival (OS)": "(OS)" defines "overall survival" only), "and"
_CLAUSE_PUNCT_RE = re.compile(r"[,;.]\s|\)|\sand\s")


def endpoint_of(phrase: str) -> Optional[str]:
    """Return the endpoint code of the first outcome wording in ``phrase``, or None."""
    for _s, _e, code in endpoint_list(phrase, first=True):
        return code
    return None


# (a composite's parts: "MI" and coronary revascularisation count as cardiovascular)
_CV_RE = re.compile(r"(?i)cardiovascular|myocardial|stroke|CVD|cardiac|(?<!after\s)coronary\s+(?:heart\s+disease|events?|death"
                    r"|(?:artery\s+)?revasculari[sz]ation|syndromes?)|(?-i:\bMI\b)")
# the words that make a composite of outcomes cardiovascular (MACE), for ratios' and medians' composites
CV_WORD_RE = re.compile(r"(?i)cardiovascular|myocardial|stroke|heart\s+failure|cardiac")


_NEAR, _MARGIN = 240, 40


def last_endpoint(text: str, start: int, end: int, skip: tuple = ("FOLLOWUP",)) -> Optional[tuple[int, str]]:
    """Return (position, code) of the last endpoint wording in ``text[start:end]`` not in ``skip``, or None.

    Only the last stretch of the range is scanned first (the lexicon is slow on long text); a
    wording found there far enough from the stretch's start cannot be the tail of a longer one.
    """
    if end - start > _NEAR + _MARGIN:
        ws = end - _NEAR
        best = None
        for s, _e, c in endpoint_list(text, ws, end):
            if c not in skip:
                best = (s, c)
        if best is not None and best[0] >= ws + _MARGIN:
            return best
    best = None
    for s, _e, c in endpoint_list(text, start, end):
        if c not in skip:
            best = (s, c)
    return best


# JAMA/BMJ structured abstracts: "Main Outcomes and Measures  Composite of stroke, ..."
_MAIN_OUTCOME_RE = re.compile(r"(?i)\bmain\s+outcomes?\s+(?:and\s+)?measures?\b[ \t:.-]{0,4}")
_COMPOSITE_START_RE = re.compile(r"(?i)\s{0,3}(?:an?\s+|the\s+)?(?:primary\s+)?composite\b")


def _main_outcome(text: str, low: Optional[str] = None) -> Optional[str]:
    """Endpoint code of the first outcome under a "Main outcome measures" heading, or None."""
    if "utcome" not in text and "UTCOME" not in text:
        return None
    # every match begins with "main": only its positions are tried
    if low is None and not has_odd_folds(text):
        m = next(matches_at(_MAIN_OUTCOME_RE, text, _ascii_lower_starts(text, b"main")), None)
    else:
        m = next(finditer_from(_MAIN_OUTCOME_RE, text, ("main",), low=low), None)
    if not m:
        return None
    body = text[m.end():m.end() + 200]
    stop = re.search(r"\.\s|;|\n", body)
    body = body[:stop.start()] if stop else body
    if _COMPOSITE_START_RE.match(body):
        return _composite_kind(body)
    for _s, _e, code in endpoint_list(body, first=True):
        return code
    return None


def composite_code(text: str, pos: int) -> str:
    """MACE when the composite named just before ``pos`` lists cardiovascular parts (in brackets or after
    "of"), else OTHER."""
    body = text[pos:pos + 160]
    stop = re.search(r"\)|\.\s", body)
    body = body[:stop.start()] if stop else body
    return _composite_kind(body)


def _composite_kind(body: str) -> str:
    """MACE when the parts listed in ``body`` are cardiovascular, else OTHER: a composite led by a kidney outcome
    ("a sustained decline in eGFR ..., kidney failure, or death from renal or cardiovascular causes") is a kidney
    outcome (OTHER), whatever causes of death it counts."""
    cv = _CV_RE.search(body)
    if cv is None:
        return "OTHER"
    # (led by: its first part, up to the first comma, semicolon or "or")
    fe = _FIRST_PART_END_RE.search(body)
    kidney = _KIDNEY_RE.search(body, 0, min(cv.start(), fe.start() if fe else len(body)))
    return "OTHER" if kidney else "MACE"


_FIRST_PART_END_RE = re.compile(r"[,;]|[ \n](?:and/)?or[ \n]")


_KIDNEY_RE = re.compile(r"(?i)\b(?:eGFR|glomerular|kidney|renal|dialysis|creatinine|ESKD|ESRD|albuminuria|nephropathy)")


def _ascii_lower_starts(text: str, word: bytes) -> list[int]:
    """Positions of ``word`` (lower-case ASCII) in ``text.lower()``, for a text without odd case folds.

    Such a text lower-cases to an ASCII letter only from an ASCII letter, so its ASCII bytes
    (any other character one "?", offsets kept) lower-cased hold the same positions, at about
    half the cost of str.lower() on a text with any non-ASCII character."""
    low = (text.encode() if text.isascii() else text.encode("ascii", "replace")).lower()
    return literal_starts(low, (word,))  # type: ignore[arg-type]


def _primary_definition(text: str, low: Optional[str] = None) -> Optional[re.Match]:
    """``PRIMARY_DEF_RE.search(text)``, trying only where a match can begin: at "primary", at "co"/"co-"
    just before it, or at a "the" and the spaces before either (the regex is slow over a whole text)."""
    if has_odd_folds(text):
        return PRIMARY_DEF_RE.search(text)
    if low is None:
        prim = _ascii_lower_starts(text, b"primary")
        low_at = lambda a, b: text[a:b].lower()  # noqa: E731 - a few characters, not the whole text
    else:
        prim = literal_starts(low, ("primary",))
        low_at = lambda a, b: low[a:b]  # noqa: E731
    starts = set()
    for i in prim:
        for j in (i, i - 2, i - 3):
            if j < 0 or (j == i - 2 and low_at(j, i) != "co") or (j == i - 3 and low_at(j, i) != "co-"):
                continue
            starts.add(j)
            k = j
            while k > 0 and text[k - 1].isspace():
                k -= 1
            if k < j and k >= 3 and low_at(k - 3, k) == "the":
                starts.add(k - 3)
    return next(matches_at(PRIMARY_DEF_RE, text, sorted(starts)), None)


def primary_endpoint(text: str, low: Optional[str] = None) -> Optional[str]:
    """Return the code of the endpoint the text calls primary ("The primary end point was PFS"), or None.

    A composite primary outcome is MACE when its parts are cardiovascular, else OTHER.
    ``low``, if given, is ``text.lower()`` (computed once per document by the caller).
    """
    m = _primary_definition(text, low) if ("rimary" in text or "RIMARY" in text) else None
    if not m:
        return _main_outcome(text, low)
    window_end = min(len(text), m.end() + 160)
    head = text[m.start():m.end() + 20].lower()
    if "composite" in head:
        return _composite_kind(_to_sentence_end(text, m.end(), window_end))
    for _s, e, code in endpoint_list(text, m.end(), window_end, first=True):
        if code == "OS" and (om := _DEATH_OR_RE.match(text, e, window_end)) is not None:
            # "The primary outcome was death or bronchopulmonary dysplasia": a composite with death, not death alone
            # ("death or disease progression" is progression-free survival's event)
            nxt = endpoint_list(text, om.end(), min(window_end, om.end() + 60), first=True)
            if nxt and nxt[0][0] == om.end() and nxt[0][2] in _DEATH_COMPOSITE_CODES:
                return nxt[0][2]
            em = _DEATH_OR_EVENT_RE.match(text, om.end())
            if em is not None:
                # "death or recurrence" is disease-free survival's event, as "recurrence or death" is
                return "DMFS" if em.group(1) else "DFS"
            return _composite_kind(_to_sentence_end(text, om.end(), window_end))
        return code
    return None


def _to_sentence_end(text: str, a: int, b: int) -> str:
    """``text[a:b]`` up to the first full stop followed by a space (a definition's sentence)."""
    body = text[a:b]
    stop = _STOP_RE.search(body)
    return body[:stop.start()] if stop else body


_STOP_RE = re.compile(r"\.\s")


def key_secondary_endpoint(text: str) -> Optional[str]:
    """Return the code of the outcome the text defines as its key secondary one ("The key secondary outcome was a
    composite of death from cardiovascular causes, ..."), or None. A composite is MACE when its parts are
    cardiovascular, else OTHER."""
    m = _KEY_SECONDARY_DEF_RE.search(text)
    if m is None:
        return None
    body = _to_sentence_end(text, m.end(), m.end() + 160)
    if body.lower().startswith("composite") or ("," in body and _LIST_OR_RE.search(body)):
        # a composite, named or listed ("a sustained decline in eGFR ..., end-stage kidney disease, or death from renal
        # causes")
        return _composite_kind(body)
    for _s, _e, code in endpoint_list(body, first=True):
        return code if code != "FOLLOWUP" else None
    return None


_KEY_SECONDARY_DEF_RE = re.compile(
    r"(?i)\bkey\s+secondary\s+(?:efficacy\s+)?(?:end\s?-?point|outcome)\s+(?:was|is)\s+(?:an?\s+|the\s+)?")
# a result said of the key secondary outcome without naming it ("A key secondary outcome event occurred in ...")
# (not plural "key secondary end points", nor "the key secondary end-point population/analysis")
KEY_SECONDARY_USE_RE = re.compile(r"(?i)\bkey[\s-]+secondary[\s-]+(?:efficacy[\s-]+)?(?:end\s?-?point|outcome)(?!s)"
                                  r"(?![\s-]+(?:analysis|analyses|population|criteria|set)\b)")
_LIST_OR_RE = re.compile(r",?[ \n](?:and/)?or[ \n]")


_DEATH_OR_EVENT_RE = re.compile(r"(?i)(?:disease[ \n]+)?(?:(distant[ \n]+(?:metastas[ie]s|recurrence|relapse))|recurrence|relapse)\b")
_DEATH_OR_RE = re.compile(r"[ \n]?,?[ \n](?:and/)?or[ \n](?!death|died|any[ \n]cause)")
# what "death or X" stands for when X is one of these survival end points' events
_DEATH_COMPOSITE_CODES = frozenset(("PFS", "DFS", "EFS", "RFS", "DMFS", "MFS"))
