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
