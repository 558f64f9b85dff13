#!/usr/bin/env python3
"""Render the sample reports in samples/src/*.txt into Word-export-like PDFs.

    python3 samples/generator/make_samples.py            # every sample, born-digital and scanned
    python3 samples/generator/make_samples.py --only B   # samples whose name starts with B

The content of each sample is hand-written from the seed text (see samples/src/FORMAT.md);
this script decides only the look: A4, Carlito (metric twin of Calibri, Word's default),
running header, page numbers, tables with a label column and right-aligned number columns
at fixed positions. Scanned twins are made by rasterising the born-digital PDF with
pdftoppm and adding skew, noise and JPEG compression with a fixed random seed.

Needs: python3, reportlab and Pillow (pip), poppler-utils and fonts-crosextra-carlito (apt).
The PDFs are committed; tests never run this script.
"""

import argparse
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, KeepTogether, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.flowables import CondPageBreak

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(HERE)
SRC = os.path.join(SAMPLES, "src")
FONT_DIR = "/usr/share/fonts/truetype/crosextra"

# Per-sample typography: how thousands separators and minus signs are set in
# table cells, and how the page number is printed. Real reports differ in
# exactly these ways, and the parsers must cope with each.
STYLES = {
    "A": {"group": "\u00a0", "minus": "-", "folio": "{n}"},            # no-break spaces
    "B": {"group": " ", "minus": "-", "folio": "{n}"},                 # plain spaces
    "C": {"group": "\u00a0", "minus": "\u2212", "folio": "{n}"},       # no-break spaces, U+2212 minus
    "D": {"group": "\u2009", "minus": "-", "folio": "{n} ({total})"},  # thin spaces, "20 (23)"
}

# Scanned twins: (dpi, skew in degrees, noise sigma, JPEG quality or None for a
# bilevel CCITT G4 scan, the usual archive format for old office scans).
SCANS = {
    "D": (300, 0.6, 9.0, None),
    "B": (200, -0.4, 12.0, 45),
}


# Same source, same bytes: no creation date or random document id in the PDFs.
rl_config.invariant = 1


def register_fonts():
    for name, file in [("Carlito", "Carlito-Regular.ttf"), ("Carlito-Bold", "Carlito-Bold.ttf"),
                       ("Carlito-Italic", "Carlito-Italic.ttf"),
                       ("Carlito-BoldItalic", "Carlito-BoldItalic.ttf")]:
        pdfmetrics.registerFont(TTFont(name, os.path.join(FONT_DIR, file)))
    pdfmetrics.registerFontFamily("Carlito", normal="Carlito", bold="Carlito-Bold",
                                  italic="Carlito-Italic", boldItalic="Carlito-BoldItalic")


# ---------------------------------------------------------------- parsing

class SourceError(Exception):
    pass


