"""The agency registry: names to GB/T 2260 regions and levels; manifest values win."""

import pytest

from transform.registry import (
    LEVELS,
    AgencyEntry,
    areas_to_regions,
    entry_of_stored,
    name_to_parts,
    normalize_spelling,
    region_of_code,
    regions,
    resolve_agency,
    six_digits,
)
from transform.zones import ZONES

NAMES = [
    ("河南省自然资源厅", "410000", "provincial", None),
    ("保定市科学技术局", "130600", "prefecture", "130000"),
    ("郑州市金水区人民政府", "410105", "county", "410100"),
    ("偃师区科学技术局", "410307", "county", "410300"),  # 偃师市 became 偃师区 in 2021
    ("新乡县教育局", "410721", "county", "410700"),
    ("石家庄市长安区人民政府办公室", "130102", "county", "130100"),
    ("北京市海淀区教育委员会", "110108", "county", "110000"),  # municipality: no prefecture
    ("上海市人民政府", "310000", "provincial", None),
    ("吉林市科学技术局", "220200", "prefecture", "220000"),  # the city, not 吉林(省)
    ("广西壮族自治区财政厅", "450000", "provincial", None),
    ("金水区丰产路街道办事处", "410105", "township", "410100"),
    ("国务院办公厅", None, "national", None),
    ("长安区人民政府", None, None, None),  # 石家庄 and 西安 both have one: ambiguous
    ("某某协会", None, None, None),
]


@pytest.mark.parametrize("name, code, level, parent", NAMES)
def test_names_resolve_to_regions_and_levels(name, code, level, parent):
    entry = resolve_agency(name)
    assert (entry.region_code, entry.level, entry.parent_region_code) == (code, level, parent)
    assert entry.name == name and entry.aliases == ()
    if code is None:
        assert (entry.agency_id, entry.id_source) == (name, "name")
    else:
        assert (entry.agency_id, entry.id_source) == (f"{code}:{entry.body}", "registry")


def test_abbreviated_name_takes_place_from_manifest_region_or_heading():
    want = AgencyEntry(
        "410307:科学技术局",
        "偃师区科学技术局",
        "410307",
        "county",
        "410300",
        ("区科技局",),
        "科学技术局",
        "registry",
    )
    assert resolve_agency("区科技局", manifest_region="410307") == want
    assert resolve_agency("区科技局", heading_name="偃师区科学技术局") == want
    # without either, the name stays as found, abbreviation spelled out
    assert resolve_agency("区科技局").name == "区科学技术局"
    # 市场监督管理局 is a department, not a bare 市 (it used to become 偃师区场监督管理局)
    assert resolve_agency("市场监督管理局", manifest_region="410307").name == (
        "偃师区市场监督管理局"
    )


def test_manifest_values_win():
    entry = resolve_agency(
        "偃师区科学技术局",
        manifest_id="410381-kjj",
        manifest_name="偃师市科学技术局",
        manifest_region="410381",  # the code before 2021, not in today's divisions
        manifest_level="county",
    )
    assert entry == AgencyEntry(
        "410381-kjj",
        "偃师市科学技术局",
        "410381",
        "county",
        "410300",
        ("偃师区科学技术局",),
        "科学技术局",
        "manifest",
        "manifest",
    )
    # a manifest region without an id: the id is that region and the body
    assert resolve_agency("偃师区科学技术局", manifest_region="410381").agency_id == (
        "410381:科学技术局"
    )
    # an ambiguous name takes the manifest's region (the name alone has none)
    assert resolve_agency("朝阳区人民政府", manifest_region="220104").agency_id == "220104:人民政府"
    assert resolve_agency("朝阳区人民政府").region_code is None
    assert (
        resolve_agency("保定市科学技术局", manifest_region="130600", manifest_level="x").level
        == "x"
    )
    # an abolished code still gets a level and parent from the code's structure
    assert resolve_agency("某局", manifest_region="410381").level == "county"


def test_regions_dataset_shape():
    codes = [r.code for r in regions()]
    assert len(codes) == len(set(codes)) > 3000
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    by_kind = {k: sum(r.kind == k for r in regions()) for k in ("province", "prefecture", "county")}
    assert by_kind["province"] == 33  # 台湾省 has no code in the dataset
    assert name_to_parts("河南省").region.code == "410000"


