"""Word markup the generator does not write: tracked changes, tab stops, content controls, gridBefore."""

import io

import pytest
from docx import Document
from docx.oxml import parse_xml

from extract.docx import body_to_rows, docx_to_document, format_number

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def docx_with_body(*blocks: str) -> bytes:
    document = Document()
    body = document.element.body
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(block))  # before the final sectPr
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_paragraph_quirks_read_as_written():
    data = docx_with_body(
        f'<w:p {W}><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>'
        "<w:r><w:t>一、总体</w:t></w:r><w:r><w:t>情况</w:t></w:r></w:p>",
        f"<w:p {W}><w:del><w:r><w:delText>旧文字</w:delText></w:r></w:del>"
        '<w:ins><w:r><w:t xml:space="preserve">新收 </w:t></w:r></w:ins>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        "<w:r><w:t>12</w:t><w:tab/><w:t>件</w:t></w:r></w:p>",
        f'<w:p {W} {MC}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
    )
    rows = body_to_rows(docx_to_document(data).element.body)
    assert [r.texts for r in rows] == [["一、总体情况"], ["新收 12 件"], ["文本框"]]


def test_table_merges_grid_before_and_content_controls():
    merged = '<w:gridSpan w:val="2"/>'
    restart = '<w:vMerge w:val="restart"/>'
    data = docx_with_body(
        f"<w:tbl {W}><w:tblGrid/>"
        f"<w:tr>{tc('（三）不予公开', restart)}{tc('1.属于国家秘密')}{tc('3')}</w:tr>"
        f"<w:tr>{tc('', '<w:vMerge/>')}{tc('2.其他法律行政法规禁止公开')}"
        f"<w:sdt><w:sdtContent>{tc('4')}</w:sdtContent></w:sdt></w:tr>"
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc("总计", merged)}</w:tr>'
        "</w:tbl>"
    )
    rows = body_to_rows(docx_to_document(data).element.body)
    assert [r.texts for r in rows] == [
        ["（三）不予公开", "1.属于国家秘密", "3"],
        ["", "2.其他法律行政法规禁止公开", "4"],
        ["", "总计", ""],
    ]
    assert all(r.is_table for r in rows)


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "japaneseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"),
        (23, "chineseCounting", "二十三"),
        (7, "decimal", "7"),
        (12, "decimalFullWidth", "１２"),
        (2, "lowerLetter", "b"),
    ],
)
def test_list_numbers_as_word_shows_them(n, fmt, text):
    assert format_number(n, fmt) == text