def parse(path):
    """Parse a sample source into (meta, blocks). Blocks are tuples (kind, payload, line)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    meta, blocks, para = {}, [], []
    i = 0

    def flush():
        if para:
            blocks.append(("para", " ".join(para), i))
            para.clear()

    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("%meta"):
            flush()
            i += 1
            while i < len(lines) and lines[i].strip() != "%end":
                if ":" in lines[i]:
                    k, v = lines[i].split(":", 1)
                    meta[k.strip()] = v.strip()
                i += 1
        elif stripped.startswith("%cover"):
            flush()
            cover = []
            i += 1
            while i < len(lines) and lines[i].strip() != "%end":
                cover.append(lines[i].strip())
                i += 1
            blocks.append(("cover", cover, i))
        elif stripped.startswith("%lines"):
            flush()
            kept = []
            i += 1
            while i < len(lines) and lines[i].strip() != "%end":
                kept.append(lines[i].rstrip())
                i += 1
            blocks.append(("lines", kept, i))
        elif stripped.startswith("%table"):
            flush()
            start = i + 1
            options = dict(re.findall(r"(\w+)=(\S+)", stripped))
            rows, titles = [], []
            i += 1
            while i < len(lines) and lines[i].strip() != "%end":
                r = lines[i].strip()
                if r and not r.startswith("%comment"):
                    if r.startswith("= "):
                        titles.append(r[2:].strip())
                    elif r.startswith("^"):
                        rows.append(("head", split_cells(r[1:])))
                    elif r.startswith("!"):
                        rows.append(("bold", split_cells(r[1:])))
                    else:
                        rows.append(("row", split_cells(r)))
                i += 1
            if i >= len(lines):
                raise SourceError(f"{path}:{start}: %table is not closed by %end")
            blocks.append(("table", {"options": options, "titles": titles, "rows": rows}, start))
        elif stripped == "%pagebreak":
            flush()
            blocks.append(("pagebreak", None, i))
        elif stripped.startswith("%comment"):
            pass
        elif stripped.startswith("#"):
            flush()
            level = len(stripped) - len(stripped.lstrip("#"))
            blocks.append((f"h{min(level, 3)}", stripped[level:].strip(), i))
        elif stripped.startswith("- "):
            flush()
            blocks.append(("bullet", stripped[2:].strip(), i))
        elif not stripped:
            flush()
        else:
            para.append(stripped)
        i += 1
    flush()
    return meta, blocks


def split_cells(text):
    return [c.strip() for c in text.split("|")]


# ---------------------------------------------------------------- typography

NUMBER = re.compile(r"^\(?[-\u2212\u2013]?\d{1,3}( \d{3})+(,\d+)?\)?[%*]*$|^[-\u2212\u2013]?\d+(,\d+)?[%*]*$")


def typeset_number(cell, style):
    """Apply the sample's thousands separator and minus sign to a numeric cell."""
    if not NUMBER.match(cell):
        return cell
    out = cell.replace(" ", style["group"])
    if out.startswith("-"):
        out = style["minus"] + out[1:]
    return out


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- rendering

def styles():
    base = ParagraphStyle("body", fontName="Carlito", fontSize=11, leading=14.2, spaceAfter=6)
    return {
        "body": base,
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=18, bulletIndent=6, spaceAfter=3),
        "lines": ParagraphStyle("lines", parent=base, spaceAfter=0),
        "h1": ParagraphStyle("h1", parent=base, fontName="Carlito-Bold", fontSize=16, leading=20,
                             spaceBefore=10, spaceAfter=8, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName="Carlito-Bold", fontSize=13, leading=16,
                             spaceBefore=8, spaceAfter=5, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName="Carlito-Bold", fontSize=11.5, leading=14.5,
                             spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "title": ParagraphStyle("title", parent=base, fontName="Carlito-Bold", fontSize=11.5,
                                leading=14.5, spaceBefore=6, spaceAfter=4, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=12, spaceAfter=0),
        "cellbold": ParagraphStyle("cellbold", parent=base, fontName="Carlito-Bold", fontSize=10,
                                   leading=12, spaceAfter=0),
        "cellright": ParagraphStyle("cellright", parent=base, fontSize=10, leading=12, spaceAfter=0,
                                    alignment=TA_RIGHT),
        "headright": ParagraphStyle("headright", parent=base, fontName="Carlito-Bold", fontSize=10,
                                    leading=12, spaceAfter=0, alignment=TA_RIGHT),
        "headcentre": ParagraphStyle("headcentre", parent=base, fontName="Carlito-Bold", fontSize=10,
                                     leading=12, spaceAfter=0, alignment=TA_CENTER),
        "cover1": ParagraphStyle("cover1", parent=base, fontName="Carlito-Bold", fontSize=30,
                                 leading=36, alignment=TA_CENTER, spaceAfter=18),
        "cover2": ParagraphStyle("cover2", parent=base, fontName="Carlito-Bold", fontSize=18,
                                 leading=23, alignment=TA_CENTER, spaceAfter=12),
        "cover3": ParagraphStyle("cover3", parent=base, fontSize=13, leading=17, alignment=TA_CENTER,
                                 spaceAfter=6),
    }


