"""One agency, one identity: real-world spellings of the same place and body share one id.

Each row: a spelling as found in report titles, headings and manifests, the region code
and level it must resolve to, and a group; spellings of one group are one agency (one
id), different groups are different agencies.
"""

from collections import defaultdict

import pytest

from transform.registry import resolve_agency

SPELLINGS = [
    # a county government: place prefixes, page numbers, running headers, spacing, width
    ("洪泽区人民政府", "320813", "county", "hongze"),
    ("淮安市洪泽区人民政府", "320813", "county", "hongze"),
    ("江苏省淮安市洪泽区人民政府", "320813", "county", "hongze"),
    ("江苏淮安洪泽区人民政府", "320813", "county", "hongze"),
    ("-1-洪泽区人民政府", "320813", "county", "hongze"),
    ("－１－洪泽区人民政府", "320813", "county", "hongze"),  # full-width page number
    ("— 2 —洪泽区人民政府", "320813", "county", "hongze"),
    ("附件1：洪泽区人民政府", "320813", "county", "hongze"),
    ("洪泽区 人民政府", "320813", "county", "hongze"),
    ("洪泽区政府", "320813", "county", "hongze"),
    ("洪泽区", "320813", "county", "hongze"),  # a bare place is its government
    ("洪泽县人民政府", "320813", "county", "hongze"),  # 洪泽县 became 洪泽区 in 2016
    # its prefecture's government and general office
    ("淮安市人民政府", "320800", "prefecture", "huaian"),
    ("-1-淮安市人民政府", "320800", "prefecture", "huaian"),
    ("首页>政务公开>淮安市人民政府", "320800", "prefecture", "huaian"),
    ("江苏省淮安市人民政府", "320800", "prefecture", "huaian"),
    ("淮安市人民政府办公室", "320800", "prefecture", "huaian-office"),
    ("淮安市政府办公室", "320800", "prefecture", "huaian-office"),
    ("淮安市政府办", "320800", "prefecture", "huaian-office"),
    # departments and their abbreviations
    ("洪泽区科学技术局", "320813", "county", "hongze-kjj"),
    ("淮安市洪泽区科技局", "320813", "county", "hongze-kjj"),
    ("保定市科学技术局", "130600", "prefecture", "baoding-kjj"),
    ("保定市科技局", "130600", "prefecture", "baoding-kjj"),
    ("河北省保定市科学技术局", "130600", "prefecture", "baoding-kjj"),
    ("上海市科学技术委员会", "310000", "provincial", "shanghai-kw"),
    ("上海市科委", "310000", "provincial", "shanghai-kw"),
    ("上海科委", "310000", "provincial", "shanghai-kw"),
    ("河南省发展和改革委员会", "410000", "provincial", "henan-fgw"),
    ("河南省发改委", "410000", "provincial", "henan-fgw"),
    ("河南省发展改革委", "410000", "provincial", "henan-fgw"),
    ("郑州市住房和城乡建设局", "410100", "prefecture", "zz-zjj"),
    ("郑州市住建局", "410100", "prefecture", "zz-zjj"),
    ("郑州市金水区人力资源和社会保障局", "410105", "county", "jinshui-rsj"),
    ("金水区人社局", "410105", "county", "jinshui-rsj"),
    ("开封市市场监督管理局", "410200", "prefecture", "kaifeng-scj"),
    ("开封市市场监管局", "410200", "prefecture", "kaifeng-scj"),
    ("北京市海淀区教育委员会", "110108", "county", "haidian-jw"),
    ("北京市海淀区教委", "110108", "county", "haidian-jw"),
    ("四川省成都市司法局", "510100", "prefecture", "chengdu-sfj"),
    ("成都市司法局", "510100", "prefecture", "chengdu-sfj"),
    ("广西壮族自治区财政厅", "450000", "provincial", "guangxi-czt"),
    ("广西财政厅", "450000", "provincial", "guangxi-czt"),
    ("河南省人民政府办公厅", "410000", "provincial", "henan-office"),
    ("河南省政府办公厅", "410000", "provincial", "henan-office"),
    ("吉林市科学技术局", "220200", "prefecture", "jilin-city-kjj"),  # the city, not 吉林(省)
    ("吉林省科学技术厅", "220000", "provincial", "jilin-kjt"),
    ("济源市人民政府", "419001", "county", "jiyuan"),  # county-level, under the province
    # near misses: one character from exactly one division (or one look-alike)
    ("沭阳县人民政府", "321322", "county", "shuyang"),
    ("沐阳县人民政府", "321322", "county", "shuyang"),  # the source's own misprint
    ("宿迁市沭阳县人民政府", "321322", "county", "shuyang"),
    ("郑州市人民政府", "410100", "prefecture", "zhengzhou"),
    ("郑洲市人民政府", "410100", "prefecture", "zhengzhou"),
    ("河南省郑州市人民政府", "410100", "prefecture", "zhengzhou"),
    ("洪则区人民政府", None, None, "hongze-typo"),  # 洪泽区 and 洪山区: two candidates, none
    ("淮按市人民政府", None, None, "huaian-typo"),  # 淮安, 淮南, 淮北
    ("宿迁县人民政府", None, None, "suqian-county"),  # 宿迁 is 宿迁市: not 宿松县
    # ambiguous names: only a prefix says which
    ("朝阳区人民政府", None, None, "chaoyang"),
    ("北京市朝阳区人民政府", "110105", "county", "beijing-chaoyang"),
    ("长春市朝阳区人民政府", "220104", "county", "changchun-chaoyang"),
    ("鼓楼区人民政府", None, None, "gulou"),  # never "corrected" to 钟楼区
    # townships
    ("淮安市洪泽区高良涧街道办事处", "320813", "township", "gaoliangjian"),
    ("洪泽区高良涧街道", "320813", "township", "gaoliangjian"),
    ("洪泽区人民政府高良涧街道办事处", "320813", "township", "gaoliangjian"),
    ("洪泽区岔河镇人民政府", "320813", "township", "chahe"),
    ("洪泽区岔河镇政府", "320813", "township", "chahe"),
    ("金水区丰产路街道办事处", "410105", "township", "fengchanlu"),
    ("郑州市金水区丰产路街道办事处", "410105", "township", "fengchanlu"),
    # zones: the division they administer, else their parent's code
    ("平潭综合实验区", "350128", "zone", "pingtan"),
    ("平潭综合实验区管委会", "350128", "zone", "pingtan"),
    ("平潭综合实验区管理委员会", "350128", "zone", "pingtan"),
    ("福建省平潭综合实验区管理委员会", "350128", "zone", "pingtan"),
    ("平潭县人民政府", "350128", "county", "pingtan-county"),  # another body, same code
    ("苏州工业园区管理委员会", "320500", "zone", "suzhou-sip"),
    ("苏州工业园区管委会", "320500", "zone", "suzhou-sip"),
    ("江苏省苏州工业园区管理委员会", "320500", "zone", "suzhou-sip"),
    ("雄安新区管理委员会", "130000", "zone", "xiongan"),
    ("河北雄安新区管理委员会", "130000", "zone", "xiongan"),
    ("两江新区管委会", "500157", "zone", "liangjiang"),
    ("重庆两江新区管理委员会", "500157", "zone", "liangjiang"),
    ("郑州航空港经济综合实验区管理委员会", "410100", "zone", "zz-airport"),
    ("郑州航空港区管委会", "410100", "zone", "zz-airport"),
    ("陕西省西咸新区管理委员会", "610100", "zone", "xixian"),
    ("西咸新区管委会", "610100", "zone", "xixian"),
    ("郑州高新技术产业开发区管理委员会", "410100", "zone", "zz-hitech"),
    ("郑州高新区管委会", "410100", "zone", "zz-hitech"),
    ("郑州市高新区管委会", "410100", "zone", "zz-hitech"),
    ("洪泽经济开发区管委会", "320813", "zone", "hongze-kfq"),
    # new areas that are districts in GB/T 2260: plain counties
    ("上海市浦东新区人民政府", "310115", "county", "pudong"),
    ("浦东新区人民政府", "310115", "county", "pudong"),
    ("天津市滨海新区人民政府", "120116", "county", "binhai"),
    ("滨海新区政府", "120116", "county", "binhai"),
    # national bodies: no region
    ("国务院办公厅", None, "national", "gwyb"),
    ("国家发展和改革委员会", None, "national", "ndrc"),
    ("国家发改委", None, "national", "ndrc"),
    ("教育部", None, "national", "moe"),
    ("中华人民共和国教育部", None, "national", "moe"),
]


