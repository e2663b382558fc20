"""Proposals from a source's text (initiatives/proposals.py): dates at the precision
their words give, names the portal knows by any name or alias in either language, new
names, figures with their units; and, in the admin, one click from a proposal to a
draft record whose citation quotes the sentence and passes the quote check."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from initiatives import models
from initiatives.dates import PartialDate, Precision
from initiatives.proposals import Gazetteer, read_text
from initiatives.quotes import quote_in_text
from tests import factories as f
from tests.admin_forms import admin_url

pytestmark = pytest.mark.django_db

PRESS_RELEASE = (
    "Korea and Poland Sign SME Cooperation MOU\n\n"
    "Korea and Poland signed a Memorandum of Understanding on SME Cooperation in Warsaw "
    "on 12 March 2026. The MOU was signed by Minister Han Seong-sook of the Ministry of SMEs "
    "and Startups and Minister Krzysztof Paszyk of Poland’s Ministry of Development and "
    "Technology.\n\n"
    "Both sides agreed to hold a policy dialogue every year, starting in May. More than 30 "
    "companies joined the business forum held in Warsaw, and exports grew 12% to 620 billion "
    "won.\n"
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


def proposals(text, *, published=None, kind=None):
    reading = read_text(text, published=published, gazetteer=Gazetteer.from_portal())
    return reading.of_kind(kind) if kind else reading.proposals


def dates_in(text, published=None):
    return {p.name: p for p in proposals(text, published=published, kind="date")}


# Dates -------------------------------------------------------------------------------


def test_a_full_date_is_proposed_to_the_day_and_not_as_inferred():
    found = dates_in("The MOU was signed on December 17, 2024, in Seoul.")
    date = found["2024-12-17"].date
    assert (date.precision, date.inferred) == (Precision.DAY, False)


def test_a_day_without_its_year_takes_the_year_from_the_source_date_with_a_reason():
    published = PartialDate(datetime.date(2026, 1, 8))
    found = dates_in("Both ministers signed the MOU in Beijing on January 5.", published)
    date = found["2026-01-05"]
    assert date.date.precision == Precision.DAY and date.date.inferred
    assert "2026-01-08" in date.inferred_reason


def test_a_day_without_its_year_and_no_source_date_is_left_without_a_year():
    found = proposals("The MOU was signed on January 5.", kind="date")
    assert [p.date for p in found] == [None]
    assert found[0].undated == (1, 5) and "year not stated" in found[0].name


def test_in_may_is_a_month_and_the_20th_a_day_of_a_month_not_stated():
    published = PartialDate(datetime.date(2025, 11, 21))
    month = proposals("Measures were announced in May this year.", published=published, kind="date")
    assert month[0].date == PartialDate(datetime.date(2025, 5, 1), Precision.MONTH, True)
    day = proposals("On the 20th, the ministry held a meeting.", kind="date")
    assert day[0].undated == (None, 20) and day[0].date is None
    dated = proposals("On the 20th, the ministry held a meeting.", published=published, kind="date")
    assert dated[0].date == PartialDate(datetime.date(2025, 11, 20), Precision.DAY, True)


def test_inferred_date_reasons_and_labels_are_given_in_the_editors_language():
    published = PartialDate(datetime.date(2026, 1, 8))
    with translation.override("ko"):
        (year,) = proposals("The MOU was signed on January 5.", published=published, kind="date")
        (no_year,) = proposals("The MOU was signed on January 5.", kind="date")
        (day,) = proposals("On the 20th, the ministry met.", published=published, kind="date")
        (no_month,) = proposals("On the 20th, the ministry met.", kind="date")

    assert year.inferred_reason == "연도 명시 없음: 출처의 날짜(2026-01-08)의 연도인 2026년으로 봄"
    assert no_year.name == "1월 5일(연도 명시 없음)"
    assert day.inferred_reason == "일(20)만 명시됨: 월과 연도는 출처의 날짜(2026-01-08)에서 가져옴"
    assert no_month.name == "명시되지 않은 달의 20일"
    with translation.override("en"):
        (day,) = proposals("On the 20th, the ministry met.", kind="date")
    assert day.name == "day 20 of a month not stated"


def test_the_source_page_gives_proposals_precision_and_reasons_in_korean(editor_client):
    source = f.SourceFactory(
        text="Both ministers signed the MOU on January 5.", published="2026-01-08"
    )

    html = editor_client.get(
        admin_url(source, "change"), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()

    assert "2026-01-05 (일)" in html
    assert "연도 명시 없음: 출처의 날짜(2026-01-08)의 연도인 2026년으로 봄" in html


def test_a_draft_started_from_an_inferred_date_notes_why_in_the_editors_language(editor_client):
    source = f.SourceFactory(
        text="Korea and Poland signed a Memorandum of Understanding on SME cooperation on "
        "January 5.",
        published="2026-01-08",
    )
    (mou,) = proposals(
        source.text, published=PartialDate(datetime.date(2026, 1, 8)), kind="agreement"
    )

    start(editor_client, source, mou)

    agreement = models.Agreement.objects.get()
    assert (agreement.signed_on, agreement.signed_on_inferred) == (datetime.date(2026, 1, 5), True)
    assert agreement.note.startswith("Date inferred: year not stated; taken as 2026")


def test_korean_dates_are_read_at_their_precision():
    found = dates_in("중소벤처기업부는 2024년 5월 협약을 체결했다. 2025년 3월 15일 회의.")
    assert found["2024-05"].date.precision == Precision.MONTH
    assert found["2025-03-15"].date.precision == Precision.DAY


def test_may_the_verb_is_not_a_date():
    assert dates_in("Companies may apply for support.") == {}


# Names -------------------------------------------------------------------------------


def test_names_the_portal_knows_are_found_by_alias_in_english_and_by_korean_name():
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups", name_ko="중소벤처기업부")
    f.alias(mss, name="MSS")
    oh = f.PersonFactory(name="Oh Young-ju")
    f.alias(oh, name="Oh Young-joo")
    found = proposals("MSS said Minister Oh Young-joo will visit. 중소벤처기업부는 밝혔다.")
    known = {(p.kind, p.known.pk) for p in found if p.known}
    assert ("ministry", mss.pk) in known and ("person", oh.pk) in known
    korean = proposals("중소벤처기업부는 협약을 체결했다.")
    assert any(p.known and p.known.pk == mss.pk for p in korean)


def test_an_acronym_is_matched_only_as_written():
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    f.alias(mss, name="MSS")
    assert not any(p.known for p in proposals("The word mss is not the ministry."))


def test_countries_are_matched_in_both_languages():
    f.CountryFactory(code="be", name="Belgium", name_ko="벨기에")
    found = proposals("Korea and Belgium signed it. 벨기에와 협약.", kind="country")
    assert [p.known.pk for p in found] == ["be"]


def test_new_names_are_proposed_with_their_kind_and_country():
    f.CountryFactory(code="pl", name="Poland")
    found = proposals(PRESS_RELEASE)
    new = {(p.kind, p.name): p for p in found if p.is_new and p.kind != "date"}
    ministry = new[("ministry", "Ministry of Development and Technology")]
    assert ministry.country == "pl"
    assert ("person", "Krzysztof Paszyk") in new
    assert ("person", "Han Seong-sook") in new
    korean = proposals("창업진흥원과 조달청은 중소벤처기업부와 협약을 맺었다.")
    assert {p.name for p in korean if p.is_new and p.kind != "date"} >= {
        "창업진흥원",
        "조달청",
        "중소벤처기업부",
    }


def test_a_known_name_is_not_proposed_again_as_new():
    f.MinistryFactory(name="Ministry of Development and Technology", country_code="pl")
    found = proposals(PRESS_RELEASE, kind="ministry")
    named = [p for p in found if p.name == "Ministry of Development and Technology"]
    assert len(named) == 1 and named[0].known is not None


# Figures -----------------------------------------------------------------------------


def test_figures_are_proposed_with_their_units_and_qualifiers():
    found = {p.name: p for p in proposals(PRESS_RELEASE, kind="figure")}
    assert found["30 companies"].qualifier == "more-than"
    assert found["12%"].unit == "%"
    assert found["620 billion won"].value == Decimal(620)
    korean = {p.unit: p.value for p in proposals("수출기업 30개사와 620억 원 규모", kind="figure")}
    assert korean == {"개사": Decimal(30), "억 원": Decimal(620)}


def test_years_durations_and_phone_numbers_are_not_figures():
    text = "In 2024 the dialogue resumed after seven years. Call +82-44-204-7104."
    assert proposals(text, kind="figure") == []


# Agreements and meetings -------------------------------------------------------------------


def test_a_signed_agreement_is_proposed_with_date_city_and_the_named_ministries():
    f.MinistryFactory(name="Ministry of SMEs and Startups")
    agreements = proposals(PRESS_RELEASE, kind="agreement")
    assert len(agreements) == 1
    mou = agreements[0]
    assert mou.name.endswith("Memorandum of Understanding on SME Cooperation")
    assert mou.date == PartialDate(datetime.date(2026, 3, 12))
    assert mou.city == "Warsaw"
    assert [party.name for party in mou.parties if hasattr(party, "pk")] == [
        "Ministry of SMEs and Startups"
    ]
    assert all(quote_in_text(quote, PRESS_RELEASE) for quote in mou.quotes)


def test_a_meeting_is_proposed_by_its_quoted_name_and_kind():
    text = "On the 20th, the ministry held the 'SME Globalization Strategy Meeting' in Seoul."
    meetings = proposals(text, kind="meeting")
    assert [(m.name, m.subtype, m.status) for m in meetings] == [
        ("SME Globalization Strategy Meeting", "strategy-meeting", "held")
    ]


# The admin: one click to a cited draft -----------------------------------------------------


@pytest.fixture
def editor_client():
    return f.log_in_verified(Client(), f.AccountFactory(role="editor"))


def test_the_source_page_shows_what_the_text_appears_to_state(editor_client):
    source = f.SourceFactory(text=PRESS_RELEASE, published="2026-03-13")
    page = editor_client.get(admin_url(source, "change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "What the text appears to state" in html
    assert "Start a draft agreement" in html and "Krzysztof Paszyk" in html


def start(client, source, proposal):
    url = admin_url(source, "start_draft", source.pk)
    return client.post(url, {"proposal": proposal.key})


def test_one_click_on_a_proposed_agreement_makes_a_draft_with_a_verified_citation(
    editor_client,
):
    f.MinistryFactory(name="Ministry of SMEs and Startups")
    source = f.SourceFactory(text=PRESS_RELEASE)
    (mou,) = proposals(PRESS_RELEASE, kind="agreement")

    response = start(editor_client, source, mou)

    agreement = models.Agreement.objects.get(name=mou.name)
    assert response.status_code == 302
    assert response["Location"] == admin_url(agreement, "change")
    assert not agreement.is_published
    assert (agreement.signed_on, agreement.signed_on_precision) == (
        datetime.date(2026, 3, 12),
        "day",
    )
    assert agreement.city == "Warsaw"
    citations = list(agreement.citations.all())
    assert citations and all(c.source == source and c.is_verified for c in citations)
    assert [p.ministry.name for p in agreement.parties.all()] == ["Ministry of SMEs and Startups"]


def test_a_ministry_named_by_its_name_and_its_acronym_is_one_party_of_the_draft(
    editor_client,
):
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups", acronym="MSS")
    text = (
        "The Ministry of SMEs and Startups (MSS) and Poland's Ministry of Development and "
        "Technology signed a Memorandum of Understanding on SME cooperation on 12 March 2026."
    )
    source = f.SourceFactory(text=text)
    (mou,) = proposals(text, kind="agreement")
    assert [p.pk for p in mou.parties if hasattr(p, "pk")] == [mss.pk, mss.pk]

    response = start(editor_client, source, mou)

    assert response.status_code == 302
    agreement = models.Agreement.objects.get(name=mou.name)
    assert [(p.ministry, p.order) for p in agreement.parties.all()] == [(mss, 1)]


def test_one_click_on_a_new_person_and_a_figure_makes_cited_drafts(editor_client):
    poland = f.CountryFactory(code="pl", name="Poland")
    source = f.SourceFactory(text="Poland reported that 40 companies took part.")
    found = proposals(source.text)
    person_text = "Minister Krzysztof Paszyk of Poland opened it."
    figure = next(p for p in found if p.kind == "figure")

    start(editor_client, source, figure)

    metric = models.Metric.objects.get(unit="companies")
    assert (metric.value, metric.country, metric.is_published) == (Decimal(40), poland, False)
    assert metric.citations.get().is_verified
    source.text = f"{source.text} {person_text}"
    source.save()
    person = next(p for p in proposals(source.text) if p.kind == "person")
    start(editor_client, source, person)
    assert models.Person.objects.get(name="Krzysztof Paszyk").citations.get().is_verified


def test_a_ministry_whose_country_the_text_does_not_give_opens_the_add_form(editor_client):
    source = f.SourceFactory(text="Officials of the Ministry of Digital Affairs attended.")
    (ministry,) = [p for p in proposals(source.text, kind="ministry") if p.is_new]

    response = start(editor_client, source, ministry)

    assert response.status_code == 302
    assert response["Location"].startswith(admin_url(models.Ministry, "add"))
    assert "name=Ministry+of+Digital+Affairs" in response["Location"]
    assert not models.Ministry.objects.filter(name="Ministry of Digital Affairs").exists()


def test_a_stale_proposal_makes_nothing(editor_client):
    source = f.SourceFactory(text=PRESS_RELEASE)
    response = editor_client.post(
        admin_url(source, "start_draft", source.pk), {"proposal": "0" * 16}
    )
    assert response.status_code == 302
    assert not models.Agreement.objects.exists()


# The measurement --------------------------------------------------------------------------


def test_the_measurement_reports_every_kind_on_the_fixture_documents(portal_data, capsys):
    call_command("measure_proposals")
    out = capsys.readouterr().out
    for kind in ("agreements", "meetings", "people", "organizations", "figures"):
        assert kind in out
    assert "wrong proposals" in out