def build_table(block, width, style, st, where):
    rows = block["rows"]
    if not rows:
        raise SourceError(f"{where}: table without rows")
    ncols = max(len(cells) for kind, cells in rows)
    for kind, cells in rows:
        if len(cells) not in (1, ncols):
            raise SourceError(f"{where}: a row has {len(cells)} cells, the table has {ncols}: {' | '.join(cells)}")
    widths = block["options"].get("widths")
    if widths:
        parts = [float(w) for w in widths.split(",")]
        if len(parts) != ncols:
            raise SourceError(f"{where}: widths= gives {len(parts)} columns, the table has {ncols}")
    else:
        parts = [45.0] + [55.0 / (ncols - 1)] * (ncols - 1) if ncols > 1 else [100.0]
    total = sum(parts)
    col_widths = [width * p / total for p in parts]

    header_texts = [cells for kind, cells in rows if kind == "head"]
    body = [c for kind, cells in rows if kind != "head" for c in cells[1:] if c]
    # A table of prose (descriptions of interventions) is set top-left, like
    # Word's default; a table of figures bottom-right.
    text_table = bool(body) and sum(1 for c in body if NUMBER.match(c)) < 0.3 * len(body)
    note_columns = {j for cells in header_texts for j, c in enumerate(cells) if c.strip().lower() == "not"}

    data, commands = [], [
        ("FONT", (0, 0), (-1, -1), "Carlito", 10),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("ALIGN", (1, 0), (-1, -1), "LEFT" if text_table else "RIGHT"),
    ]
    if text_table:
        commands.append(("VALIGN", (0, 0), (-1, -1), "TOP"))
    for j in note_columns:
        commands.append(("ALIGN", (j, 0), (j, -1), "CENTER"))
    last_head = -1
    for r, (kind, cells) in enumerate(rows):
        cells = cells + [""] * (ncols - len(cells))
        bold = kind in ("head", "bold")
        out = []
        for j, c in enumerate(cells):
            if j == 0:
                text = escape(c).replace(" \\\\ ", "<br/>").replace("\\\\", "<br/>")
                out.append(Paragraph(text, st["cellbold"] if bold else st["cell"]))
            elif kind == "head":
                # Header cells wrap within their column, as Word's do.
                text = escape(c).replace(" \\\\ ", "<br/>").replace("\\\\", "<br/>")
                head_style = "headcentre" if j in note_columns else ("cellbold" if text_table else "headright")
                out.append(Paragraph(text, st[head_style]))
            elif "\\\\" in c:
                text = escape(c).replace(" \\\\ ", "<br/>").replace("\\\\", "<br/>")
                out.append(Paragraph(text, st["cellbold"] if bold else st["cell"]))
            elif NUMBER.match(c) or len(c) <= 14:
                out.append(typeset_number(c, style))
            else:
                # Text in a figure column ("Ingen redovisning") wraps, aligned
                # like the figures; in a table of prose it reads left to right.
                if text_table:
                    out.append(Paragraph(escape(c), st["cellbold"] if bold else st["cell"]))
                else:
                    out.append(Paragraph(escape(c), st["headright"] if bold else st["cellright"]))
        if bold:
            commands.append(("FONT", (1, r), (-1, r), "Carlito-Bold", 10))
        if kind == "head":
            last_head = r
        if len([c for c in cells if c]) == 1 and cells[0] and ncols > 1:
            commands.append(("SPAN", (0, r), (-1, r)))
        data.append(out)
    if last_head >= 0:
        commands.append(("LINEBELOW", (0, last_head), (-1, last_head), 0.6, colors.black))
    table = Table(data, colWidths=col_widths, repeatRows=0, hAlign="LEFT", style=TableStyle(commands))
    titles = [Paragraph(escape(t), st["title"]) for t in block["titles"]]
    # Keep a small statement table with its title on one page; a long or
    # text table splits across pages as Word's do.
    if len(rows) <= 25 and not text_table:
        return [KeepTogether(titles + [table]), Spacer(1, 8)]
    return titles + [table, Spacer(1, 8)]


