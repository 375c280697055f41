"""Results tables in PDF pages: find them, read them into rows and columns.

Two finders, tried in this order on each page:

* ``ruled``: tables with a full grid of ruling lines, read by pdfplumber's own table finder
  (``vertical_strategy="lines"``, ``horizontal_strategy="lines"``);
* ``aligned``: tables with only horizontal rules (booktabs style: top, below the header, bottom)
  or a "Table N" caption and no rules at all; columns come from the white strips between
  word positions, rows from the vertical gaps between text lines.

Rotated (landscape) tables are read from their non-upright characters after turning them
back upright; ``bbox`` stays in the page's own coordinates.
A table continued on the next page (same header, or no header and the same columns) is
merged by :func:`merge_continued`.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .pdf import PdfTable

_CAPTION_RE = re.compile(r"^\s*(table|tab\.)\s*[0-9IVX]+[.:]?", re.I)
_DASHES_RE = re.compile(r"^[\s\-–—|]*$")


def _rules(page) -> list[tuple[float, float, float]]:
    """Horizontal rules of a page as (x0, x1, y): lines and thin filled rectangles."""
    out = []
    for l in page.lines:
        if abs(l["top"] - l["bottom"]) < 1.0 and l["x1"] - l["x0"] > 60:
            out.append((l["x0"], l["x1"], (l["top"] + l["bottom"]) / 2))
    for r in page.rects:
        if r["bottom"] - r["top"] < 2.0 and r["x1"] - r["x0"] > 60:
            out.append((r["x0"], r["x1"], (r["top"] + r["bottom"]) / 2))
    return sorted(out, key=lambda t: t[2])


def _verticals(page) -> int:
    n = sum(1 for l in page.lines if abs(l["x0"] - l["x1"]) < 1.0 and l["bottom"] - l["top"] > 8)
    n += sum(1 for r in page.rects if r["x1"] - r["x0"] < 2.0 and r["bottom"] - r["top"] > 8)
    n += sum(1 for r in page.rects if r["x1"] - r["x0"] > 8 and r["bottom"] - r["top"] > 8 and not r.get("fill"))
    return n


def _words(chars):
    from pdfplumber.utils.text import extract_words

    return extract_words(chars, x_tolerance=1.5, y_tolerance=2.0, extra_attrs=["size"])


def _text_lines(words) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        for l in lines[-3:]:
            if abs(l[0]["bottom"] - w["bottom"]) <= 0.35 * max(w["size"], 1):
                l.append(w)
                break
        else:
            lines.append([w])
    for l in lines:
        l.sort(key=lambda w: w["x0"])
    return sorted(lines, key=lambda l: min(w["top"] for w in l))


def _columns(lines: list[list[dict]], size: float) -> list[tuple[float, float]]:
    """Column x-ranges: runs of x covered by some word, split where a wide white strip runs down the table."""
    spans = sorted((w["x0"], w["x1"]) for l in lines for w in l)
    if not spans:
        return []
    cols = [list(spans[0])]
    # wider than a word space (about 0.28 em), narrower than a column gap
    min_gap = max(2.5, 0.42 * size)
    for a, b in spans[1:]:
        if a - cols[-1][1] >= min_gap:
            cols.append([a, b])
        else:
            cols[-1][1] = max(cols[-1][1], b)
    return [(a, b) for a, b in cols]


def _rows(lines: list[list[dict]], size: float, cuts: list[float]) -> list[list[list[dict]]]:
    """Group text lines into table rows: a new row after a vertical gap or a rule."""
    rows: list[list[list[dict]]] = []
    prev_bottom = None
    for l in lines:
        top = min(w["top"] for w in l)
        if prev_bottom is None or top - prev_bottom > 0.55 * size or any(prev_bottom <= c <= top for c in cuts):
            rows.append([l])
        else:
            rows[-1].append(l)
        prev_bottom = max(w["bottom"] for w in l)
    return rows


def _cells(row_lines: list[list[dict]], cols: list[tuple[float, float]]):
    """Return (texts, bboxes) of one row: words put in the column whose x-range holds them."""
    texts = [[] for _ in cols]
    boxes: list[Optional[list]] = [None] * len(cols)
    for li, l in enumerate(row_lines):
        for w in l:
            mid = (w["x0"] + w["x1"]) / 2
            k = 0
            for i, (a, b) in enumerate(cols):
                if a - 1 <= mid <= b + 1 or mid > b:
                    k = i
            texts[k].append((w["text"], li))
            b = boxes[k]
            boxes[k] = [w["x0"], w["top"], w["x1"], w["bottom"]] if b is None else [
                min(b[0], w["x0"]), min(b[1], w["top"]), max(b[2], w["x1"]), max(b[3], w["bottom"])]
    return [_join_cell(t) for t in texts], [tuple(round(v, 2) for v in b) if b else None for b in boxes]


def _join_cell(tokens: list[tuple[str, int]]) -> str:
    """Join a wrapped cell's words; a word broken at a line end with '-' is rejoined without it,
    and a number broken by the wrap (``0.34-0.`` / ``65``) is rejoined without a space."""
    out = ""
    prev_line = None
    for t, li in tokens:
        wrapped = prev_line is not None and li != prev_line
        prev_line = li
        if not out:
            out = t
        elif wrapped and out.endswith("-") and len(out) > 1 and out[-2].isalpha() and t[:1].islower():
            out = out[:-1] + t
        elif wrapped and t[:1].isdigit() and (re.search(r"\d[.\-–]$", out) or re.search(r"\d\.\d+$", out)):
            out += t
        else:
            out += " " + t
    from .pdf import normalise_text

    return normalise_text(out)


def _merge_broken_rows(rows: list[list[str]], boxes, ncols: int):
    """Rejoin rows whose cells were broken over several left-aligned lines (cell counts summing to ncols)."""
    out, out_boxes = [], []
    i = 0
    while i < len(rows):
        filled = [c for c in rows[i] if c]
        prefix = all(rows[i][k] for k in range(len(filled)))
        if 0 < len(filled) < ncols and prefix:
            acc, accb, j = list(filled), [b for b in boxes[i] if b is not None], i + 1
            while len(acc) < ncols and j < len(rows):
                nxt = [c for c in rows[j] if c]
                if not nxt or not all(rows[j][k] for k in range(len(nxt))) or len(acc) + len(nxt) > ncols:
                    break
                acc += nxt
                accb += [b for b in boxes[j] if b is not None]
                j += 1
            if len(acc) == ncols or (j == len(rows) and j > i + 1):
                out.append(acc + [""] * (ncols - len(acc)))
                out_boxes.append(accb + [None] * (ncols - len(accb)))
                i = j
                continue
        out.append(rows[i])
        out_boxes.append(boxes[i])
        i += 1
    return out, out_boxes


def _table_font(chars, body) -> tuple[float, str]:
    c = Counter((round(ch["size"], 1), ch["fontname"]) for ch in chars if ch["text"].strip())
    if not c:
        return body
    # the region's own font; body text a table overlaps is then told apart by its font
    return c.most_common(1)[0][0]


def _in_box(c, b):
    return b[0] - 1 <= c["x0"] and c["x1"] <= b[2] + 1 and b[1] - 1 <= c["top"] and c["bottom"] <= b[3] + 1


def _read_region(chars, bbox, rules_y, body, page_no, method, rotated=False, caption=None) -> Optional[PdfTable]:
    """Read the characters of one table region into a PdfTable (header from above the 2nd rule)."""
    region = [c for c in chars if _in_box(c, bbox)]
    if not region:
        return None
    font = _table_font(region, body)
    if font != (round(body[0], 1), body[1]):
        region = [c for c in region if not (c["fontname"] == body[1] and abs(c["size"] - body[0]) < 0.2)]
    size = font[0] or 8.0
    from .pdf import _drop_superscripts

    # footnote markers raised after a value ("0.57¹") must not become digits of it
    region = _drop_superscripts(region, size)
    words = _words(region)
    lines = _text_lines(words)
    if caption is None and lines and _CAPTION_RE.match(" ".join(w["text"] for w in lines[0])) and len(lines) > 2:
        # the caption sits inside the region (between the top rule and the header)
        caption = " ".join(w["text"] for w in lines[0])
        lines = lines[1:]
    if len(lines) < 2:
        return None
    head_cut = rules_y[1] if len(rules_y) >= 2 else None
    head_lines = [l for l in lines if head_cut is not None and max(w["bottom"] for w in l) <= head_cut + 0.5]
    body_lines = [l for l in lines if l not in head_lines]
    if not head_lines:
        head_lines, body_lines = [body_lines[0]], body_lines[1:]
    cols = _columns(lines, size)
    if not cols:
        return None
    header, _ = _cells(head_lines, cols)
    cuts = [y for y in rules_y[1:]]
    texts, boxes = [], []
    for row in _rows(body_lines, size, cuts):
        t, b = _cells(row, cols)
        if all(_DASHES_RE.match(x) for x in t):
            continue
        texts.append(t)
        boxes.append(b)
    texts, boxes = _merge_broken_rows(texts, boxes, len(cols))
    if not texts:
        return None
    from .pdf import normalise_text

    t = PdfTable(page=page_no, bbox=tuple(round(v, 2) for v in bbox), header=header, cells=texts,
                 cell_pages=[[page_no] * len(r) for r in texts], cell_bboxes=boxes,
                 caption=normalise_text(caption) if caption else None, method=method, rotated=rotated, pages=(page_no,))
    t._font = font
    return t


def _caption_above(chars, x0, x1, top, body=None) -> tuple[Optional[str], Optional[float]]:
    near = [c for c in chars if top - 30 <= c["top"] and c["bottom"] <= top + 1 and x0 - 150 <= c["x0"] <= x1]
    if not near:
        return None, None
    sets = [near]
    if body is not None:
        # a caption beside body text on the same baseline: try without the body font first
        sets.insert(0, [c for c in near if not (c["fontname"] == body[1] and abs(c["size"] - body[0]) < 0.2)])
    for cs in sets:
        for l in reversed(_text_lines(_words(cs))):
            txt = " ".join(w["text"] for w in l)
            if _CAPTION_RE.match(txt):
                return txt, (min(w["top"] for w in l), min(w["x0"] for w in l), max(w["x1"] for w in l))
    return None, None


def _rotate_chars(chars, page_height):
    """Turn characters of text running bottom-to-top upright (x along the text, y across lines)."""
    out = []
    for c in chars:
        d = dict(c)
        d["x0"], d["x1"] = page_height - c["bottom"], page_height - c["top"]
        d["top"], d["bottom"] = c["x0"], c["x1"]
        d["upright"] = True
        # pdfminer reports a sideways glyph's advance as its size; the font size is its width here
        d["size"] = c["x1"] - c["x0"]
        d["width"], d["height"] = d["x1"] - d["x0"], d["bottom"] - d["top"]
        d["matrix"] = (1.0, 0.0, 0.0, 1.0, d["x0"], d["bottom"])
        out.append(d)
    return out


def find_tables(page, page_no: int, body: tuple[float, str], figures: tuple = (),
                warnings: Optional[list] = None) -> list[PdfTable]:
    """Return the tables found on one pdfplumber page (``_font`` set to the table's font).

    ``figures``: bboxes of figures already found; their frames and labels are not tables.
    ``warnings``: list to which problems are appended (e.g. pdfplumber's table finder failing).
    """
    tables: list[PdfTable] = []
    chars = [c for c in page.chars if c.get("upright", True) and not any(_in_box(c, f) for f in figures)]
    if _verticals(page) >= 3:
        tables.extend(t for t in _ruled(page, page_no, body, warnings)
                      if not any(_overlap(t.bbox, f) for f in figures))
    taken = [t.bbox for t in tables] + [tuple(f) for f in figures]
    rules = [r for r in _rules(page) if not any(b[1] - 2 <= r[2] <= b[3] + 2 and r[0] < b[2] and b[0] < r[1]
                                                 for b in taken)]
    groups: list[list[tuple]] = []
    for r in rules:
        for g in groups:
            if abs(g[0][0] - r[0]) < 4 and abs(g[0][1] - r[1]) < 4:
                g.append(r)
                break
        else:
            groups.append([r])
    h = float(page.height)
    for g in groups:
        if len(g) < 2 and not _caption_above(chars, g[0][0], g[0][1], g[0][2])[0]:
            continue
        x0, x1 = min(r[0] for r in g), max(r[1] for r in g)
        ys = [r[2] for r in g]
        top = ys[0]
        if len(g) >= 3:
            bottom = ys[-1]
        else:
            bottom = _extend_down(chars, x0, x1, ys[-1], h)
        caption, cap_top = _caption_above(chars, x0, x1, top, body)
        t = _read_region(chars, (x0, top - 0.5, x1, bottom + 0.5), ys, body, page_no, "aligned", caption=caption)
        if t is None:
            continue
        if cap_top is not None:
            t.bbox = (min(t.bbox[0], cap_top[1]), cap_top[0] - 0.5, max(t.bbox[2], cap_top[2]), t.bbox[3])
        tables.append(t)
    rot = [c for c in page.chars if not c.get("upright", True)]
    rot_table = None
    if len(rot) > 40:
        rot_table = _rotated(page, page_no, rot, body)
    tables.extend(_plain_tables(page_no, body, chars, [t.bbox for t in tables]))
    if rot_table is not None:
        # the caption of a sideways table is often printed upright above it
        cap = _free_caption(chars, [t.bbox for t in tables])
        if cap is not None:
            rot_table.caption = cap[0]
            rot_table._caption_bbox = cap[1]
        tables.append(rot_table)
    # top to bottom, so that a table continued on the next page is the page's last one
    return sorted(tables, key=lambda t: (t.rotated, t.bbox[1]))


def _free_caption(chars, taken):
    """An upright "Table N" line not claimed by any table found: (text, bbox) or None."""
    words = _words([c for c in chars if not any(_in_box(c, b) for b in taken)])
    for l in _text_lines(words):
        txt = " ".join(w["text"] for w in l)
        if _CAPTION_RE.match(txt):
            return txt, (min(w["x0"] for w in l), min(w["top"] for w in l), max(w["x1"] for w in l),
                         max(w["bottom"] for w in l))
    return None


def _plain_tables(page_no, body, chars, taken) -> list[PdfTable]:
    """Tables without ruling lines: a "Table N" caption followed by lines of aligned cells."""
    words = _words([c for c in chars if not any(_in_box(c, b) for b in taken)])
    lines = _text_lines(words)
    out = []
    i = 0
    while i < len(lines):
        cap = lines[i]
        txt = " ".join(w["text"] for w in cap)
        i += 1
        if not _CAPTION_RE.match(txt):
            continue
        x0 = min(w["x0"] for w in cap) - 2
        prev_bottom = max(w["bottom"] for w in cap)
        block = []
        j = i
        while j < len(lines):
            ws = [w for w in lines[j] if w["x0"] >= x0]
            if not ws or _CAPTION_RE.match(" ".join(w["text"] for w in ws)):
                break
            size = ws[0]["size"]
            if min(w["top"] for w in ws) - prev_bottom > 2.5 * size:
                break
            cells = [[ws[0]]]
            for a, b in zip(ws, ws[1:]):
                if b["x0"] - a["x1"] >= 1.5 * size:
                    cells.append([b])
                else:
                    cells[-1].append(b)
            if len(cells) < 2:
                break
            block.append(cells)
            prev_bottom = max(w["bottom"] for w in ws)
            j += 1
        if len(block) < 3:
            continue
        bx0 = min(c[0]["x0"] for row in block for c in row)
        bx1 = max(c[-1]["x1"] for row in block for c in row)
        width = bx1 - bx0
        widest = sorted(max(c[-1]["x1"] - c[0]["x0"] for c in row) for row in block)
        # two columns of running text also have a wide gap; a table's cells are narrow
        if widest[len(widest) // 2] > 0.45 * width:
            continue
        top = min(w["top"] for w in block[0][0])
        bbox = (bx0 - 0.5, top - 0.5, bx1 + 0.5, prev_bottom + 0.5)
        t = _read_region(chars, bbox, [], body, page_no, "aligned", caption=txt)
        if t is None:
            continue
        cap_box = (min(w["x0"] for w in cap), min(w["top"] for w in cap), max(w["x1"] for w in cap))
        t.bbox = (min(t.bbox[0], cap_box[0]), cap_box[1] - 0.5, max(t.bbox[2], cap_box[2]), t.bbox[3])
        out.append(t)
        i = j
    return out


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _extend_down(chars, x0, x1, y, page_height) -> float:
    """Bottom of a table that has no closing rule: follow its lines down until a wide gap."""
    below = sorted((c for c in chars if c["top"] >= y and x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1
                    and c["bottom"] < 0.93 * page_height), key=lambda c: c["top"])
    if not below:
        return y
    font = Counter((round(c["size"], 1), c["fontname"]) for c in below).most_common(1)[0][0]
    bottom = y
    for c in below:
        if (round(c["size"], 1), c["fontname"]) != font:
            continue
        if c["top"] - bottom > 4.0 * font[0] and bottom > y:
            break
        bottom = max(bottom, c["bottom"])
    return bottom


def _ruled(page, page_no, body, warnings=None) -> list[PdfTable]:
    """Fully ruled tables via pdfplumber's line-based table finder."""
    out = []
    try:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    except Exception as exc:  # a malformed path must not stop the page's text; noted, table not read
        if warnings is not None:
            warnings.append(f"page {page_no}: ruled-table finder failed ({type(exc).__name__}: {exc})")
        return out
    from .pdf import normalise_text

    for ft in found:
        rows = ft.extract()
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        cells = [[normalise_text(" ".join((c or "").split())) for c in r] for r in rows]
        boxes = []
        for r in ft.rows:
            boxes.append([tuple(round(v, 2) for v in c) if c else None for c in r.cells])
        region = [c for c in page.chars if _in_box(c, ft.bbox)]
        caption, cap_top = _caption_above(page.chars, ft.bbox[0], ft.bbox[2], ft.bbox[1], body)
        t = PdfTable(page=page_no, bbox=tuple(round(v, 2) for v in ft.bbox), header=cells[0], cells=cells[1:],
                     cell_pages=[[page_no] * len(r) for r in cells[1:]], cell_bboxes=boxes[1:],
                     caption=normalise_text(caption) if caption else None, method="ruled", pages=(page_no,))
        t._font = _table_font(region, body)
        if cap_top is not None:
            t.bbox = (min(t.bbox[0], cap_top[1]), cap_top[0] - 0.5, max(t.bbox[2], cap_top[2]), t.bbox[3])
        out.append(t)
    return out


def _rotated(page, page_no, rot, body) -> Optional[PdfTable]:
    """A landscape table printed sideways: read it upright, report its bbox on the page."""
    up = _rotate_chars(rot, float(page.height))
    xs0, xs1 = min(c["x0"] for c in up), max(c["x1"] for c in up)
    ys0, ys1 = min(c["top"] for c in up), max(c["bottom"] for c in up)
    # rules of a sideways table are vertical lines on the page
    rules_y = sorted({round((l["x0"] + l["x1"]) / 2, 1) for l in page.lines
                      if abs(l["x0"] - l["x1"]) < 1.0 and l["bottom"] - l["top"] > 60})
    t = _read_region(up, (xs0, ys0 - 1, xs1, ys1 + 1), rules_y, body, page_no, "aligned", rotated=True)
    if t is None:
        return None
    t.bbox = (round(min(c["x0"] for c in rot), 2), round(min(c["top"] for c in rot), 2),
              round(max(c["x1"] for c in rot), 2), round(max(c["bottom"] for c in rot), 2))
    # back to page coordinates for provenance
    h = float(page.height)
    t.cell_bboxes = [[(b[1], h - b[2], b[3], h - b[0]) if b else None for b in row] for row in t.cell_bboxes]
    t._font = None
    return t


def merge_continued(tables: list[PdfTable]) -> list[PdfTable]:
    """Merge a table continued on the next page (same header, or same column count and no caption)."""
    out: list[PdfTable] = []
    for t in tables:
        prev = out[-1] if out else None
        if (prev is not None and t.page == prev.pages[-1] + 1 and t.caption is None
                and (_strip(t.header) == _strip(prev.header) or not any(t.header))
                and len(t.header) <= len(prev.header)):
            n = len(prev.header)
            t.cells = [r + [""] * (n - len(r)) for r in t.cells]
            t.cell_bboxes = [list(r) + [None] * (n - len(r)) for r in t.cell_bboxes]
            t.cell_pages = [list(r) + [t.page] * (n - len(r)) for r in t.cell_pages]
            rows = t.cells
            # a row broken by the page end continues in the first row of the next page
            if prev.cells and rows:
                last = prev.cells[-1]
                filled = [c for c in last if c]
                nxt = [c for c in rows[0] if c]
                if 0 < len(filled) < len(last) and all(last[k] for k in range(len(filled))) and \
                        len(filled) + len(nxt) <= len(last) and all(rows[0][k] for k in range(len(nxt))):
                    merged = filled + nxt
                    boxes = [b for b in prev.cell_bboxes[-1] if b is not None][: len(filled)] + \
                        [b for b in t.cell_bboxes[0] if b is not None][: len(nxt)]
                    pages = [prev.pages[-1]] * len(filled) + [t.page] * len(nxt)
                    n = len(last)
                    prev.cells[-1] = merged + [""] * (n - len(merged))
                    prev.cell_bboxes[-1] = boxes + [None] * (n - len(boxes))
                    prev.cell_pages[-1] = pages + [t.page] * (n - len(pages))
                    rows = rows[1:]
                    t.cell_bboxes = t.cell_bboxes[1:]
                    t.cell_pages = t.cell_pages[1:]
            prev.cells.extend(rows)
            prev.cell_bboxes.extend(t.cell_bboxes)
            prev.cell_pages.extend(t.cell_pages)
            prev.pages = prev.pages + (t.page,)
            continue
        out.append(t)
    return out


def _strip(header: list[str]) -> list[str]:
    h = list(header)
    while h and not h[-1]:
        h.pop()
    return h


