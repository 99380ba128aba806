"""The columns positioned tokens make: where a table's headers and values stand.

A column is where header words stand: the words above a table's first values, grouped
by the horizontal span they share (a header wrapped over lines, 社会公/益组织, is one
column), named by the template's own headers. A value belongs to the nearest column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from extract.labels import has_digit, squash
from extract.records import Problem
from extract.template.headers import (
    FURNITURE,
    PROCEEDING_WORDS,
    PROCEEDINGS,
    applicant_of_header,
    is_furniture,
    outcome_of_header,
    piece_of,
)
from extract.template.tokens import Span, Word, middles, span_of, text_of
from extract.template.tolerances import NARROW, VALUE_COLUMN
from spec import codes
from spec.kinds import TableName


def without_spanning(words: Iterable[Word]) -> list[Word]:
    """Given header words, return those that can name a column of their own."""
    return [w for w in words if not is_furniture(w.text)]


def cluster_columns(words: Sequence[Word], overlap: float = 1.0) -> list[list[Word]]:
    """Given header words, return them grouped by the horizontal span they share: a word
    joins a column it overlaps by more than ``overlap`` points (words of neighbouring
    columns may touch, the lines of one wrapped header overlap)."""
    clusters: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if clusters and w.x0 < max(v.x1 for v in clusters[-1]) - overlap:
            clusters[-1].append(w)
        else:
            clusters.append([w])
    return clusters


def column_text(words: Sequence[Word]) -> str:
    """Given a column's header words, return their text top to bottom."""
    return squash("".join(w.text for w in sorted(words, key=lambda w: (w.page, round(w.cy), w.x0))))


def nearest(x: float, centres: Sequence[float]) -> int:
    return min(range(len(centres)), key=lambda i: abs(centres[i] - x))