class ReportTemplate(BaseDocTemplate):
    def __init__(self, path, meta, style, **kw):
        super().__init__(path, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm,
                         topMargin=2.6 * cm, bottomMargin=2.4 * cm,
                         title=meta.get("title", ""), author=meta.get("organisation", ""),
                         creator="Microsoft® Word för Microsoft 365 (annals sample generator)", **kw)
        self.meta, self.style = meta, style
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.decorate)])
        self.total_pages = 0

    def decorate(self, canvas, doc):
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFont("Carlito", 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(self.leftMargin, A4[1] - 1.6 * cm, self.meta.get("header", ""))
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.4)
        canvas.line(self.leftMargin, A4[1] - 1.75 * cm, A4[0] - self.rightMargin, A4[1] - 1.75 * cm)
        folio = self.style["folio"].format(n=doc.page, total=self.total_pages or "?")
        canvas.setFont("Carlito", 9.5)
        canvas.drawRightString(A4[0] - self.rightMargin, 1.3 * cm, folio)
        canvas.restoreState()


def flowables(blocks, width, style, st, path):
    out = []
    carry = []  # a heading waiting to be kept with the table under it
    for i, (kind, payload, line) in enumerate(blocks):
        where = f"{path}:{line}"
        if kind == "cover":
            out.append(Spacer(1, 6 * cm))
            for text in payload:
                if not text:
                    out.append(Spacer(1, 12))
                elif text.startswith("## "):
                    out.append(Paragraph(escape(text[3:]), st["cover2"]))
                elif text.startswith("# "):
                    out.append(Paragraph(escape(text[2:]), st["cover1"]))
                else:
                    out.append(Paragraph(escape(text), st["cover3"]))
            out.append(PageBreak())
        elif kind in ("h1", "h2", "h3"):
            out.append(CondPageBreak(4 * cm))
            heading = Paragraph(escape(payload), st[kind])
            if i + 1 < len(blocks) and blocks[i + 1][0] == "table":
                carry = [heading]
            else:
                out.append(heading)
        elif kind == "para":
            out.append(Paragraph(escape(payload), st["body"]))
        elif kind == "bullet":
            out.append(Paragraph(escape(payload), st["bullet"], bulletText="•"))
        elif kind == "lines":
            for text in payload:
                out.append(Paragraph(escape(text) if text.strip() else "&nbsp;", st["lines"]))
            out.append(Spacer(1, 8))
        elif kind == "pagebreak":
            out.append(PageBreak())
        elif kind == "table":
            table = build_table(payload, width, style, st, where)
            if carry:
                # A heading never stands alone at the foot of a page above its table.
                first = table[0]
                if isinstance(first, KeepTogether):
                    table[0] = KeepTogether(carry + first._content)
                else:
                    table = [KeepTogether(carry + table[:2])] + table[2:]
                carry = []
            out.extend(table)
    return out


def sources():
    names = sorted(f for f in os.listdir(SRC) if f.endswith(".txt") and ".part" not in f)
    return [os.path.join(SRC, n) for n in names]


def source_text_path(path):
    """A sample may be written in parts (`X.txt`, `X.part2.txt`, …): join them in order."""
    base = path[:-4]
    parts = sorted(f for f in os.listdir(SRC)
                   if f.startswith(os.path.basename(base) + ".part") and f.endswith(".txt"))
    if not parts:
        return path, None
    joined = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
    with open(path, encoding="utf-8") as f:
        joined.write(f.read().rstrip("\n") + "\n\n")
    for p in parts:
        with open(os.path.join(SRC, p), encoding="utf-8") as f:
            joined.write(f.read().rstrip("\n") + "\n\n")
    joined.close()
    return joined.name, joined.name


