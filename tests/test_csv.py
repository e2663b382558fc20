"""CSV of any filtered list: the page's rows, all of them, streamed, Excel-ready and safe."""

import csv
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from rest_framework import serializers

from initiatives import tabular
from initiatives.api.serializers import CountrySerializer, PartialDateField
from initiatives.exports import FORMULA_STARTS, neutralise, neutralised
from initiatives.models import Country, Ministry, SupportCase
from initiatives.registry import COLLECTIONS
from tests import factories


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


def csv_body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return raw.decode("utf-8-sig")


def csv_rows(client, url, params=None) -> list[dict]:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(csv_body(response), newline="")))


def page_slugs(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return [getattr(r, "slug", None) or r.code for r in response.context["paginator"].object_list]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/en/agreements/", {"country": "be"}),
        ("/en/agreements/", {"ministry": "mss", "date_from": "2024"}),
        ("/en/ministries/", {"q": "MoFA"}),
        ("/en/councils/", {"q": "overseas consultative bodies"}),
        ("/en/meetings/", {"country": "kr", "sort": "held_on"}),
        ("/en/support-cases/", {}),
        ("/en/organizations/", {"kind": "mission"}),
        ("/en/people/", {"q": "Oh Young-joo"}),
        ("/en/programs/", {"date_from": "2025"}),
        ("/en/sources/", {}),
        ("/en/countries/", {}),
    ],
)
def test_csv_holds_the_rows_the_page_lists(client, portal_data, url, params):
    rows = csv_rows(client, url, {**params, "format": "csv"})
    key = "code" if url == "/en/countries/" else "slug"
    assert [row[key] for row in rows] == page_slugs(client, url, params)
    assert all(row["url"].startswith("http://testserver/") for row in rows)


def test_csv_holds_every_matching_row_not_one_page(client, db):
    for i in range(60):
        factories.MinistryFactory(slug=f"ministry-{i:02d}", country_code="be")
    factories.MinistryFactory(slug="elsewhere", country_code="fr")
    page = client.get("/en/ministries/", {"country": "be"})
    assert len(page.context["object_list"]) == 25
    rows = csv_rows(client, "/en/ministries/", {"country": "be", "format": "csv", "page": "2"})
    assert len(rows) == 60
    assert "elsewhere" not in {row["slug"] for row in rows}


def test_korean_text_round_trips(client, db):
    factories.MinistryFactory(
        slug="mss", name="Ministry of SMEs and Startups", name_ko="중소벤처기업부"
    )
    factories.CountryFactory(code="kr", name="South Korea")
    rows = csv_rows(client, "/en/ministries/", {"format": "csv"})
    assert rows[0]["name_ko"] == "중소벤처기업부"


def test_korean_text_of_the_portal_data_round_trips(client, portal_data):
    rows = csv_rows(client, "/en/countries/", {"format": "csv"})
    assert {"code": "kr", "name_ko": "대한민국"}.items() <= next(
        row for row in rows if row["code"] == "kr"
    ).items()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain name", "Plain name"),
        ("2024-04", "2024-04"),
        (None, ""),
        # Full-width signs, which some spreadsheets read as the ASCII ones.
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1+2", "'－1+2"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        # A formula after a separator a spreadsheet may split the cell at.
        (";=cmd|' /C calc'!A0", "';'=cmd|' /C calc'!A0"),
        ("a,=1", "'a,'=1"),
        ("a; -2+3", "'a; '-2+3"),
        ("a\t@SUM(A1)", "'a\t'@SUM(A1)"),
        ("first line\n=1+1", "'first line\n'=1+1"),
        ("Seoul, Korea", "Seoul, Korea"),
        ("Oh Young-joo; MSS", "Oh Young-joo; MSS"),
        (" =1+1", "' =1+1"),
        # Numbers stay numbers, negative ones too.
        ("-1250.50", "-1250.50"),
        (Decimal("-3.5"), "-3.5"),
        (-7, "-7"),
        (2500000, "2500000"),
    ],
)
def test_formula_cells_are_neutralised(value, cell):
    assert neutralise(value) == cell


