"""Pages without a text layer and tables pasted as pictures: OCR into positioned words.

A printed-and-scanned PDF has only page images; a CMS article may carry tables 二, 三
and 四 as pasted screenshots (``<img src="data:...">``). Both are read here into the
same :class:`extract.template.tokens.Word` records a born-digital PDF gives, so the template
mapper (:mod:`extract.positions`, :mod:`extract.lines`) reads them as it reads any PDF.

The steps, each a function over a greyscale page image (numpy, 0 black .. 255 white):

- :func:`ink_of`: the page as ink; on a colour scan the red channel, so a red official
  seal prints pale and never becomes digits;
- :func:`skew_angle` and :func:`deskewed`: the scan turned upright by the angle whose
  horizontal ink profile is sharpest (skew of a degree or two);
- :func:`ruling_mask` and :func:`without_rulings`: the table's ruling lines found by
  morphology and whited out, so a value is detected on its own and not fused with the
  line beside it;
- :func:`image_to_words`: RapidOCR's PP-OCRv4 detection and recognition (the models
  ship inside the ``rapidocr-onnxruntime`` wheel: nothing is fetched at run time), each
  detected box split into words at its spaces, in points, with its confidence;
- :func:`cells_to_fill`: every ruled cell that holds ink but no recognised word is
  recognised again on its own (a lone small 「0」 the detector missed), so a printed
  character is never read as a blank.

Nothing is repaired: a word keeps the text and confidence the recogniser gave, and
the report is ``valid`` only when the template's identities hold.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from extract.records import BBox
from extract.template.tokens import Word

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from PIL.Image import Image

    Gray = NDArray[Any]  # a greyscale image, 0 black .. 255 white (OpenCV types it loosely)

MAX_SKEW = 3.0  # degrees: scans are fed straight to within this
SKEW_STEP = 0.1  # degrees between the angles tried
TEXT_SCORE = 0.3  # the recogniser's least confidence kept (RapidOCR's own default is 0.5)
GLYPH_OF_BOX = 1 / 1.45  # a detected box is this much taller than the font size
PROSE_SIZE = 10.5  # points: a report's body text, to scale a picture of unknown resolution


@dataclass(frozen=True)
class OcrWord:
    """One recognised word: where it stands (in points), how sure the recogniser was, and
    for a cell's word recognised from its own crop, what the detector's recognition of the
    same ink read (a second witness; None where the detector missed it)."""

    word: Word
    confidence: float
    witness: str | None = None


@cache
def ocr_engine() -> Any:
    """The RapidOCR engine (PP-OCRv4 Chinese detection and recognition, bundled models),
    made once per process; ``XXGK_OCR_THREADS`` caps its threads (0: onnxruntime's
    default, one per core)."""
    from rapidocr_onnxruntime import RapidOCR

    threads = int(os.environ.get("XXGK_OCR_THREADS", "0") or 0) or -1
    engine = RapidOCR(
        use_cls=False,
        text_score=TEXT_SCORE,
        intra_op_num_threads=threads,
        inter_op_num_threads=1 if threads > 0 else -1,
    )
    # A batch is padded to its widest crop and to no less than this: 160 reads a cell's
    # short number as 320 does (narrower, a small 0 is read as 「o」) at 40% of the cost.
    engine.text_rec.rec_image_shape = [3, 48, 160]
    base = engine.text_det.get_preprocess
    engine.text_det.get_preprocess = lambda longest: GreyPreprocess(base(longest))
    release_sessions(engine)
    return engine


class GreyPreprocess:
    """RapidOCR's preparation of a page for detection (its ``DetPreProcess``: resized to
    multiples of 32, each level scaled to -1..1, channels first), given that and done the
    same, bit for bit, on a page whose three channels are one grey image (as
    :func:`_recognise` gives it): one channel resized, its levels looked up in a table of
    the 256 (RapidOCR computes them in float64 over all three channels: 0.4 s a page, not
    0.03). Any other image is left to RapidOCR's."""

    def __init__(self, rapid: Any):
        import numpy as np

        self.rapid = rapid
        levels = np.arange(256).astype("float32") * rapid.scale
        self.tables = [
            ((levels - mean) / std).astype(np.float32)
            for mean, std in zip(rapid.mean, rapid.std, strict=True)
        ]

    def __call__(self, image: NDArray[Any]) -> NDArray[Any] | None:
        import numpy as np

        grey = image[:, :, 0]
        if image.shape[2] != 3 or any(not np.array_equal(grey, image[:, :, c]) for c in (1, 2)):
            return self.rapid(image)  # type: ignore[no-any-return]
        resized = self.rapid.resize(grey)
        if resized is None:
            return None
        return np.stack([table[resized] for table in self.tables])[np.newaxis]