def render(path, out_pdf):
    letter = os.path.basename(path)[0]
    style = STYLES[letter]
    text_path, temporary = source_text_path(path)
    try:
        meta, blocks = parse(text_path)
    finally:
        if temporary:
            os.unlink(temporary)
    st = styles()
    # Two passes: the first counts pages so footers can print "n (total)".
    total = 0
    for _ in range(2):
        buffer = io.BytesIO()
        doc = ReportTemplate(buffer, meta, style)
        doc.total_pages = total
        doc.build(flowables(blocks, doc.width, style, st, path))
        total = doc.page
    tmp = out_pdf + ".tmp"
    with open(tmp, "wb") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, out_pdf)
    return total


def scan(born_digital_pdf, out_pdf, dpi, skew, sigma, quality, seed):
    """Rasterise, then degrade each page like an office scanner: grey, skewed, noisy, JPEG."""
    from PIL import Image, ImageFilter
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", born_digital_pdf,
                        os.path.join(tmp, "p")], check=True)
        pages = []
        for name in sorted(os.listdir(tmp), key=lambda n: int(re.findall(r"\d+", n)[-1])):
            img = Image.open(os.path.join(tmp, name)).convert("L")
            angle = skew + rng.uniform(-0.25, 0.25)
            img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(radius=0.6 * dpi / 300))
            noise = Image.effect_noise(img.size, sigma)
            img = Image.blend(img, noise, 0.12).point(lambda v: 255 if v > 235 else v)
            # A faint grey cast, as paper has under a scanner lid, and dust specks.
            img = img.point(lambda v: int(v * 0.96 + 4))
            pixels = img.load()
            for _ in range(int(img.size[0] * img.size[1] / 20000)):
                x, y = rng.randrange(img.size[0] - 3), rng.randrange(img.size[1] - 3)
                shade = rng.randrange(40, 150)
                for dx in range(rng.choice((1, 1, 2, 3))):
                    for dy in range(rng.choice((1, 2))):
                        pixels[x + dx, y + dy] = shade
            if quality is None:
                # Bilevel: a fixed threshold, as a scanner's black-and-white mode does.
                img = img.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.NONE)
            pages.append(img)
        tmp_pdf = out_pdf + ".tmp"
        # Fixed dates: the same pages make the same file.
        fixed = time.gmtime(1577836800)  # 2020-01-01
        options = {"creationDate": fixed, "modDate": fixed}
        if quality is not None:
            options["quality"] = quality
        try:
            pages[0].save(tmp_pdf, "PDF", resolution=float(dpi), save_all=True,
                          append_images=pages[1:], **options)
            os.replace(tmp_pdf, out_pdf)
        finally:
            if os.path.exists(tmp_pdf):
                os.unlink(tmp_pdf)
    return len(pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="render only samples whose name starts with this")
    parser.add_argument("--no-scans", action="store_true", help="skip the scanned twins")
    args = parser.parse_args()
    register_fonts()
    for path in sources():
        name = os.path.basename(path)[:-4]
        if args.only and not name.startswith(args.only):
            continue
        out = os.path.join(SAMPLES, name + ".pdf")
        try:
            pages = render(path, out)
        except SourceError as e:
            sys.exit(f"error: {e}")
        print(f"{out}: {pages} pages", file=sys.stderr)
        letter = name[0]
        if letter in SCANS and not args.no_scans:
            dpi, skew, sigma, quality = SCANS[letter]
            scanned = os.path.join(SAMPLES, name + ".scan.pdf")
            n = scan(out, scanned, dpi, skew, sigma, quality, seed=ord(letter))
            print(f"{scanned}: {n} pages, {os.path.getsize(scanned) // 1024} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