def value_pitch(values: Sequence[Word]) -> float | None:
    """Given the value words of a table, return the distance between neighbouring value
    columns (the median gap between the centres their words share), or None."""
    if not values:
        return None
    size = sorted(w.size for w in values)[len(values) // 2]
    centres: list[list[float]] = []
    for x in sorted(w.cx for w in values):
        if centres and x - centres[-1][-1] < VALUE_COLUMN * size:
            centres[-1].append(x)
        else:
            centres.append([x])
    mids = [sum(c) / len(c) for c in centres]
    gaps = sorted(b - a for a, b in zip(mids, mids[1:], strict=False))
    return gaps[len(gaps) // 2] if len(gaps) >= 2 else None


def narrow_words(words: Sequence[Word], pitch: float | None) -> list[Word]:
    """Given header words and the table's column pitch, return those narrow enough to head
    one column: a header spanning several (法人或其他组织, 申请人情况), however wrapped, is wider."""
    words = without_spanning(words)
    if pitch is None:
        return words
    return [w for w in words if w.x1 - w.x0 <= NARROW * pitch]


def applicant_columns(
    words: Sequence[Word], pitch: float | None = None
) -> tuple[list[Span], list[Word]] | None:
    """Given table 三's header words (and its column pitch), return where the seven
    applicant headers stand (x0, x1) in template order and the words that name them, or
    None when the header does not name them all."""
    narrow = narrow_words(words, pitch)
    found = _named_applicants(narrow)
    if set(found) != set(codes.applicants()):
        # A left-aligned spanning header wrapped over lines (「法人或其」/「他组织」) puts
        # its pieces over the columns below it and joins them: try again without them.
        found = _named_applicants([w for w in narrow if not piece_of(w.text, FURNITURE, 3)])
    if set(found) != set(codes.applicants()):
        return None
    blocks = [span_of(found[a]) for a in codes.applicants()]
    if blocks != sorted(blocks):
        return None
    return blocks, [w for c in found.values() for w in c]


_LONGEST_HEADER = 16  # 法人或其他组织 over 商业企业, wrapped: no applicant's header is longer


def _named_applicants(words: Sequence[Word]) -> dict[str, list[Word]]:
    """Given narrow header words, return applicant -> the words of the column naming it."""
    found: dict[str, list[Word]] = {}
    for cluster in cluster_columns(words):
        text = column_text(cluster)
        if len(text) > _LONGEST_HEADER:
            continue  # the row labels' column (a table with no value to bound the header)
        code = applicant_of_header(text)
        if code and code not in found:
            found[code] = cluster
    return found


def applicant_blocks(words: Sequence[Word], pitch: float | None = None) -> list[Span] | None:
    """Given table 三's header words, return where its seven applicant headers stand."""
    found = applicant_columns(words, pitch)
    return found[0] if found else None


def outcome_columns(words: Sequence[Word], pitch: float | None = None) -> list[float] | None:
    """Given table 四's header words, return its 15 outcome column centres, or None."""
    blocks = outcome_blocks(words, pitch)
    return middles(blocks) if blocks else None


_OUTCOME_WORD = 4  # the longest line of an outcome header (结果维持 尚未审结 over lines)


def outcome_blocks(words: Sequence[Word], pitch: float | None = None) -> list[Span] | None:
    """Given table 四's header words, return where each of its 15 outcome headers stands
    (x0, x1), or None."""
    if pitch is None:
        # No value to measure the columns by (a blank table 四): its short header words
        # span the fifteen columns, so a line across the page (a running header) is wider.
        short = [w for w in words if len(squash(w.text)) <= _OUTCOME_WORD]
        if len(short) >= len(codes.appeal_pairs()):
            x0, x1 = span_of(short)
            pitch = (x1 - x0) / len(codes.appeal_pairs())
    # The proceedings' headers span five columns each: every other word heads one column.
    narrow = [
        w
        for w in narrow_words(words, pitch)
        if not any(k in w.text for k in PROCEEDING_WORDS) and not piece_of(w.text, PROCEEDINGS, 2)
    ]
    columns = [c for c in cluster_columns(narrow) if outcome_of_header(column_text(c))]
    outcomes = [outcome_of_header(column_text(c)) for c in columns]
    if outcomes != list(codes.outcomes()) * len(codes.proceedings()):
        return None
    return [span_of(c) for c in columns]


def value_clusters(values: Sequence[Word], pitch: float) -> list[float]:
    """Given a table's value words and its column pitch, return the centres of the columns
    the values stand in (words whose centres lie within a third of a pitch share one)."""
    groups: list[list[float]] = []
    for x in sorted(w.cx for w in values):
        if groups and x - groups[-1][-1] < pitch / 3:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def align_columns(headers: Sequence[float], values: Sequence[Word]) -> list[float]:
    """Given the header column centres and the table's value words, return the centres to
    place values by: where the values of each column stand. Headers and values may be
    aligned differently (a header left-aligned, numbers right-aligned): the value columns
    are matched to the headers in order, all shifted alike by less than half a column, and
    a column with no value keeps its header's centre, shifted the same."""
    gaps = [b - a for a, b in zip(headers, headers[1:], strict=False)]
    if not values or not gaps:
        return list(headers)
    found = value_clusters(values, min(gaps))
    if len(found) > len(headers):
        return list(headers)
    if len(found) == len(headers):
        return found  # every column holds a value somewhere: the values say where they stand
    best: tuple[float, float, list[int]] | None = None
    # A shift of half a column or more would move values into the next column: not an
    # alignment but a misreading.
    shifts = {v - h for v in found for h in headers if abs(v - h) < min(gaps) / 2} | {0.0}
    for shift in shifts:
        cost, pairing = _pair_in_order(found, [h + shift for h in headers])
        if best is None or (cost, abs(shift)) < (best[0], abs(best[1])):
            best = (cost, shift, pairing)
    assert best is not None
    _, shift, pairing = best
    out = [h + shift for h in headers]
    for v, j in zip(found, pairing, strict=True):
        out[j] = v
    return out


def _pair_in_order(values: Sequence[float], headers: Sequence[float]) -> tuple[float, list[int]]:
    """Given value column centres and header centres (both sorted), return the least total
    distance of an order-keeping pairing of every value column with a header, and it."""
    m, n = len(values), len(headers)
    inf = float("inf")
    cost = [[inf] * n for _ in range(m)]
    back = [[-1] * n for _ in range(m)]
    for j in range(n):
        cost[0][j] = abs(values[0] - headers[j])
    for i in range(1, m):
        for j in range(i, n):
            k = min(range(i - 1, j), key=lambda k: cost[i - 1][k])
            cost[i][j] = cost[i - 1][k] + abs(values[i] - headers[j])
            back[i][j] = k
    j = min(range(n), key=lambda j: cost[m - 1][j])
    total, pairing = cost[m - 1][j], [j]
    for i in range(m - 1, 0, -1):
        j = back[i][j]
        pairing.append(j)
    return total, pairing[::-1]


def place(
    tokens: Sequence[Word],
    centres: Sequence[float],
    codes_: Sequence[str],
    problems: list[Problem],
    table: TableName,
    row: str = "",
) -> tuple[dict[str, Word], int]:
    """Given a line's value words and column centres, return the word of each column and
    how many words could not be placed (between columns, or two in one column)."""
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    reach = 0.75 * min(gaps) if gaps else float("inf")  # one column takes any value
    columns: dict[str, list[Word]] = {}
    dropped = 0
    for w in tokens:
        i = nearest(w.cx, centres)
        if abs(w.cx - centres[i]) > reach:
            problems.append(
                Problem(table, "unplaced", f"{row}value {w.text!r} lies between columns")
            )
            dropped += 1
            continue
        columns.setdefault(codes_[i], []).append(w)
    placed = {}
    for code, ws in columns.items():
        if len(ws) > 1:
            problems.append(
                Problem(table, "unplaced", f"{row}two values in column {code}: {text_of(ws)!r}")
            )
            dropped += len(ws)
        else:
            placed[code] = ws[0]
    return placed, dropped


def placement_is_guess(
    values: Sequence[Word], blocks: Sequence[Span], table: Sequence[Word]
) -> bool:
    """Given a row's values, where its header's column names stand (x0, x1) and the values
    of its whole table, tell whether placing the row by position was a guess: blanks leave
    fewer values than columns, no column of values in the table shows where each column's
    values stand, and a value stands away from its header's centre and outside its text
    (a header aligned unlike its values: a short left-aligned header, numbers at the
    right). A number under its header's text alone is certain (a header stands in its own cell),
    and a nothing mark reads blank wherever it is put."""
    centres = middles(blocks)
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    if not gaps or not 0 < len(values) < len(centres):
        return False
    if len(value_clusters(table, min(gaps))) == len(centres):
        return False
    for w in values:
        if not has_digit(w.text):
            continue  # a nothing mark (-, 无) reads blank in any column
        i = nearest(w.cx, centres)
        under = [j for j, (x0, x1) in enumerate(blocks) if w.x0 < x1 and x0 < w.x1]
        if abs(w.cx - centres[i]) > 0.1 * min(gaps) and under != [i]:
            return True
    return False
