"""Find a report's title, agency and year in its first lines, in any format.

A title names a 政府信息公开 annual report (…信息公开…报告 / 年报) and may be wrapped
anywhere over one to three lines (「青山湖区自然资源局 2021 年政府信息公开工」 /
「作年度报告」), with the year in arabic or Chinese numerals, spaced or not, after
running headers, page numbers, 索引号/发布日期 metadata or a logo line. The agency
is the name before the year (or between the year and 政府信息公开); a title that
names none takes it from the line above (a logo or letterhead), then from the
fallbacks a reader passes: the signature block, the page <title>, the metadata.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from extract.labels import is_page_number
from extract.records import Heading
from spec.numerals import YEAR_DIGITS, YEAR_PATTERN, ZEROS, chinese_year_to_int
from spec.places import is_national, starts_with_place
from spec.prose import period_year

_YEAR = YEAR_PATTERN
_TITLE = re.compile(r"信息公开[^。；;，,]{0,12}?(?:报告|年报)")  # the end of a title
_YEAR_ONLY = re.compile(rf"(?P<year>{_YEAR})\s*(?:年度|年)")
# A page number or running footer a converter put before the heading: -1-, — 2 —, 第1页, 1/5
_PAGE_MARK = re.compile(
    r"^(?:[-—－–‐]+\s*\d{1,3}\s*[-—－–‐]+|第\s*\d{1,3}\s*页|\d{1,3}\s*/\s*\d{1,3})\s*"
)
# Sentence punctuation, a URL, or the words of a site's name or column (「XX市人民政府门户网站」,
# 「政府信息公开」) above a title: not an agency's name.
_NOT_A_NAME = re.compile(
    r"[，,。；;：:！？!?《》“”\"、…·]|https?|www\.|网站|门户|政务服务网|政府网|网$|信息公开|首页|当前位置"
)
_AGENCY_SUFFIX = re.compile(
    r"(局|委|办|院|府|厅|部|会|所|中心|政府|镇|街道|乡|室|处|队|站|馆|社|行|署|区|组|团|司)$"
)
_BARE_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,12}?(?:省|市|区|县|州|盟|旗|自治区)$")
_SECTION_HEADING = re.compile(r"^[一二三四五六][、.．]")
# No name begins with a piece of a year wrapped apart: 「0年度」, 「○二四年」, 「二四年度」, 「四年」
_YEAR_TAIL = re.compile(rf"^(?:[0-9{ZEROS}年度]|[{YEAR_DIGITS}]{{1,3}}年)")
_LEAD_WORDS = re.compile(r"^(?:关于|印发|公布)+")
_TRAIL_WORDS = re.compile(r"(?:关于|的|年度|年)+$")
NAME_FALLBACKS = ("signature", "site name")  # fallbacks that are a bare agency name
MAX_TITLE_LINES = 3
MAX_HEAD_LINES = 30  # a title sits within the first lines of the document


def normalise_line(text: str) -> str:
    """Given a line as found, return it NFKC-normalised, without spaces, markdown marks
    (# headings, **bold**) or a page mark."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text).lstrip("#")
    text = re.sub(r"\*\*|__|^[*_]+|[*_]+$", "", text)
    return _PAGE_MARK.sub("", text)


def year_of(text: str) -> int | None:
    """Given a title-like text, return the first report year it names (arabic or Chinese)."""
    m = _YEAR_ONLY.search(normalise_line(text))
    return _to_year(m.group("year")) if m else None


def _to_year(text: str) -> int:
    return int(text) if text.isdigit() else chinese_year_to_int(text)


def plausible_agency(name: str | None, strict: bool = False) -> bool:
    """Given a candidate agency name, tell whether it reads as one (no sentence, no URL);
    ``strict`` also wants an agency-like ending (局, 委员会, 人民政府, 镇 ...)."""
    if not name or not 2 <= len(name) <= 40 or _NOT_A_NAME.search(name):
        return False
    if _YEAR_TAIL.match(name):  # the end of a year wrapped apart: 「二○」 / 「二四年度民政部…」
        return False
    if not re.search(r"[\u4e00-\u9fff]", name):
        return False
    return bool(_AGENCY_SUFFIX.search(name)) if strict else True


def clean_agency(text: str) -> str:
    """Given the text around a title's year, return it as an agency name candidate."""
    text = _PAGE_MARK.sub("", text.strip("《》<>“”\"'「」【】[]()（）:："))
    return _TRAIL_WORDS.sub("", _LEAD_WORDS.sub("", text)).strip("《》“”\"'")


def title_to_heading(title: str) -> tuple[str | None, int | None]:
    """Given a title (one line, however it was wrapped), return (agency, year)."""
    end = _TITLE.search(title)
    head = title[: end.start()] if end else title
    m = _YEAR_ONLY.search(head)
    if m is None:  # 「某某局政府信息公开工作2023年度报告」, or no year at all
        name = clean_agency(head.removesuffix("政府") if end else head)
        return (name if plausible_agency(name) else None), year_of(title)
    year = _to_year(m.group("year"))
    before = clean_agency(head[: m.start()])
    if plausible_agency(before):
        return before, year
    # 「2023年度某某局政府信息公开工作年度报告」: the name follows the year
    after = clean_agency(head[m.end() :].removesuffix("政府"))
    return (after if plausible_agency(after, strict=True) else None), year


def title_windows(texts: Sequence[str]) -> list[tuple[int, int, str, str]]:
    """Given normalised first lines, return (first line, last line, title, the text before
    its year) of each one-to-three-line window that reads as a report title, before the
    body begins."""
    out = []
    for i, first in enumerate(texts):
        if _SECTION_HEADING.match(first):
            break  # the body has begun
        if not first:
            continue
        window = ""
        for j in range(i, min(i + MAX_TITLE_LINES, len(texts))):
            if j > i and (not texts[j] or _SECTION_HEADING.match(texts[j])):
                break
            window += texts[j]
            m = _TITLE.search(window)
            if m is None:
                continue
            lead = _YEAR_ONLY.search(window[: m.start()])
            lead_text = window[: lead.start()] if lead else window[: m.start()]
            if not lead_text or plausible_agency(clean_agency(lead_text)):
                out.append((i, j, window[: m.end()], clean_agency(lead_text)))
            break  # the title words sit inside a sentence: not a heading
    return out


def find_title(lines: Sequence[str]) -> tuple[str, int, int] | None:
    """Given a document's first lines, return (title, first line, last line) of the report
    title. Of the windows that end on the title's last line, the shortest wins when it
    names a whole agency (a place's body, or a national one): a letterhead or a site's
    column line above it is no part of the name. Otherwise the longest: the agency's name
    was wrapped (「青山湖」/「区自然资源局2024年…」), or stands on the line above."""
    texts = [normalise_line(t) for t in lines[:MAX_HEAD_LINES]]
    windows = title_windows(texts)
    if not windows:
        return None
    last = min(j for _, j, _, _ in windows)
    ending = sorted((w for w in windows if w[1] == last), key=lambda w: w[0])
    named = [title_to_heading(w[2])[0] for w in ending]  # before the year, or after it
    whole = [k for k, name in enumerate(named) if name and starts_with_place(name)]
    if whole:
        k = whole[-1]  # the shortest window naming a whole agency: lines above are no part
        if year_of(ending[k][2]) is None:  # unless they hold its year (and the start of its
            # name): 「2025年」 / 「某局…」, 「2020年国家税务总局」 / 「南京市税务局…」
            k = next(
                (
                    i
                    for i in reversed(range(k))
                    if year_of(ending[i][2]) and (named[i] or "").endswith(named[k] or "")
                ),
                k,
            )
        k = _with_national_parent(ending, named, k)
        for before in ending[:k]:  # unless they are its place: 「湖北省」 / 「武汉市江岸区…」
            place = "".join(texts[before[0] : ending[k][0]])
            if _BARE_PLACE.search(place) and starts_with_place(place):
                return before[2], before[0], before[1]
        return ending[k][2], ending[k][0], ending[k][1]
    for window, name in zip(ending, named, strict=True):
        if name and not plausible_agency(name, strict=True) and window is not ending[-1]:
            continue  # a site's or column's line (首都之窗, 政务公开) names no body
        return window[2], window[0], window[1]
    return ending[-1][2], ending[-1][0], ending[-1][1]


def _with_national_parent(
    ending: list[tuple[int, int, str, str]], named: list[str | None], k: int
) -> int:
    """Given the title windows ending on one line, the agency each names and the one
    chosen, return the longer window when the line above is the national body the agency
    belongs to (「国家税务总局」 / 「南京市税务局…」: one name, a vertically managed body)."""
    short = named[k] or ""
    for i in reversed(range(k)):
        name = named[i] or ""
        parent = name[: -len(short)] if short and name.endswith(short) else ""
        if parent and is_national(parent) and plausible_agency(parent, strict=True):
            return i
    return k


def lines_to_heading(lines: Sequence[str], fallbacks: Sequence[tuple[str, str]] = ()) -> Heading:
    """Given a document's first lines (in reading order) and named fallback texts (a page
    <title>, a signature line, a metadata title), return its Heading."""
    found = find_title(lines)
    title = agency = None
    year = None
    source = ""
    if found:
        title, first, last = found
        agency, year = title_to_heading(title)
        source = f"line {first + 1}" if first == last else f"lines {first + 1}-{last + 1}"
        if agency is None and first > 0:
            above = clean_agency(normalise_line(lines[first - 1]))
            if plausible_agency(above, strict=True):
                agency, title = above, above + title
                source = f"lines {first}-{last + 1}"
    for name, text in fallbacks:
        if agency is not None and year is not None:
            break
        line = normalise_line(text)
        if name in NAME_FALLBACKS:  # a bare name: the signature, a site's owner
            fb_agency = clean_agency(line) if plausible_agency(clean_agency(line), True) else None
            fb_year = None
        elif _TITLE.search(line):  # a title elsewhere: the page <title>, the metadata
            fb_agency, fb_year = title_to_heading(line)
            title = title or line
        else:
            continue
        if agency is None and fb_agency:
            agency, source = fb_agency, f"{source}; agency from {name}".lstrip("; ")
        if year is None and fb_year:
            year, source = fb_year, f"{source}; year from {name}".lstrip("; ")
    period = period_year("\n".join(lines))
    if year is None and period is not None:  # the title gives none: the statistics period
        year, source = period, f"{source}; year from the statistics period".lstrip("; ")
    return Heading(title, agency, year, source, period)


def signature_lines(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Given a document's last lines, return the signature block's agency line as a fallback:
    the line just above a date line (2025年1月18日) at the end of the document, page
    numbers between them left out (a signature a page break split from its date)."""
    texts = [t for line in lines if (t := normalise_line(line)) and not is_page_number(t)]
    for k in range(len(texts) - 1, max(len(texts) - 6, 0), -1):
        if re.fullmatch(
            rf"{_YEAR}年\d{{1,2}}月\d{{1,2}}日|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}", texts[k]
        ):
            return [("signature", texts[k - 1])] if k > 0 else []
    return []
