"""What a PDF printed by Chromium shows where: the lines of text and the filled rectangles of
each page, with their boxes, read by pdfminer.six (a PDF reader cmctei does not otherwise use).

tests/test_browser.py prints pages to PDF and asks two questions of them here: does a
classification banner (a filled rectangle in the banner's colour, with the banner's words in
it) stand over any other text, and does a page end with a heading. Coordinates are PDF points
with y growing upwards, as pdfminer gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass
class Line:
    box: Box
    text: str  # whitespace squeezed


@dataclass
class Rect:
    box: Box
    fill: tuple[float, ...] | None  # the fill colour (0..1 per channel), None when not filled


@dataclass
class Page:
    number: int  # 1-based
    box: Box
    lines: list[Line] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def read(pdf: Path) -> list[Page]:
    """Every page of the PDF: its text lines (top to bottom) and its filled rectangles."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTCurve, LTTextContainer, LTTextLine

    pages: list[Page] = []

    def walk(item, page: Page) -> None:
        if isinstance(item, LTTextLine):
            text = squeeze(item.get_text())
            if text:
                page.lines.append(Line(tuple(item.bbox), text))
            return
        if isinstance(item, LTCurve):  # LTRect and LTLine are curves too
            fill = item.non_stroking_color if item.fill else None
            if isinstance(fill, (int, float)):
                fill = (float(fill),) * 3
            page.rects.append(Rect(tuple(item.bbox), tuple(fill) if fill is not None else None))
            return
        if isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
            for child in item:
                walk(child, page)

    # line_margin 0: two lines are never merged into one box (a banner's line and the text line
    # under it must stay two lines, each with its own box)
    for number, layout in enumerate(extract_pages(str(pdf), laparams=LAParams(line_margin=0.0)), start=1):
        page = Page(number, tuple(layout.bbox))
        for item in layout:
            walk(item, page)
        page.lines.sort(key=lambda line: (-line.box[3], line.box[0]))
        pages.append(page)
    return pages


def overlap(a: Box, b: Box, slack: float = 0.5) -> bool:
    """Whether two boxes share an area (more than `slack` points each way)."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack) and (min(a[3], b[3]) - max(a[1], b[1]) > slack)


def inside(inner: Box, outer: Box, slack: float = 1.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def same_colour(a: tuple[float, ...] | None, b: tuple[float, ...], tolerance: float = 0.02) -> bool:
    return a is not None and len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b))