def test_the_table_is_large_and_covers_every_level():
    assert len(SPELLINGS) >= 60
    levels = {level for _, _, level, _ in SPELLINGS}
    assert levels == {"national", "provincial", "prefecture", "county", "township", "zone", None}


@pytest.mark.parametrize("spelling, code, level, group", SPELLINGS)
def test_spelling_resolves_to_region_and_level(spelling, code, level, group):
    entry = resolve_agency(spelling)
    assert (entry.region_code, entry.level) == (code, level)


def test_spellings_of_one_body_share_one_id_and_others_do_not():
    ids = defaultdict(set)
    for spelling, _, _, group in SPELLINGS:
        ids[group].add(resolve_agency(spelling).agency_id)
    assert {g: len(v) for g, v in ids.items() if len(v) != 1} == {}
    owners = defaultdict(set)
    for group, (agency_id,) in ids.items():
        owners[agency_id].add(group)
    assert {i: g for i, g in owners.items() if len(g) != 1} == {}


def test_ids_are_region_and_body():
    got = {
        s: resolve_agency(s).agency_id
        for s in (
            "淮安市洪泽区人民政府",
            "淮安市政府办",
            "上海市科委",
            "洪泽区高良涧街道",
            "平潭综合实验区",
            "郑州市高新区管委会",
            "朝阳区人民政府",
            "国家发改委",
        )
    }
    assert got == {
        "淮安市洪泽区人民政府": "320813:人民政府",
        "淮安市政府办": "320800:人民政府办公室",
        "上海市科委": "310000:科学技术委员会",
        "洪泽区高良涧街道": "320813:高良涧街道办事处",
        "平潭综合实验区": "350128:平潭综合实验区管理委员会",
        "郑州市高新区管委会": "410100:高新技术产业开发区管理委员会",
        "朝阳区人民政府": "朝阳区人民政府",  # no region: the canonical name
        "国家发改委": "国家发展和改革委员会",
    }


@pytest.mark.parametrize(
    "spelling, name",
    [
        ("-1-洪泽区人民政府", "洪泽区人民政府"),
        ("江苏淮安洪泽区人民政府", "江苏省淮安市洪泽区人民政府"),
        ("上海科委", "上海市科学技术委员会"),
        ("沐阳县人民政府", "沭阳县人民政府"),
        ("洪泽县人民政府", "洪泽区人民政府"),
        ("平潭综合实验区", "平潭综合实验区管理委员会"),
        ("郑州高新区管委会", "郑州高新技术产业开发区管理委员会"),
        ("洪泽区人民政府高良涧街道办事处", "洪泽区高良涧街道办事处"),
        ("中华人民共和国教育部", "教育部"),
    ],
)
def test_every_other_spelling_is_kept_as_an_alias(spelling, name):
    entry = resolve_agency(spelling)
    assert (entry.name, entry.aliases) == (name, (spelling,))
