"""Guards for the shortcuts in extract/ratios.py that rely on a pattern's shape (round 8)."""
import itertools
import random

from metabolero.extract import ratios as R

_LEAD = ["", "(", "; ", ") ", "] ", "x "]
_PP = ["P", "p", "P ", "p ", "P  ", "P\n", "P-", "P-value ", "p\u00a0"]
_REL = ["=", "<", ">", "\u2264", "\u2265", "<=", "=<", ">=", "=>", "==", " of ", "= ", "< ", "\u00b7"]
_NUM = ["0.04", ".05", "0.001", "10", "10^-5", "10 ^-5", "1", "0.", "3.2x10-4", "3.2 x 10^-4", "3.2\u00d710^-4",
        "3.2*10-4", "100", "\u0660.\u0665", "0.04.5", "10(-5)", "3.2 x 10(-4)", "3.2e-4", "3.2E-04"]
_TAIL = ["", ")", "]", ";", ",", ".", " ", " x", " \u00d7", " *", " ^", " and", "\n", "0", "x", "*", "^-2", " 10", "(-2)",
         "e-2", "E"]


def _texts():
    for parts in itertools.product(_LEAD[:2], _PP, _REL, ["", " "], _NUM, _TAIL):
        yield "".join(parts)
    rng = random.Random(8)
    for _ in range(3000):
        yield "".join(rng.choice(x) for x in (_LEAD, _PP, _REL, ["", " ", "  "], _NUM, _TAIL, _TAIL))


def test_usual_p_is_p_re_first_match():
    """Where _P_USUAL_RE matches at a "P", P_RE's search from there finds the same match and groups
    (find_p_after reads the p-value from _P_USUAL_RE's match instead)."""
    hits = 0
    for s in _texts():
        for q in range(len(s)):
            for limit in (len(s), len(s) - 1):
                um = R._P_USUAL_RE.match(s, q, limit)
                if um is None:
                    continue
                hits += 1
                m = R.P_RE.search(s, q, limit)
                assert m is not None and m.span() == um.span(), (s, q, limit)
                got = m.groupdict()
                assert got == dict(side=None, rel=um.group(1), num=um.group(2), exp2=None, exp2b=None, mant=um.group(2),
                                   exp=None, expb=None, expe=None), (s, q)
    assert hits > 1000
