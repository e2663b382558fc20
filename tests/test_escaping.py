"""What an editor types is shown as text, never run: on every page, feed, export and API.

Every text field of every record holds markup and script; the whole public site is
then walked and each response read the way its consumer reads it.
"""

import csv
import html
import io
import json
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.test import Client

from initiatives.models import Agreement, Ministry
from tests import factories
from tests.site_walk import body, path_key, walk

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{ATTRIBUTE_BREAKOUT}"
# What would run if a payload reached a browser as markup.
LIVE_MARKUP = ("<script>alert(1)", "<img src=x onerror")
# Fields whose values are codes or addresses, with their own validation.
NOT_FREE_TEXT = {"slug", "code", "language", "content_hash", "text_file", "currency", "url"}


def poison_every_text_field() -> int:
    """Prefix every free-text value in the portal with the payload; how many fields took it."""
    poisoned = 0
    for model in apps.get_app_config("initiatives").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if (
                not isinstance(field, models.CharField | models.TextField)
                or field.choices
                or field.primary_key
                or field.name in NOT_FREE_TEXT
                or isinstance(field, models.URLField | models.EmailField | models.SlugField)
            ):
                continue
            for row in model.objects.all():
                value = f"{PAYLOAD} {getattr(row, field.name)}"
                if field.max_length:
                    value = value[: field.max_length]
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=row.pk).update(**{field.name: value})
                    poisoned += 1
                except IntegrityError:
                    pass  # a unique or check constraint; the other rows carry the payload
    return poisoned


@pytest.fixture
def hostile_world(db):
    world = factories.portal_world(size=2, prefix="x")
    assert poison_every_text_field() > 50
    # A name a spreadsheet would run as a formula.
    factories.MinistryFactory(slug="formula", name='=HYPERLINK("http://evil.example","click")')
    return world


def markup_problems(url: str, response) -> tuple[str, list[str]]:
    """The response's kind, and where its consumer would run the payload as markup."""
    content_type = response.headers.get("Content-Type", "").split(";")[0]
    raw = body(response)
    if raw.startswith(b"PK\x03\x04"):  # a zip (the dataset, an Excel file): its files' text
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"\n".join(archive.read(name) for name in archive.namelist())
    text = raw.decode("utf-8-sig")
    problems = []
    if content_type == "text/html":
        problems += [f"{url} shows live {m!r}" for m in LIVE_MARKUP if m in text]
    elif content_type in {"application/atom+xml", "application/rss+xml", "application/xml"}:
        root = ElementTree.fromstring(body(response))  # well-formed, whatever the names
        for element in root.iter():
            # A feed reader renders type="html" text as HTML: the payload must arrive escaped.
            if element.get("type") in {"html", "xhtml"}:
                tag = element.tag.rsplit("}", 1)[-1]
                problems += [
                    f"{url} <{tag} type=html> runs {m!r}"
                    for m in LIVE_MARKUP
                    if m in (element.text or "")
                ]
    elif content_type == "application/json":
        json.loads(text)  # one string among others; JSON is never rendered as markup
    elif content_type == "text/csv":
        problems += [
            f"{url} formula cell {cell!r}"
            for row in csv.reader(io.StringIO(text))
            for cell in row
            if cell.startswith(("=", "+", "-", "@"))
        ]
    elif content_type == "text/calendar":
        assert "BEGIN:VCALENDAR" in text
    elif content_type in {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }:
        # Data, not markup: an Excel text cell is never a formula (test_spreadsheets.py).
        assert raw.strip()
    else:
        assert content_type == "text/plain", f"{url}: unexpected {content_type}"
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url} may be sniffed as HTML")
    return content_type, problems


def test_editors_markup_is_text_on_every_public_response(client, hostile_world):
    starts = [
        "/en/",
        "/en/search/?q=alert",
        "/en/agreements/?q=script",
        "/en/agreements/?format=csv",
        "/en/feeds/agreements/",
        "/en/feeds/meetings/",
        "/en/feeds/meetings.ics",
        "/api/",
        "/api/agreements/",
        "/sitemap.xml",
    ]
    responses = walk(client, starts, key=path_key, limit=800)
    assert {r.status_code for r in responses.values()} == {200}, {
        url: r.status_code for url, r in responses.items() if r.status_code != 200
    }
    checked = [markup_problems(url, r) for url, r in responses.items()]
    assert {"text/html", "text/csv", "application/json", "application/atom+xml"} <= {
        kind for kind, _problems in checked
    }
    assert [problem for _kind, found in checked for problem in found] == []
    # The payload did reach the pages, escaped.
    detail = client.get(hostile_world["agreements"][0].get_absolute_url()).content.decode()
    assert html.escape(SCRIPT) in detail
    assert len(responses) > 60


@pytest.mark.parametrize("feed", ["/en/feeds/agreements/", "/en/feeds/meetings/"])
def test_feed_summaries_arrive_escaped_in_feed_readers(client, hostile_world, feed):
    response = client.get(feed)
    assert response.status_code == 200
    assert markup_problems(feed, response)[1] == []


@pytest.mark.parametrize(
    "url",
    [
        f"/en/agreements/?country={SCRIPT}",
        f"/en/agreements/?date_from={ATTRIBUTE_BREAKOUT}",
        f"/en/meetings/?sort={SCRIPT}&page={ATTRIBUTE_BREAKOUT}",
        f"/en/search/?q={ATTRIBUTE_BREAKOUT}",
        f"/en/agreements/{SCRIPT}/",
        f"/en/countries/{ATTRIBUTE_BREAKOUT}/",
        f"/en/feeds/agreements/?country={SCRIPT}",
        f"/en/agreements/?format=csv&status={SCRIPT}",
        f"/api/agreements/?ministry={SCRIPT}",
    ],
)
@pytest.mark.django_db
def test_markup_in_the_address_is_never_echoed_live(client, url):
    response = client.get(url)
    assert response.status_code < 500
    assert markup_problems(url, response)[1] == []


def test_csv_export_neutralises_formulas_and_keeps_the_text(client, hostile_world):
    response = client.get("/en/ministries/?format=csv")
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    names = [row["name"] for row in rows]
    assert any(name.startswith(PAYLOAD) for name in names)
    formula = Ministry.objects.get(slug="formula").name
    assert "'" + formula in names


def test_admin_change_list_shows_markup_as_text(admin_user, hostile_world):
    admin_client = factories.log_in_verified(Client(), admin_user)
    response = admin_client.get("/admin/initiatives/agreement/")
    body = response.content.decode()
    assert response.status_code == 200
    assert Agreement.objects.filter(name__startswith=SCRIPT).exists()
    for markup in LIVE_MARKUP:
        assert markup not in body
