"""sources/resolve.py: manifest rows with url, path or listing_url."""

from sources.resolve import is_manifest, resolve_sources


def test_manifest_rows_to_items(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("x", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "listing_url,url,path,agency_id,year\n"
        "https://www.example.gov.cn/ndbg/index.html,,,jia,\n"
        ",https://www.example.gov.cn/f/2023.pdf,,yi,2023\n"
        ",,r.txt,bing,2022\n"
        ",,,ding,2021\n",
        encoding="utf-8",
    )
    assert is_manifest(manifest)
    items = resolve_sources([str(manifest)])
    assert [(i.uri, i.kind, i.url, i.path, i.overrides) for i in items[:3]] == [
        (
            "https://www.example.gov.cn/ndbg/index.html",
            "listing",
            "https://www.example.gov.cn/ndbg/index.html",
            None,
            {"agency_id": "jia"},
        ),
        (
            "https://www.example.gov.cn/f/2023.pdf",
            "document",
            "https://www.example.gov.cn/f/2023.pdf",
            None,
            {"agency_id": "yi", "year": 2023},
        ),
        (str(report), "document", None, report, {"agency_id": "bing", "year": 2022}),
    ]
    assert (items[3].uri, items[3].error.code, items[3].error.detail) == (
        f"{manifest}#L5",
        "bad_manifest",
        "line 5: none of url, path, listing_url",
    )


def test_listing_only_manifest_is_a_manifest(tmp_path):
    manifest = tmp_path / "only.csv"
    manifest.write_text("listing_url\nhttps://x.gov.cn/ndbg/\n", encoding="utf-8")
    assert [(i.uri, i.kind) for i in resolve_sources([str(manifest)])] == [
        ("https://x.gov.cn/ndbg/", "listing")
    ]


def test_scope_says_what_the_agency_fields_name(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "listing_url,agency_id,agency_name,region_code,level,year,scope\n"
        "https://a.gov.cn/nb/,,新乡县人民政府,410721,county,,portal\n"
        "https://b.gov.cn/nb/,jia,测试市甲局,,,2023,agency\n"
        "https://c.gov.cn/nb/,yi,,,,,\n"
        "https://d.gov.cn/nb/,,,,,,county\n",
        encoding="utf-8",
    )
    items = resolve_sources([str(manifest)])
    # a portal's agency fields name the portal: its reports keep only the region and year
    assert [(i.uri, i.overrides, i.portal) for i in items[:3]] == [
        ("https://a.gov.cn/nb/", {"region_code": "410721"}, "新乡县人民政府"),
        (
            "https://b.gov.cn/nb/",
            {"agency_id": "jia", "agency_name": "测试市甲局", "year": 2023},
            None,
        ),
        ("https://c.gov.cn/nb/", {"agency_id": "yi"}, None),
    ]
    assert (items[3].error.code, items[3].error.detail) == (
        "bad_manifest",
        "line 5: scope 'county' is not one of agency, portal",
    )
    found = items[0].discovered("https://a.gov.cn/nb/1.html", "https://a.gov.cn/nb/", "article")
    assert (found.uri, found.kind, found.found_via, found.overrides, found.portal) == (
        "https://a.gov.cn/nb/1.html",
        "article",
        "https://a.gov.cn/nb/",
        {"region_code": "410721"},
        "新乡县人民政府",
    )