def release_sessions(engine: Any) -> None:
    """Given a RapidOCR engine, make its detection give the memory freed in the worker
    back to the system before each run and after it, its recognition keep its memory
    from run to run until :func:`page_read` gives it back, and drop its direction
    classifier (never used: ``use_cls=False``).

    RapidOCR builds its sessions with onnxruntime's arena off and its memory pattern on,
    which measured best for detection: a page's detection peaks about 340 MiB above the
    models either way, and more without the pattern (470-570 MiB). What freed memory
    glibc keeps, though, stayed with the worker (250-400 MiB after a page), under the
    next run's peak: :class:`extract.memory.ReleasingSession` gives it back around every
    detection (a worker OCR'ing 144 dpi pages peaked at 550-580 MiB, not 770-880), and
    detection, the largest run, takes its turn among the workers
    (:func:`extract.memory.take_turns`). Recognition runs 25-30 times a page, and each
    run mapped its block afresh (1.3-2 s of system time a page): its session is made
    again with the arena on (:class:`extract.memory.ArenaSession`, the same model and
    options), whose memory (230 MiB at most, for six full-width lines of prose) is given
    back once a page is read."""
    import numpy as np
    from onnxruntime import InferenceSession

    from extract.memory import ArenaSession, ReleasingSession, release_memory

    holder = engine.text_det.infer
    if not isinstance(holder.session, ReleasingSession):
        holder.session = ReleasingSession(holder.session, turns=True)
    holder = engine.text_rec.session
    if not isinstance(holder.session, ArenaSession):
        options = holder.session.get_session_options()
        options.enable_cpu_mem_arena = True
        session = InferenceSession(
            holder.session._model_path, options, providers=holder.session.get_providers()
        )
        probe = {session.get_inputs()[0].name: np.zeros((1, 3, 48, 32), np.float32)}
        holder.session = ArenaSession(session, probe)
    engine.text_cls = None
    release_memory()


def page_read() -> None:
    """Give back to the system the memory the recognition of a page kept from run to run
    (:func:`release_sessions`)."""
    ocr_engine().text_rec.session.session.shrink()


def ink_of(image: Image) -> Gray:
    """Given a page image, return it as greyscale ink: the red channel of a colour image
    (red seals and stamps print pale there), the grey levels otherwise."""
    import numpy as np

    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        return np.asarray(image.convert("RGB"))[:, :, 0].copy()
    return np.asarray(image.convert("L")).copy()


def ink_level(gray: Gray) -> float:
    """Given a greyscale page, return the grey level below which a pixel is ink: Otsu's
    threshold between paper and print (a light scan's digits print grey, not black)."""
    import cv2

    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(level)


def _binary(gray: Gray) -> Gray:
    """Given a greyscale image, return its ink as 255 on 0 (Otsu's threshold)."""
    import cv2

    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return out


def skew_angle(gray: Gray) -> float:
    """Given a greyscale page, return the angle (degrees, counter-clockwise) that sets its
    lines level: the one whose row sums of ink vary most."""
    import cv2
    import numpy as np

    ink = _binary(gray)
    factor = 900 / max(ink.shape)
    if factor < 1:
        ink = cv2.resize(ink, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    h, w = ink.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP):
        turn = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rows = cv2.warpAffine(ink, turn, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)
        score = float(np.square(rows.astype(np.float64)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def deskewed(gray: Gray, angle: float) -> Gray:
    """Given a greyscale page and its skew angle, return it turned upright (white fill)."""
    import cv2

    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        gray, turn, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def ruling_mask(gray: Gray) -> tuple[Gray, Gray]:
    """Given an upright greyscale page, return masks (255 where ink) of its horizontal and
    vertical ruling lines: runs of ink longer than any character's stroke (one and a half
    characters; the strokes of 「年」 over 「件」 in a wrapped header are no line)."""
    import cv2

    ink = _binary(gray)
    h, w = ink.shape
    least = int(1.5 * glyph_height(gray))
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 20, least), 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 45, 20, least)))
    rows = cv2.morphologyEx(ink, cv2.MORPH_OPEN, across)
    columns = cv2.morphologyEx(ink, cv2.MORPH_OPEN, down)
    return rows, columns | _one_row_columns(ink, rows, 2 * least)


def _one_row_columns(ink: Gray, rows: Gray, tallest: int) -> Gray:
    """Given a page's ink, its horizontal rulings and the tallest row to look in, return
    the vertical lines of rows too short for a line to be told from a stroke by length
    (a table of one row: table 四's values alone after a page break): in the band
    between two rulings, one above the other, the columns ink fills from line to line.
    A character's stroke never does: a cell's text stands clear of its lines."""
    import cv2
    import numpy as np

    count, _, stats, _ = cv2.connectedComponentsWithStats(rows, connectivity=8)
    lines = sorted(
        (tuple(int(v) for v in stats[i][:4]) for i in range(1, count)), key=lambda s: s[1]
    )
    out = np.zeros_like(ink)
    for k, (x, y, w, h) in enumerate(lines):
        for x2, y2, w2, h2 in lines[k + 1 :]:
            lo, hi = max(x, x2), min(x + w, x2 + w2)
            if hi - lo < 0.5 * min(w, w2) or y2 <= y + h:
                continue
            if y2 - (y + h) <= tallest:
                band = ink[y + h : y2, lo:hi] > 0
                if band.shape[0] >= 4:
                    for col in np.flatnonzero(band.mean(axis=0) >= 0.95).tolist():
                        out[y : y2 + h2, lo + col] = 255
            break  # the nearest ruling below only
    return out