NEUTRALISED = [
    '=HYPERLINK("http://x")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "Plain name",
    "2024-04",
    None,
    "",
    "＝1+1",
    "＋1",
    "－1+2",
    "＠SUM(A1)",
    ";=cmd",
    "a,=1",
    "a; -2+3",
    "a\t@SUM(A1)",
    "first line\n=1+1",
    "Seoul, Korea",
    "Oh Young-joo; MSS",
    " =1+1",
    "-1250.50",
    Decimal("-3.5"),
    -7,
    2500000,
    True,
    "x\x1f=1",
    "a;  +b",
    "  -",
    "ok\n",
]


def test_a_record_is_written_as_its_cells_neutralised_one_by_one():
    """The CSV checks a record's cells at once and neutralises them one by one only when
    that check finds something: it must find every cell ``neutralise`` would change."""

    def line(cells):
        out = io.StringIO()
        csv.writer(out).writerow(cells)
        return out.getvalue()

    records = [[value] for value in NEUTRALISED]
    records += [["Plain name", value, 3] for value in NEUTRALISED]
    records += [[value, other] for value in NEUTRALISED for other in NEUTRALISED]
    for cells in records:
        assert line(neutralised(cells)) == line([neutralise(v) for v in cells]), cells


def test_no_separator_a_spreadsheet_may_split_at_leaves_a_formula_cell(client, db):
    factories.MinistryFactory(slug="split", name="Ministry;=cmd|' /C calc'!A0", acronym="a,=1")
    factories.MinistryFactory(slug="wide", name="＝1+1", acronym="Seoul, Korea", note="x\t@A1")
    text = csv_body(client.get("/en/ministries/", {"format": "csv"}))
    for separator in [",", ";", "\t"]:
        # As a spreadsheet reads the file with that separator (a ";" locale, say).
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            for cell in row:
                assert not cell.lstrip(' "').startswith(FORMULA_STARTS), (separator, cell)
    rows = {row["slug"]: row for row in csv_rows(client, "/en/ministries/", {"format": "csv"})}
    assert rows["split"]["name"] == "'Ministry;'=cmd|' /C calc'!A0"
    assert rows["split"]["acronym"] == "'a,'=1"
    assert rows["wide"]["name"] == "'＝1+1"
    assert rows["wide"]["acronym"] == "Seoul, Korea"
    assert rows["wide"]["note"] == "'x\t'@A1"


def test_a_budget_keeps_its_number(client, db):
    factories.ProgramFactory(
        slug="funded", budget_amount=Decimal("-1250.50"), budget_currency="KRW"
    )
    rows = {row["slug"]: row for row in csv_rows(client, "/en/programs/", {"format": "csv"})}
    assert rows["funded"]["budget_amount"] == "-1250.50"


def test_formula_names_are_neutralised_in_the_file(client, db):
    factories.MinistryFactory(slug="formula", name="=cmd|' /C calc'!A0", acronym="@SUM(1)")
    factories.MinistryFactory(slug="plus", name="+31 ministry", note="")
    rows = {row["slug"]: row for row in csv_rows(client, "/en/ministries/", {"format": "csv"})}
    assert rows["formula"]["name"] == "'=cmd|' /C calc'!A0"
    assert rows["formula"]["acronym"] == "'@SUM(1)"
    assert rows["plus"]["name"] == "'+31 ministry"


def test_meeting_format_filter_still_applies_beside_format_csv(client, portal_data):
    rows = csv_rows(client, "/en/meetings/?format=hybrid&format=csv")
    assert [row["slug"] for row in rows] == page_slugs(
        client, "/en/meetings/", {"format": "hybrid"}
    )
    assert [row["slug"] for row in rows] == ["sme-globalization-strategy-meeting"]


