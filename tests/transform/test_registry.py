"""The agency registry: names to GB/T 2260 regions and levels; manifest values win."""

import pytest

from transform.registry import (
    AgencyEntry,
    areas_to_regions,
    name_to_region,
    regions,
    resolve_agency,
    six_digits,
)


@pytest.mark.parametrize(
    "name, code, level, parent",
    [
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
    ],
)
def test_names_resolve_to_regions_and_levels(name, code, level, parent):
    entry = resolve_agency(name)
    assert (entry.region_code, entry.level, entry.parent_region_code) == (code, level, parent)
    assert entry.name == entry.agency_id == name and entry.aliases == ()


def test_abbreviated_name_takes_place_from_manifest_region_or_heading():
    want = AgencyEntry(
        "偃师区科学技术局", "偃师区科学技术局", "410307", "county", "410300", ("区科技局",)
    )
    assert resolve_agency("区科技局", manifest_region="410307") == want
    assert resolve_agency("区科技局", heading_name="偃师区科学技术局") == AgencyEntry(
        "偃师区科学技术局",
        "偃师区科学技术局",
        "410307",
        "county",
        "410300",
        ("区科技局",),
    )
    # without either, the name stays as found, abbreviation spelled out
    assert resolve_agency("区科技局").name == "区科学技术局"


def test_manifest_values_win():
    entry = resolve_agency(
        "偃师区科学技术局",
        manifest_id="410381-kjj",
        manifest_name="偃师市科学技术局",
        manifest_region="410381",  # the code before 2021, not in today's divisions
        manifest_level="county",
    )
    assert entry == AgencyEntry(
        "410381-kjj", "偃师市科学技术局", "410381", "county", "410300", ("偃师区科学技术局",)
    )
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
    assert name_to_region("河南省").code == "410000"


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
