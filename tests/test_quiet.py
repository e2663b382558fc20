"""Quiet agreements: no recorded activity (signing, coming into force, a council set
up under it, its meetings, a figure) for ``QUIET_AFTER_MONTHS`` months. The ``quiet``
filter, the badge on the list, and "what came of it" in the API and CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from initiatives.filters import AgreementFilter
from initiatives.models import Agreement
from initiatives.outcomes import months_before, outcome_counts, outcome_of, quiet_since
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def ago(months: int) -> datetime.date:
    return months_before(TODAY, months)


@pytest.fixture
def agreements(db):
    old = f.AgreementFactory(slug="old-mou", name="Old MOU", signed="2019-03")
    fresh = f.AgreementFactory(slug="fresh-mou", name="Fresh MOU", signed=ago(6).isoformat())
    revived = f.AgreementFactory(slug="revived-mou", name="Revived MOU", signed="2019-05")
    body = f.CouncilFactory(slug="revived-body", established_under=revived, established="2019")
    f.MeetingFactory(slug="recent-sitting", council=body, held=ago(2).isoformat())
    f.SupportCaseFactory(slug="revived-case", council=body)
    f.MetricFactory(slug="old-figure", about=old, measured="2019-06")
    undated = f.AgreementFactory(slug="undated-mou", name="Undated MOU", signed=None)
    # Signed in the month a year ago: that month has not wholly passed the cut-off.
    edge = f.AgreementFactory(slug="edge-mou", name="Edge MOU", signed=ago(12).strftime("%Y-%m"))
    return {"old": old, "fresh": fresh, "revived": revived, "undated": undated, "edge": edge}


def quiet_slugs(value) -> set[str]:
    filterset = AgreementFilter({"quiet": value}, queryset=Agreement.objects.published())
    return {a.slug for a in filterset.qs}


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)
    assert months_before(datetime.date(2024, 3, 30), 13) == datetime.date(2023, 2, 28)


def test_quiet_filter_finds_agreements_with_nothing_recorded_for_twelve_months(agreements):
    assert quiet_slugs("yes") == {"old-mou"}
    assert quiet_slugs("no") == {"fresh-mou", "revived-mou", "undated-mou", "edge-mou"}


def test_a_recent_meeting_of_its_council_keeps_an_old_agreement_active(agreements):
    outcome = outcome_of(Agreement.objects.for_list().get(slug="revived-mou"))
    assert not outcome.quiet
    assert outcome.last_activity.value == ago(2)


def test_the_months_are_a_setting(agreements, settings):
    settings.QUIET_AFTER_MONTHS = 1000
    assert quiet_slugs("yes") == set()
    settings.QUIET_AFTER_MONTHS = 3
    assert quiet_slugs("yes") == {"old-mou", "edge-mou", "fresh-mou"}
    assert quiet_since() == months_before(TODAY, 3)


def test_the_database_and_the_page_agree_on_what_came_of_each_agreement(agreements, settings):
    for months in (3, 12):
        settings.QUIET_AFTER_MONTHS = months
        rows = Agreement.objects.published().for_list().annotate(**outcome_counts())
        for agreement in rows:
            outcome = outcome_of(agreement)
            assert agreement.is_quiet == outcome.quiet, (months, agreement.slug)
            assert agreement.n_councils == len(outcome.councils)
            assert agreement.n_meetings == len(outcome.meetings)
            assert agreement.n_support_cases == len(outcome.cases)
            assert agreement.n_figures == len(outcome.metrics)


def test_list_shows_a_quiet_badge_and_what_came_of_it(client, agreements):
    url = reverse("initiatives:agreement-list")
    html = client.get(url, {"quiet": "yes"}).content.decode()
    assert "Old MOU" in html and "Fresh MOU" not in html
    assert 'class="quiet"' in html and "no recorded activity since" in html
    assert "March 2019" in html or "June 2019" in html
    everything = client.get(url).content.decode()
    assert everything.count('class="quiet"') == 1
    assert "1 council, 1 meeting, 1 support case" in everything


def test_api_and_csv_say_what_came_of_it(client, agreements):
    api = client.get("/api/agreements/", {"quiet": "yes"}).json()
    assert [a["slug"] for a in api["results"]] == ["old-mou"]
    assert api["results"][0]["what_came_of_it"] == {
        "councils": 0,
        "meetings": 0,
        "support_cases": 0,
        "figures": 1,
        "quiet": True,
    }
    revived = client.get("/api/agreements/revived-mou/").json()["what_came_of_it"]
    assert revived["councils"] == 1 and revived["meetings"] == 1 and not revived["quiet"]
    response = client.get(reverse("initiatives:agreement-list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["revived-mou"]["what_came_of_it_meetings"] == "1"
    assert rows["old-mou"]["what_came_of_it_quiet"] == "True"
    assert rows["fresh-mou"]["what_came_of_it_quiet"] == "False"


def test_bad_quiet_value_is_reported_and_refused(client, agreements):
    page = client.get(reverse("initiatives:agreement-list"), {"quiet": "perhaps"})
    assert page.status_code == 200 and "perhaps" in page.content.decode()
    assert client.get("/api/agreements/", {"quiet": "perhaps"}).status_code == 400


def test_a_draft_council_does_not_keep_an_agreement_active(agreements):
    old = agreements["old"]
    draft = f.CouncilFactory(
        slug="draft-body", established_under=old, established=ago(1).isoformat(), is_published=False
    )
    assert draft.pk
    assert quiet_slugs("yes") == {"old-mou"}
    assert not any(
        c.slug == "draft-body"
        for c in outcome_of(Agreement.objects.for_list().get(slug="old-mou")).councils
    )


def test_a_meeting_both_of_its_council_and_related_to_it_is_counted_once(db):
    """The database counts an agreement's meetings as those of its councils plus those
    related to it, less those that are both; its figures as its own plus its councils'
    (a figure describes one record)."""
    agreement = f.AgreementFactory(slug="counted-mou")
    body = f.CouncilFactory(slug="counted-body", established_under=agreement)
    draft_body = f.CouncilFactory(
        slug="draft-body", established_under=agreement, is_published=False
    )
    both = f.MeetingFactory(slug="both", council=body)
    both.related_agreements.add(agreement)
    f.MeetingFactory(slug="of-the-council", council=body)
    f.MeetingFactory(slug="of-a-draft-council", council=draft_body)
    f.MeetingFactory(slug="related", council=None).related_agreements.add(agreement)
    f.MetricFactory(slug="own-figure", about=agreement)
    f.MetricFactory(slug="council-figure", about=body)
    f.MetricFactory(slug="draft-council-figure", about=draft_body)
    row = Agreement.objects.annotate(**outcome_counts()).get(slug="counted-mou")
    outcome = outcome_of(Agreement.objects.for_list().get(slug="counted-mou"))
    assert (row.n_meetings, row.n_figures) == (3, 2)
    assert (row.n_meetings, row.n_figures) == (len(outcome.meetings), len(outcome.metrics))
