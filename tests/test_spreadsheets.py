"""Spreadsheets people use: names beside codes, labels beside language-neutral codes,
the API's column names, dates as text at their precision, Korean headers in Korean,
a real Excel file, and a download name by RFC 6266."""

import csv
import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from initiatives import exports, tabular
from initiatives.registry import COLLECTIONS
from tests import factories


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


def read_csv(response) -> tuple[list[str], list[dict]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def by_slug(rows, slug) -> dict:
    return next(row for row in rows if row["slug"] == slug)


def test_csv_names_party_ministries_their_countries_and_signatories(portal_data):
    url = reverse("initiatives:agreement-list")
    _header, rows = read_csv(Client().get(url, {"country": "be", "format": "csv"}))
    row = by_slug(rows, "korea-belgium-sme-startup-mou-2026")
    assert row["parties"] == "mss; belgium-ministry-middle-classes-self-employed-smes"
    assert row["parties_name"] == (
        "Ministry of SMEs and Startups; Ministry of the Middle Classes, the Self-Employed and "
        "the SMEs"
    )
    assert row["parties_country"] == "kr; be"
    assert row["parties_country_name"] == "South Korea; Belgium"
    assert row["parties_signatory_name"] == "Roh Yong-Seok; Eleonore Simonet"
    assert row["parties_signatory_title"] == "Vice Minister; Minister"
    assert (row["country"], row["country_name"]) == ("be", "Belgium")


def test_a_list_in_several_columns_keeps_its_entries_aligned(db):
    kr = factories.CountryFactory(code="kr", name="South Korea")
    be = factories.CountryFactory(code="be", name="Belgium")
    first = factories.MinistryFactory(slug="first", name="First", country=kr)
    second = factories.MinistryFactory(slug="second", name="Second", country=be)
    agreement = factories.AgreementFactory(slug="aligned", parties=[])
    factories.AgreementPartyFactory(agreement=agreement, ministry=first, order=1)
    signer = factories.PersonFactory(slug="signer", name="A Signer")
    factories.AgreementPartyFactory(
        agreement=agreement, ministry=second, order=2, signatory=signer, signatory_title="Minister"
    )
    _header, rows = read_csv(Client().get(reverse("initiatives:agreement-list"), {"format": "csv"}))
    row = by_slug(rows, "aligned")
    assert row["parties"] == "first; second"
    assert row["parties_signatory"] == "; signer"
    assert row["parties_signatory_name"] == "; A Signer"
    assert row["parties_signatory_title"] == "; Minister"


def test_codes_are_the_same_in_every_language_and_labels_follow_it(portal_data):
    url = reverse("initiatives:agreement-list")
    english_header, english = read_csv(
        Client(HTTP_ACCEPT_LANGUAGE="en").get(url, {"format": "csv"})
    )
    with translation.override("ko"):
        korean_url = reverse("initiatives:agreement-list")
    korean_header, korean = read_csv(Client().get(korean_url, {"format": "csv"}))
    assert english_header[:4] == ["url", "html_url", "slug", "name"]
    assert "종류" in korean_header and "kind" not in korean_header
    korean = [dict(zip(english_header, row.values(), strict=True)) for row in korean]
    for en_row, ko_row in zip(english, korean, strict=True):
        for code in ("slug", "kind", "status", "country", "parties", "parties_country"):
            assert en_row[code] == ko_row[code]
    en_row = by_slug(english, "korea-belgium-sme-startup-mou-2026")
    ko_row = by_slug(korean, "korea-belgium-sme-startup-mou-2026")
    assert (en_row["kind"], en_row["kind_label"]) == ("mou", "memorandum of understanding")
    assert (ko_row["kind"], ko_row["kind_label"]) == ("mou", "양해각서")
    assert ko_row["country_name"] == "벨기에"


def test_korean_headers_are_all_korean(portal_data):
    """Every header of every Korean file is translated (only codes such as 'API' stay)."""
    client = Client()
    for collection in COLLECTIONS:
        with translation.override("ko"):
            url = reverse(collection.list_route)
        header, _rows = read_csv(client.get(url, {"format": "csv"}))
        untranslated = [h for h in header if re.search("[a-z]{3}", h)]
        assert untranslated == [], collection.segment


def test_column_names_are_the_api_field_names(portal_data):
    client = Client()
    for collection in COLLECTIONS:
        header, rows = read_csv(client.get(reverse(collection.list_route), {"format": "csv"}))
        record = client.get(f"/api/{collection.segment}/").json()["results"][0]
        for column in header:
            assert column in record or any(column.startswith(f"{field}_") for field in record), (
                collection.segment,
                column,
            )


def test_the_readable_table_adds_columns_and_changes_none(portal_data):
    request = RequestFactory().get("/")
    for collection in COLLECTIONS:
        records = collection.model.objects.published().for_export()
        plain = tabular.Plan(collection.serializer, collection.model, request=request)
        readable = tabular.Plan(
            collection.serializer, collection.model, request=request, readable=True
        )
        kept = [readable.headers().index(h) for h in plain.headers()]
        assert [[row[i] for i in kept] for row in readable.rows(records)] == list(
            plain.rows(records)
        )


def test_dates_are_text_at_their_precision(portal_data):
    url = reverse("initiatives:agreement-list")
    _header, rows = read_csv(Client().get(url, {"format": "csv"}))
    row = by_slug(rows, "korea-belgium-sme-startup-mou-2026")
    assert (row["signed_on"], row["signed_on_precision"], row["signed_on_inferred"]) == (
        "2026",
        "year",
        "yes",
    )


def test_excel_file_opens_with_names_and_text_dates(portal_data):
    sheet = read_xlsx(Client().get(reverse("initiatives:agreement-list"), {"format": "xlsx"}))
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    records = [{h: cell for h, cell in zip(header, row, strict=True)} for row in rows[1:]]
    belgium = next(r for r in records if r["slug"].value == "korea-belgium-sme-startup-mou-2026")
    assert belgium["parties_signatory_name"].value == "Roh Yong-Seok; Eleonore Simonet"
    assert belgium["country_name"].value == "Belgium"
    dates = [r["signed_on"] for r in records if r["signed_on"].value is not None]
    assert {cell.data_type for cell in dates} == {"s"}
    assert {cell.number_format for cell in dates} == {"@"}
    assert {len(cell.value) for cell in dates} >= {4, 10}  # a year and a day, as text


def test_excel_text_that_looks_like_a_formula_is_a_text_cell(db):
    factories.MinistryFactory(slug="formula", name="=1+1", acronym="@SUM(1)")
    sheet = read_xlsx(Client().get(reverse("initiatives:ministry-list"), {"format": "xlsx"}))
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    row = dict(zip(header, rows[1], strict=True))
    assert (row["name"].value, row["name"].data_type) == ("=1+1", "s")
    assert (row["acronym"].value, row["acronym"].data_type) == ("@SUM(1)", "s")


def test_excel_rows_past_a_sheets_limit_go_on_in_the_next_sheet(portal_data, monkeypatch):
    """Excel opens no worksheet past 1,048,576 rows: a longer list goes on in a second
    sheet (here with the limit lowered to three rows, a header and two records)."""
    monkeypatch.setattr(exports, "SHEET_ROWS", 3)
    url = reverse("initiatives:agreement-list")
    _header, records = read_csv(Client().get(url, {"format": "csv"}))
    response = Client().get(url, {"format": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheets = [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
    assert len(sheets) == -(-len(records) // 2) > 1
    assert [sheet.title for sheet in workbook.worksheets][:2] == ["agreements", "agreements 2"]
    assert all(len(rows) <= 3 for rows in sheets)
    assert len({rows[0] for rows in sheets}) == 1  # the same header on every sheet
    slugs = [row[rows[0].index("slug")] for rows in sheets for row in rows[1:]]
    assert slugs == [record["slug"] for record in records]


def test_sheet_titles_keep_their_number_within_excels_31_characters():
    assert exports.sheet_title("a" * 40, " 12") == "a" * 28 + " 12"
    assert exports.sheet_title("[]:*?/\\", " 2") == "data 2"


def test_excel_file_has_korean_headers_in_korean(portal_data):
    with translation.override("ko"):
        url = reverse("initiatives:agreement-list")
    sheet = read_xlsx(Client().get(url, {"format": "xlsx"}))
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert "종류" in header and "서명일" in header
    assert sheet.title == "협정"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_download_name_is_ascii_beside_its_utf8_name(portal_data, file_format):
    with translation.override("ko"):
        url = reverse("initiatives:agreement-list")
    response = Client().get(url, {"format": file_format})
    disposition = response["Content-Disposition"]
    assert disposition.isascii() and "=?utf-8?" not in disposition
    kind, plain, encoded = (part.strip() for part in disposition.split(";"))
    assert kind == "attachment"
    assert plain.startswith('filename="agreements-') and plain.endswith(f'.{file_format}"')
    assert encoded.startswith("filename*=UTF-8''")
    assert unquote(encoded.removeprefix("filename*=UTF-8''")).startswith("협정-")


def test_list_page_links_to_its_excel_file_with_its_filters(portal_data):
    response = Client().get(reverse("initiatives:agreement-list"), {"country": "be", "page": "1"})
    excel = next(link for link in response.context["exports"] if link["label"] == "Excel")
    assert excel["url"] == f"{reverse('initiatives:agreement-list')}?country=be&format=xlsx"
    assert "2024-04" in response.content.decode()  # the hint on opening a CSV


def test_meeting_format_filter_still_applies_beside_format_xlsx(portal_data):
    sheet = read_xlsx(
        Client().get(reverse("initiatives:meeting-list") + "?format=hybrid&format=xlsx")
    )
    slugs = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert slugs == ["sme-globalization-strategy-meeting"]
