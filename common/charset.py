"""A web page's text from its bytes, in GBK or UTF-8, whatever its charset declaration says.

Discovery reads listing pages with it, extraction HTML reports: trust a BOM, then take
whichever of UTF-8, GB18030 and the declared charset reads as Chinese best, so a wrong
declaration cannot produce mojibake.
"""

from __future__ import annotations

import re

# The most frequent characters of Chinese prose: the share of them tells a right
# decoding from mojibake (a GBK page read as Big5, or UTF-8 read as GBK).
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物"
    "现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
    "表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无"
    "系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基"
    "资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
    "据处理府研给信息申请报告况项办复议诉讼市县局委厅省镇街道政务"
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def declared_charset(data: bytes) -> str | None:
    """Given HTML bytes, return the charset the page declares (meta or XML prolog), lowercased."""
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def chinese_score(text: str) -> float:
    """Given decoded text, return the share of its non-ASCII characters that are common Chinese."""
    wide = [ch for ch in text if ord(ch) > 127 and not ch.isspace()]
    if not wide:
        return 1.0
    return sum(ch in _COMMON for ch in wide) / len(wide)


def decode_html(data: bytes) -> str:
    """Given HTML bytes, return the page as str, trusting a BOM, then the decoding that reads best.

    Candidates are UTF-8, GB18030 (a superset of GB2312 and GBK) and the declared
    charset; the one whose characters are most often common Chinese wins, so a
    missing or wrong declaration still decodes right. A candidate that only
    decodes with replacement characters (a stray broken byte) is penalised for them.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = declared_charset(data)
    if declared in _GB_FAMILY:
        declared = "gb18030"
    candidates = ["utf-8", "gb18030"]
    if declared and declared not in candidates:
        candidates.append(declared)
    decoded: list[tuple[float, int, int, str]] = []
    for rank, encoding in enumerate(candidates):
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            continue  # a declared charset Python does not know
        wide = sum(1 for ch in text if ord(ch) > 127) or 1
        score = chinese_score(text) - 20 * text.count("\ufffd") / wide
        # Ties go to the declared charset, then UTF-8.
        decoded.append((score, int(encoding == declared), -rank, text))
    return max(decoded)[-1]