def test_bad_filter_gets_a_400_naming_it(client, portal_data):
    response = client.get("/en/agreements/", {"country": "zz", "format": "csv"})
    assert response.status_code == 400
    assert "zz" in response.content.decode()


def test_list_page_links_to_its_csv_with_its_filters(client, portal_data):
    html = client.get("/en/agreements/", {"country": "be", "page": "1"}).content.decode()
    assert 'href="/en/agreements/?country=be&amp;format=csv"' in html


def test_drafts_and_staff_fields_never_reach_the_csv(client, portal_data):
    mss = Ministry.objects.get(slug="mss")
    hidden = factories.MinistryFactory(slug="draft-ministry", is_published=False)
    factories.AgreementFactory(slug="draft-agreement", parties=(mss,), is_published=False)
    factories.AgreementFactory(slug="public-agreement", parties=(mss, hidden))
    factories.SupportCaseFactory(
        slug="noted", staff_notes="STAFF-NOTE", staff_contacts="STAFF-CONTACT"
    )
    SupportCase.objects.update(staff_notes="STAFF-NOTE", staff_contacts="STAFF-CONTACT")
    for url in ["/en/agreements/", "/en/ministries/", "/en/support-cases/", "/en/organizations/"]:
        text = csv_body(client.get(url, {"format": "csv"}))
        for secret in ["draft-agreement", "draft-ministry", "STAFF-NOTE", "STAFF-CONTACT"]:
            assert secret not in text, (url, secret)
    header = csv_body(client.get("/en/support-cases/", {"format": "csv"})).splitlines()[0]
    assert "staff" not in header


def test_csv_reads_a_fixed_number_of_queries_however_many_rows(
    client, db, django_assert_max_num_queries
):
    factories.portal_world(size=2, prefix="a")
    with django_assert_max_num_queries(30) as small:
        b"".join(client.get("/en/agreements/", {"format": "csv"}).streaming_content)
    factories.portal_world(size=6, prefix="b")
    with django_assert_max_num_queries(len(small.captured_queries)):
        b"".join(client.get("/en/agreements/", {"format": "csv"}).streaming_content)


# A table says what the serializer says ------------------------------------------------


def serialized_cells(serializer_class, records, request) -> list[list]:
    """Each record's cells as the serializer gives the record, laid flat by hand: the
    reference the fast table (initiatives/tabular.py) is held to."""
    serializer = serializer_class(context={"request": request})
    rows = []
    for data in serializer_class(records, many=True, context={"request": request}).data:
        cells = []
        for name, field in serializer.fields.items():
            value = data[name]
            if isinstance(field, PartialDateField):
                cells += [
                    (value or {}).get("value", ""),
                    (value or {}).get("precision", ""),
                    "yes" if (value or {}).get("inferred") else "",
                ]
            elif isinstance(field, serializers.ListSerializer):
                keys = list(getattr(field.child.Meta, "tabular", {}).values())
                entries = [{key: entry[key] for key in keys} for entry in value]
                for key in keys:
                    cells.append(tabular.joined_column(entries, key, keys))
            elif isinstance(field, serializers.Serializer):
                cells += ["" if value is None else tabular.cell(value[key]) for key in field.fields]
            else:
                cells.append(tabular.cell(value))
        rows.append(cells)
    return rows


def test_every_collections_table_says_what_its_serializer_says(client, portal_data):
    from tests.test_draft_canary import add_drafts, chosen

    add_drafts(chosen())  # links to drafts must read as absent in both
    request = RequestFactory().get("/")
    for serializer_class, records in [
        *((c.serializer, c.model.objects.published().for_export()) for c in COLLECTIONS),
        (CountrySerializer, Country.objects.filter(code__in=["kr", "be"]).for_export()),
    ]:
        plan = tabular.Plan(serializer_class, records.model, request=request)
        fast = [[tabular.cell(value) for value in row] for row in plan.rows(records)]
        assert len(plan.headers()) == len(fast[0])
        assert fast == serialized_cells(serializer_class, records, request), records.model