def test_areas_to_regions_flattens_both_shapes():
    areas = [
        {"code": "资料暂缺", "name": "台湾省", "children": []},
        {"code": "11", "name": "北京市", "children": [{"code": "110101", "name": "东城区"}]},
        {
            "code": "41",
            "name": "河南省",
            "children": [
                {
                    "code": "4101",
                    "name": "郑州市",
                    "children": [{"code": "410105", "name": "金水区"}],
                }
            ],
        },
    ]
    got = [(r.code, r.kind, r.parent_code) for r in areas_to_regions(areas)]
    assert got == [
        ("110000", "province", None),
        ("110101", "county", "110000"),
        ("410000", "province", None),
        ("410100", "prefecture", "410000"),
        ("410105", "county", "410100"),
    ]
    assert six_digits("4101") == "410100"


@pytest.mark.parametrize(
    "written, normalized",
    [
        ("-1-洪泽区人民政府", "洪泽区人民政府"),
        ("- 12 -洪泽区人民政府", "洪泽区人民政府"),
        ("—3—洪泽区人民政府", "洪泽区人民政府"),
        ("第2页共9页洪泽区人民政府", "洪泽区人民政府"),
        ("1/9洪泽区人民政府", "洪泽区人民政府"),
        ("洪泽区人民政府-1-", "洪泽区人民政府"),
        ("当前位置：首页 > 政务公开 > 年报 > 洪泽区人民政府", "洪泽区人民政府"),
        ("附件2：《洪泽区人民政府》", "洪泽区人民政府"),
        ("2024-01-31洪泽区人民政府", "洪泽区人民政府"),
        ("洪泽区\u3000人民 政府", "洪泽区人民政府"),
        ("ＡＢＣ洪泽区", "ABC洪泽区"),
        ("12345政务服务便民热线", "12345政务服务便民热线"),  # not a page number
    ],
)
def test_normalize_spelling_drops_page_furniture(written, normalized):
    assert normalize_spelling(written) == normalized


@pytest.mark.parametrize(
    "spelling, code",
    [
        ("沐阳县人民政府", "321322"),  # one look-alike edit (沐/沭) among 49 one-edit neighbours
        ("沭杨县人民政府", "321322"),  # one edit from exactly one division
        ("偃师市科学技术局", "410307"),  # renamed: 偃师市 is 偃师区 since 2021
        ("洪则区人民政府", None),  # 洪泽区, 洪山区
        ("金水县人民政府", "410105"),  # renamed suffix: the one county 金水…
        ("沐水县人民政府", None),  # one edit from 涞水县, 沁水县, 文水县 …: none a look-alike
        ("宿迁县人民政府", None),  # 宿迁 is a prefecture's stem, not a typo of 宿松县
        ("鼓楼区人民政府", None),  # a real, ambiguous name, never corrected
        ("唐山县人民政府", None),  # 唐山 is 唐山市's stem
    ],
)
def test_near_misses_resolve_only_to_exactly_one_division(spelling, code):
    entry = resolve_agency(spelling)
    assert entry.region_code == code
    if code:
        assert entry.aliases == (spelling,) and entry.name != spelling


@pytest.mark.parametrize("zone", ZONES, ids=lambda z: z.name)
def test_listed_zones_resolve_to_their_code_with_their_source(zone):
    assert region_of_code(zone.region_code) is not None
    assert zone.relation in ("administers", "own_code", "parent") and zone.source
    for spelling in (zone.name, *zone.spellings):
        for written in (spelling, spelling + "管委会", spelling + "管理委员会"):
            entry = resolve_agency(written)
            assert (entry.agency_id, entry.level) == (
                f"{zone.region_code}:{zone.name}管理委员会",
                "zone",
            ), written
    dept = resolve_agency(zone.name + "经济发展局")
    assert (dept.agency_id, dept.level) == (f"{zone.region_code}:{zone.name}经济发展局", "zone")


def test_levels_are_the_documented_set():
    assert LEVELS == ("national", "provincial", "prefecture", "county", "township", "zone")
    got = {resolve_agency(n).level for n, *_ in NAMES if resolve_agency(n).level}
    assert got <= set(LEVELS)


def test_stored_agency_is_re_resolved_with_its_region_as_a_manifest_would_give_it():
    # an id keyed by name before: the region code stored with it picks the division
    assert entry_of_stored("朝阳区人民政府", "110105", "county", "document").agency_id == (
        "110105:人民政府"
    )
    assert entry_of_stored("-1-洪泽区人民政府", None, None, None).agency_id == "320813:人民政府"
    kept = entry_of_stored("偃师市科学技术局", "410381", "county", "manifest")
    assert (kept.agency_id, kept.name) == ("410381:科学技术局", "偃师市科学技术局")