def within(boxes: Sequence[PixelBox], masks: tuple[Gray, Gray]) -> tuple[Gray, Gray]:
    """Given the boxes of a page's ruled tables and its ruling masks, return the masks
    inside those boxes only (a large title's long strokes are no ruling lines)."""
    import numpy as np

    keep = np.zeros_like(masks[0])
    for x0, y0, x1, y1 in boxes:
        keep[max(y0 - 3, 0) : y1 + 4, max(x0 - 3, 0) : x1 + 4] = 255
    return masks[0] & keep, masks[1] & keep


def without_rulings(gray: Gray, masks: tuple[Gray, Gray]) -> Gray:
    """Given a greyscale page and its ruling masks, return it with the rulings whited out."""
    import cv2

    lines = cv2.dilate(cv2.bitwise_or(*masks), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = gray.copy()
    out[lines > 0] = 255
    return out


N = TypeVar("N", int, float)  # a box's coordinates: pixels or points
PixelBox = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the upright page
LEAST_RULE = 24  # pixels: a ruling line segment at least this long bounds a cell
SLASH_LEAN = 0.2  # a slash's x moves this much per pixel it rises at least (a 1's, none)
END_SLACK = 6  # pixels: a line ends this near the line it runs into
INSET = 4  # pixels: a cell's ink is looked for this far in from its lines' centres
LINE_DRAWN = 0.35  # what _covered says of a boundary where a line is drawn, at least


LEAST_GLYPH = 11  # pixels: smaller text is enlarged before OCR ...
GOOD_GLYPH = 24  # ... to this height, which PP-OCR reads well


def glyph_height(gray: Gray) -> float:
    """Given a greyscale page, return the height of its characters in pixels: the upper
    quartile of the heights of its marks of ink (a Chinese character is often several
    marks; ruling lines and specks left out)."""
    import cv2
    import numpy as np

    count, _, stats, _ = cv2.connectedComponentsWithStats(_binary(gray), connectivity=8)
    heights = [
        int(h) for _, _, w, h, _ in stats[1:count] if 4 <= h <= 120 and w <= 3 * h and w >= 2
    ]
    return float(np.percentile(heights, 75)) if len(heights) >= 10 else float(GOOD_GLYPH)


def enlargement(gray: Gray) -> float:
    """Given a greyscale page, return how much to enlarge it so that its text is big enough
    to read (1: as it is; at most 4)."""
    height = glyph_height(gray)
    return min(GOOD_GLYPH / height, 4.0) if height < LEAST_GLYPH else 1.0


def resized(gray: Gray, factor: float) -> Gray:
    import cv2

    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def _runs(cover: NDArray[np.int64], least: int) -> list[int]:
    """Given how much ruling ink each pixel row (or column) holds, return the centres of
    the runs of rows holding at least ``least``: where the ruling lines stand."""
    out: list[int] = []
    start = prev = -2
    for i in (cover >= least).nonzero()[0].tolist():
        if i != prev + 1:
            if prev >= 0:
                out.append((start + prev) // 2)
            start = i
        prev = i
    if prev >= 0:
        out.append((start + prev) // 2)
    return out


def _covered(ink: Gray, lo: int, hi: int, at: int, vertical: bool, beside: bool = True) -> float:
    """Given a table's ink, the extent of a boundary between two grid squares and where it
    stands, return how much more of that boundary ink covers on the line (2 pixels
    either side) than just beside it (4 to 6 pixels away), or 0 where it covers less than
    60% of it: near 1 for a ruling line, even one a scan broke in places or with text
    close beside it; near 0 where no line is drawn, text crossing it or not. With
    ``beside`` false, the share it covers alone."""
    lo, hi = lo + 3, hi - 3
    if hi <= lo:
        return 1.0
    span = ink[lo:hi, :] if vertical else ink[:, lo:hi].T

    def share(a: int, b: int) -> float:
        band = span[:, max(at + a, 0) : max(at + b, 0)]
        return float((band.max(axis=1) > 0).mean()) if band.size else 0.0

    on = share(-2, 3)
    if not beside:
        return on
    return on - max(share(-6, -3), share(4, 7)) if on >= 0.6 else 0.0


def _spanning(down: Gray, candidates: Sequence[int], ends: Sequence[int]) -> list[int]:
    """Given a table's vertical ruling mask, where its weaker column lines may stand and
    where its row lines stand, return those of the weaker lines with a straight run at
    least LEAST_RULE long from one row line to another, crossing one between unless the
    table is one row."""
    import numpy as np

    out = []
    for at in candidates:
        band = down[:, max(at - 2, 0) : at + 3]
        on = np.concatenate(([0], (band.max(axis=1) > 0).astype(np.int8), [0]))
        edges = np.flatnonzero(np.diff(on))
        for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            crossed = [e for e in ends if start + END_SLACK < e < stop - 1 - END_SLACK]
            if (
                stop - start >= LEAST_RULE
                # two rows at least (a header's characters stacked in a cell run down one
                # row at most), or the one row of a table that is a single row
                and (crossed or len(ends) == 2)
                and all(any(abs(end - e) <= END_SLACK for e in ends) for end in (start, stop - 1))
            ):
                out.append(at)
                break
    return out


def table_cells(
    masks: tuple[Gray, Gray], ink: Gray, box: PixelBox, least: int = LEAST_RULE
) -> list[PixelBox]:
    """Given the ruling masks of an upright page and one ruled table's box, return its
    cells: the squares between neighbouring ruling lines, joined where no line is drawn
    between them (a merged cell; a line a scan broke in a few places still parts two)."""
    x0, y0, x1, y1 = box
    across, down = (m[y0:y1, x0:x1] for m in masks)
    inked = ink[y0:y1, x0:x1]
    ys = _runs((across > 0).sum(axis=1), least)
    cover = (down > 0).sum(axis=0)
    # a short line (between two rows of a small table) stands where it runs from one
    # ruling line to another: a character's strokes stacked in a narrow cell do not
    xs = sorted({*_runs(cover, least), *_spanning(down, _runs(cover, LEAST_RULE), ys)})
    if len(ys) < 2 or len(xs) < 2:
        return []

    def drawn(mask: Gray, lo: int, hi: int, at: int, vertical: bool) -> bool:
        """A line stands between two squares: its straight runs cover half the boundary
        (text beside it or not), or ink covers it and not its sides (a faded line)."""
        return (
            _covered(mask, lo, hi, at, vertical, beside=False) >= 0.5
            or _covered(inked, lo, hi, at, vertical) >= LINE_DRAWN
        )

    parent = {(i, j): (i, j) for i in range(len(xs) - 1) for j in range(len(ys) - 1)}

    def root(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, j in list(parent):
        if i + 1 < len(xs) - 1 and not drawn(down, ys[j], ys[j + 1], xs[i + 1], True):
            parent[root((i + 1, j))] = root((i, j))
        if j + 1 < len(ys) - 1 and not drawn(across, xs[i], xs[i + 1], ys[j + 1], False):
            parent[root((i, j + 1))] = root((i, j))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        groups.setdefault(root(k), []).append(k)
    return [
        (
            x0 + xs[min(i for i, _ in g)],
            y0 + ys[min(j for _, j in g)],
            x0 + xs[max(i for i, _ in g) + 1],
            y0 + ys[max(j for _, j in g) + 1],
        )
        for g in groups.values()
    ]


def merged_boxes(boxes: Sequence[PixelBox]) -> list[PixelBox]:
    """Given boxes, return them with every two that overlap merged into one (a table's
    frame and its inner grid, parted where a scan broke a line, are one table)."""
    out: list[PixelBox] = []
    for box in sorted(boxes):
        for k, other in enumerate(out):
            if box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
                out[k] = bounds([box, other])
                return merged_boxes(out)
        out.append(box)
    return out


def ruled_tables(gray: Gray, masks: tuple[Gray, Gray]) -> list[list[PixelBox]]:
    """Given the ruling masks of an upright page, return the cells of each ruled table, top
    to bottom: a table is one connected grid of lines (grids that overlap are one)."""
    import cv2

    grid = cv2.dilate(cv2.bitwise_or(*masks), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    ink = _binary(gray)
    # a line bounds two rows of text at least; the strokes of a header's characters
    # stacked in a narrow cell (社会/公益/组织) run up to two characters, no more
    least = max(LEAST_RULE, int(2.5 * glyph_height(gray)))
    height, width = grid.shape
    boxes = [
        (x, y, x + w, y + h)
        for x, y, w, h, _ in (tuple(int(v) for v in stats[i]) for i in range(1, count))
        if w >= 4 * LEAST_RULE and h >= LEAST_RULE
    ]

    def at_border(b: PixelBox) -> bool:
        return b[0] <= 1 or b[1] <= 1 or b[2] >= width - 1 or b[3] >= height - 1

    # The paper's edge against the scanner's lid (a page scanned offset) runs along the
    # image's border round the page's tables: no table. (A picture cropped to its table
    # has the table's own lines at its border, round nothing else.)
    inner = [b for b in boxes if not at_border(b)]
    boxes = [
        b
        for b in boxes
        if not at_border(b)
        or not any(b[0] <= o[0] and b[1] <= o[1] and o[2] <= b[2] and o[3] <= b[3] for o in inner)
    ]
    tables = []
    for box in merged_boxes(boxes):
        cells = table_cells(masks, ink, box, least)
        if len(cells) >= 2:
            tables.append((box[1], cells))
    return [cells for _, cells in sorted(tables)]


UNREADABLE = "?"  # a cell's ink the recogniser could not read: printed, so never a blank
_STROKES = {"1", "l", "I", "|", "/"}  # what the recogniser makes of a lone slash
_BARS = {"-", "—", "–", "一", "_", "~", "1", "l", "I", "|"}  # and of a lone flat bar
_SPECKS = ".·,'`、。:;"  # what a speck of dust or a bleed of ink is read as
_AS_DIGITS = str.maketrans("oODQIl|", "0000111")  # letters the recogniser reads for digits
_LOOKALIKES = re.compile(r"[0-9oODQIl|]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTERS = re.compile(r"[A-Za-z]{1,3}")  # what a cell's one line may be read as, never printed
_LINE_MARKS = re.compile(r"^[|\[\]Il](?=[^A-Za-z])|(?<=[^A-Za-z])[|\[\]Il]$")


def cleaned(text: str) -> str:
    """Given a recognised word, return it without specks no cell of the template prints:
    a word of specks alone (「.」 of a dot of dust), specks before a word, and specks
    after a number (「0.」 of a 0 beside a dot; 「3.」 before a label stays as it is only
    when text follows it in the same box); a number's digits read as the letters they
    look like (「I」, 「o」, 「D」, 「1O」) are digits, a word of letters alone is left as it is;
    a label loses the 「I」 「|」 「[」 a ruling line beside it was read as."""
    word = text.strip().lstrip(_SPECKS)
    if _CJK.search(word):  # a label: a ruling line beside it is read as 「I」 「|」 「[」
        word = _LINE_MARKS.sub("", word)
    bare = word.rstrip(_SPECKS)
    if _LOOKALIKES.fullmatch(bare) and (any(ch.isdigit() for ch in bare) or len(bare) == 1):
        bare = bare.translate(_AS_DIGITS)  # 「I」 for 1, 「o」 for 0, 「1O」 for 10
    return bare if bare.isdigit() else word


def _split(text: str, box: tuple[float, float, float, float]) -> list[tuple[str, float, float]]:
    """Given a recognised line's text and its box, return its words (split at spaces) with
    their left and right edges, the box's width shared out by characters."""
    x0, _, x1, _ = box
    if " " not in text.strip():
        return [(text.strip(), x0, x1)]
    per = (x1 - x0) / max(len(text), 1)
    out = []
    pos = 0
    for part in text.split(" "):
        if part:
            out.append((part, x0 + pos * per, x0 + (pos + len(part)) * per))
        pos += len(part) + 1
    return out


def _to_word(
    text: str, x0: float, x1: float, top: float, bottom: float, scale: float, page: int
) -> Word:
    """Given a word's text and its detected box in pixels, return it as a Word in points:
    the box narrowed to the glyphs (a detected box is padded around them)."""
    height = bottom - top
    size = height * GLYPH_OF_BOX
    pad = (height - size) / 2
    cy = (top + bottom) / 2
    return Word(
        text,
        (x0 + pad) / scale,
        max(x1 - pad, x0 + pad + 1) / scale,
        (cy - size / 2) / scale,
        (cy + size / 2) / scale,
        size / scale,
        page,
        "ocr",
    )


# box (pixels), text, confidence, and the detector's reading of the same ink (or None)
Found = tuple[tuple[float, float, float, float], str, float, str | None]


def _recognise(upright: Gray, clean: Gray) -> list[Found]:
    """Given an upright greyscale page and the same without its ruling lines, return its
    lines of text (box, text, confidence): found by RapidOCR's detector on the page as
    printed (the lines part text from text), each recognised from its crop of the page
    without rulings (a ruling line beside text is not read as 「[」 or 「1」)."""
    import numpy as np

    boxes, _ = ocr_engine()(np.dstack([upright] * 3), use_cls=False, use_rec=False)
    found = []
    for points in boxes or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        found.append((max(min(xs), 0), max(min(ys), 0), max(xs), max(ys)))
    crops = [clean[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1] for x0, y0, x1, y1 in found]
    return [
        (box, text, score, None)
        for box, (text, score) in zip(found, _read_crops(crops), strict=True)
        if text and score >= TEXT_SCORE
    ]


def _read_crops(crops: Sequence[Gray]) -> list[tuple[str, float]]:
    """Given small images each holding one cell's text, return the recogniser's text and
    confidence for each (recognition alone, in batches: the crop is the text's box)."""
    import numpy as np

    some = [i for i, c in enumerate(crops) if c.shape[0] >= 2 and c.shape[1] >= 2]
    out = [("", 0.0)] * len(crops)  # a crop of no pixels (a box narrower than its inset)
    if not some:
        return out
    result, _ = ocr_engine().text_rec([np.dstack([crops[i]] * 3) for i in some])
    for i, (text, score, *_) in zip(some, result, strict=True):
        out[i] = (str(text).strip(), float(score))
    return out


def ink_marks(gray: Gray, box: PixelBox, glyph: float, dark: float) -> list[PixelBox]:
    """Given an upright page without rulings, a cell box and the page's glyph height in
    pixels, return the boxes of the marks of ink inside the cell (a few pixels in from
    its lines), specks of dust left out (ink less than a third of a glyph both wide and
    high, unless it is a dash twice as wide as high) and so is what is left of a ruling
    line (a thin mark running into the cell's edge)."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = box
    inner = gray[y0 + INSET : y1 - INSET, x0 + INSET : x1 - INSET]
    if inner.size == 0:
        return []
    inked = (inner < dark).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(inked, connectivity=8)
    least, thin = glyph / 3, glyph / 4
    height, width = inked.shape

    def line_rest(x: int, y: int, w: int, h: int) -> bool:  # what whiting out left of a line
        return ((x == 0 or x + w == width) and w <= thin) or (
            (y == 0 or y + h == height) and h <= thin
        )

    return [
        (x0 + INSET + int(x), y0 + INSET + int(y), x0 + INSET + int(x + w), y0 + INSET + int(y + h))
        for x, y, w, h, _ in stats[1:count]
        if (w >= least or h >= least or (w >= glyph / 6 and w >= 2 * h))
        and not line_rest(int(x), int(y), int(w), int(h))
    ]


def bounds(boxes: Sequence[tuple[N, N, N, N]]) -> tuple[N, N, N, N]:
    """Given boxes (x0, y0, x1, y1), return the box round them all."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def is_slash(gray: Gray, marks: Sequence[PixelBox], dark: float) -> bool:
    """Given an upright page, a cell's marks of ink and the ink level, tell whether they
    are one stroke leaning right as it rises: a slash (/), the template's mark for
    nothing, which the recogniser reads as 「1」. A 「1」 stands upright (its flag and foot
    lean no way): its ink's x does not fall as its y rises."""
    import numpy as np

    if len(marks) != 1:
        return False
    x0, y0, x1, y1 = marks[0]
    ys, xs = np.nonzero(gray[y0:y1, x0:x1] < dark)
    if y1 - y0 < 4 or len(ys) < 8:
        return False
    lean = float(np.cov(xs, ys)[0, 1]) / max(float(np.var(ys)), 1e-6)
    return lean <= -SLASH_LEAN  # x grows as y (downwards) shrinks


def slash_witness(witness: str, gray: Gray, marks: Sequence[PixelBox], dark: float) -> bool:
    """Given what the detector's line read of a cell the crop's lean showed a slash, the
    page, the cell's marks and the ink level, tell whether that reading is of a slash
    too: a stroke (「1」 「l」 「|」 「/」), or 「7」 where the stroke has no bar across its
    top (a 7's is drawn across the whole glyph; a slash's top is one stroke wide)."""
    word = witness.strip(_SPECKS)
    if word in _STROKES:
        return True
    return word == "7" and len(marks) == 1 and not has_top_bar(gray, marks[0], dark)


def has_top_bar(gray: Gray, mark: PixelBox, dark: float) -> bool:
    """Given a page, one mark's box and the ink level, tell whether a bar runs across
    the mark's top: in its top fifth, some row inked across three fifths of its width."""
    import numpy as np

    x0, y0, x1, y1 = mark
    top = gray[y0 : y0 + max(2, (y1 - y0) // 5), x0:x1] < dark
    return bool(top.size) and int(np.max(top.sum(axis=1))) >= 0.6 * (x1 - x0)


def is_dash(marks: Sequence[PixelBox], glyph: float) -> bool:
    """Given a cell's marks of ink, tell whether they are one bar lying flat, no taller
    than a stroke: a dash (-, —, 一), the template's mark for nothing, which the
    recogniser returns as no text at all."""
    if len(marks) != 1:
        return False
    x0, y0, x1, y1 = marks[0]
    return x1 - x0 >= 2.5 * (y1 - y0) and y1 - y0 <= 0.3 * glyph


def parts_in_cells(
    box: tuple[float, float, float, float], cells: Sequence[PixelBox]
) -> list[tuple[float, float, float, float]]:
    """Given a detected box and ruled cells, return its parts in the cells it lies across
    when it lies across two or more (the detector ran on over a ruling line: a group
    label and its first row's label on one line), else no part."""
    x0, y0, x1, y1 = box
    width = max(x1 - x0, 1.0)
    cy = (y0 + y1) / 2
    parts = [
        (max(x0, c[0] + INSET), y0, min(x1, c[2] - INSET), y1)
        for c in cells
        if c[1] <= cy <= c[3] and (min(x1, c[2]) - max(x0, c[0])) / width > 0.2
    ]
    return parts if len(parts) >= 2 else []


def split_at_cells(clean: Gray, found: Sequence[Found], cells: Sequence[PixelBox]) -> list[Found]:
    """Given a page without rulings, its detected lines and its ruled cells, return the
    lines with each one lying across cells recognised again, part by part."""
    kept: list[Found] = []
    parts = []
    for line in found:
        pieces = parts_in_cells(line[0], cells)
        if pieces:
            parts += pieces
        else:
            kept.append(line)
    crops = [clean[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1] for x0, y0, x1, y1 in parts]
    kept += [
        (box, text, score, None)
        for box, (text, score) in zip(parts, _read_crops(crops), strict=True)
        if text and score >= TEXT_SCORE
    ]
    return kept


def crop_within(gray: Gray, box: PixelBox, pad: int, cell: PixelBox) -> Gray:
    """Given a page, the box of a cell's ink, a margin and the cell, return the ink with
    that margin all round: taken from the page inside the cell (none of its lines), the
    rest filled with the paper's shade (its median; a whiter margin than scanned paper
    reads as a box, 「口」, and a wider one makes a lone 0 read as 「。」)."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = box
    left, top = max(x0 - pad, cell[0] + INSET), max(y0 - pad, cell[1] + INSET)
    right, bottom = min(x1 + pad, cell[2] - INSET), min(y1 + pad, cell[3] - INSET)
    crop = gray[top:bottom, left:right]
    if crop.size == 0:
        return gray[y0:y1, x0:x1]
    margins = (top - (y0 - pad), (y1 + pad) - bottom, left - (x0 - pad), (x1 + pad) - right)
    paper = int(np.median(crop))
    return cv2.copyMakeBorder(crop, *margins, cv2.BORDER_CONSTANT, value=paper)


def ink_crop(gray: Gray, ink: PixelBox, cell: PixelBox) -> Gray:
    """Given a page, the box of one line of a cell's ink and the cell, return the crop the
    recogniser reads: the ink with a third of its height all round (4 px at least)."""
    return crop_within(gray, ink, max(4, (ink[3] - ink[1]) // 3), cell)


def _inside(box: tuple[float, float, float, float], cell: PixelBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]


def cells_to_lines(
    gray: Gray, cells: Sequence[PixelBox], found: Sequence[Found], glyph: float, dark: float
) -> list[Found]:
    """Given an upright page without rulings, its ruled cells, the detector's recognised
    boxes and the glyph height in pixels, return the page's recognised lines with every
    cell holding one line of ink recognised from its own crop instead (the detector
    misses a lone small 「0」 and reads a faint one as 「o」; a crop holds one cell's
    text alone). Ink the recogniser cannot read is 「?」 with no confidence: printed, so
    never a blank. What the detector's lines in such a cell read is kept beside as a
    second witness. A cell of several lines (a wrapped label) keeps the detector's lines."""
    single = []
    marks_of = {}
    for cell in cells:
        marks = marks_of[cell] = ink_marks(gray, cell, glyph, dark)
        ink = bounds(marks) if marks else None
        if ink is not None and ink[3] - ink[1] <= 1.6 * glyph:
            single.append((cell, ink, is_dash(marks, glyph)))
    one_line = {cell for cell, *_ in single}
    stacked = stacked_digits(gray, [c for c in cells if c not in one_line], marks_of, glyph)
    owned = [*one_line, *(cell for cell, *_ in stacked)]
    kept = [f for f in found if not any(_inside(f[0], cell) for cell in owned)]
    for cell, (x0, y0, x1, y1), number, confidence in stacked:
        lines = sorted((f for f in found if _inside(f[0], cell)), key=lambda f: f[0][1])
        stacked_witness = "".join(f[1] for f in lines) if lines else None
        kept.append(((x0, y0, x1, y1), number, confidence, stacked_witness))
    crops = [ink_crop(gray, ink, cell) for cell, ink, _ in single]
    reads = reread_without_specks(gray, single, _read_crops(crops), marks_of, glyph)
    for (cell, (x0, y0, x1, y1), dash), (text, score) in zip(single, reads, strict=True):
        if dash:  # drawn as a flat bar: a dash, whatever the recogniser made of it
            text, score = "—", 1.0
            y0, y1 = int(y0 - glyph / 2), int(y1 + glyph / 2)
        slash = text.strip(_SPECKS) in _STROKES and is_slash(gray, marks_of[cell], dark)
        if slash:
            text, score = "/", 1.0  # one leaning stroke: a slash, though read as 「1」
        grow = 0.225 * (y1 - y0)  # as wide a margin as the detector draws round text
        box = (x0 - grow, y0 - grow, x1 + grow, y1 + grow)
        seen = [f for f in found if _inside(f[0], cell)]
        witness = "".join(f[1] for f in sorted(seen, key=lambda f: f[0][0])) if seen else None
        if slash and witness is not None and slash_witness(witness, gray, marks_of[cell], dark):
            witness = "/"  # the detector's line saw one stroke too: its lean tells which
        elif dash and witness is not None and witness.strip(_SPECKS) in _BARS:
            witness = "—"  # one stroke too: lying flat, no 1 (a 1 stands a glyph high)
        if not dash and not readable(text, marks_of[cell], glyph):
            text = ""  # a glyph misread (a 0 cut by a page break read 「n」): never a blank
        kept.append((box, text or UNREADABLE, score if text else 0.0, witness))
    return kept


def readable(text: str, marks: Sequence[PixelBox], glyph: float) -> bool:
    """Given what a cell's crop was read as, the cell's marks of ink and the glyph height,
    tell whether the reading is a reading of that ink: no cell prints letters alone
    (「n」 of a 0 cut by a page break), and a mark as tall as half a glyph is a character,
    never nothing (「.」 of a 0 in a crop a speck of dust widened)."""
    word = cleaned(text)
    if _LETTERS.fullmatch(word):
        return False
    return bool(word) or not _glyph_marks(marks, glyph)


def _glyph_marks(marks: Sequence[PixelBox], glyph: float) -> list[PixelBox]:
    return [m for m in marks if m[3] - m[1] >= 0.5 * glyph]


def _near(a: PixelBox, b: PixelBox, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def reread_without_specks(
    gray: Gray,
    single: Sequence[tuple[PixelBox, PixelBox, bool]],
    reads: list[tuple[str, float]],
    marks_of: dict[PixelBox, list[PixelBox]],
    glyph: float,
) -> list[tuple[str, float]]:
    """Given a page, its one-line cells (cell, ink box, dash), what their crops read and
    every cell's marks, return the readings with each one that read no character of a
    cell holding characters (:func:`readable`) read again from the crop of its
    characters alone: the glyph-sized marks and any within half a glyph of them (a minus
    sign, a decimal point), a speck of dust further off left out (it widened the crop
    until a lone 0 read as 「.」)."""
    again = []
    for i, ((cell, _, dash), (text, _)) in enumerate(zip(single, reads, strict=True)):
        marks = marks_of[cell]
        if dash or readable(text, marks, glyph):
            continue
        core = _glyph_marks(marks, glyph)
        core += [m for m in marks if m not in core and any(_near(m, c, glyph / 2) for c in core)]
        if core and len(core) < len(marks):
            again.append((i, ink_crop(gray, bounds(core), cell)))
    out = list(reads)
    for (i, _), read in zip(again, _read_crops([c for _, c in again]), strict=True):
        out[i] = read
    return out


def stacked_digits(
    gray: Gray, cells: Sequence[PixelBox], marks_of: dict[PixelBox, list[PixelBox]], glyph: float
) -> list[tuple[PixelBox, PixelBox, str, float]]:
    """Given an upright page without rulings, cells of more than one line of ink, their
    marks and the glyph height, return (cell, ink box, number, confidence) of those whose
    lines are digits each (a narrow cell prints 「1」 above 「0」 for 10): one number, its
    lines read top to bottom. A wrapped label or header is no such cell."""
    candidates = []
    for cell in cells:
        lines: list[PixelBox] = []
        for m in sorted(marks_of.get(cell, []), key=lambda m: m[1]):
            if lines and m[1] < lines[-1][3] - 0.2 * glyph:
                lines[-1] = bounds([lines[-1], m])
            else:
                lines.append(m)
        if 2 <= len(lines) <= 3 and all(b[2] - b[0] <= 1.3 * glyph for b in lines):
            candidates.append((cell, lines))
    crops = [ink_crop(gray, line, cell) for cell, lines in candidates for line in lines]
    reads = iter(_read_crops(crops))
    out = []
    for cell, lines in candidates:
        texts = [next(reads) for _ in lines]
        digits = [cleaned(t) for t, _ in texts]
        if all(d.isdigit() for d in digits):
            out.append((cell, bounds(lines), "".join(digits), min(c for _, c in texts)))
    return out


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: its words in points, the skew it was turned by, and its size."""

    page: int
    words: list[OcrWord]
    skew: float
    width: float
    height: float
    filled: int  # lines recognised cell by cell, less those the detector recognised
    tables: tuple[tuple[BBox, ...], ...] = ()  # the cells of each ruled table, in points
    scale: float = 1.0  # pixels per point of the image as it was given (to draw boxes on it)


def image_to_words(image: Image, page: int, scale: float) -> OcrPage:
    """Given a page image, its page number and its pixels per point, return its words
    read by OCR, in points from the top-left of the upright page."""
    import numpy as np

    given = scale
    gray = ink_of(image)
    grow = enlargement(gray)
    if grow > 1:  # text too small for the recogniser: a picture of a page at 72 dpi
        gray = resized(gray, grow)
        scale *= grow
    angle = skew_angle(gray)
    upright = deskewed(gray, angle)
    masks = ruling_mask(upright)
    tables = ruled_tables(upright, masks)
    cells = [cell for table in tables for cell in table]
    clean = without_rulings(upright, within([bounds(t) for t in tables], masks))
    lines = split_at_cells(clean, _recognise(upright, clean), cells)
    heights = [b[3] - b[1] for b, *_ in lines]
    glyph = float(np.median(heights)) * GLYPH_OF_BOX if heights else 12.0
    found = cells_to_lines(clean, cells, lines, glyph, ink_level(clean))
    page_read()
    filled = len(found) - len(lines)
    words = [
        OcrWord(_to_word(cleaned(text), x0, x1, box[1], box[3], scale, page), score, witness)
        for box, line, score, witness in found
        for text, x0, x1 in _split(line, box)
        if cleaned(text)
    ]
    h, w = upright.shape
    in_points = tuple(
        tuple((x0 / scale, y0 / scale, x1 / scale, y1 / scale) for x0, y0, x1, y1 in table)
        for table in tables
    )
    return OcrPage(page, words, angle, w / scale, h / scale, filled, in_points, given)


def scaled(page: OcrPage, factor: float) -> OcrPage:
    """Given an OCR'd page and a factor, return it with every position divided by it."""

    def word(w: Word) -> Word:
        return Word(
            w.text, w.x0 / factor, w.x1 / factor, w.top / factor, w.bottom / factor,
            w.size / factor, w.page, w.source,
        )  # fmt: skip

    return replace(
        page,
        words=[replace(w, word=word(w.word)) for w in page.words],
        width=page.width / factor,
        height=page.height / factor,
        tables=tuple(tuple(tuple(v / factor for v in c) for c in t) for t in page.tables),  # type: ignore[misc]
        scale=page.scale * factor,
    )
