"""Detail pages, country pages and the dashboard: what each shows and links to."""

import datetime
import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from initiatives.models import (
    Agreement,
    Council,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Source,
    SupportCase,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def belgium():
    mss = f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups", acronym="MSS")
    spf = f.MinistryFactory(slug="spf-economy", name="FPS Economy", country_code="be")
    minister = f.PersonFactory(slug="oh-young-ju", name="Oh Young-ju", title="Minister", at=mss)
    f.alias(minister, name="Oh Young-joo")
    mou = f.AgreementFactory(
        slug="kr-be-mou",
        name="Korea–Belgium startup MOU",
        parties=(mss, spf),
        parties__signatory=minister,
        signed="2024-04",
        city="Brussels",
    )
    embassy = f.OrganizationFactory(
        slug="embassy-brussels",
        name="Korean Embassy in Belgium",
        kind=Organization.Kind.MISSION,
        country_code="be",
    )
    body = f.CouncilFactory(
        slug="brussels-body",
        name="Brussels consultative body",
        established_under=mou,
        mission=embassy,
        country_code="be",
        host_ministries=(mss,),
        established="2024-12-17",
    )
    sitting = f.MeetingFactory(
        slug="first-sitting",
        name="First sitting",
        council=body,
        held="2025-01",
        country_code="be",
        participants=(minister, spf),
    )
    kosme = f.OrganizationFactory(slug="kosme", name="KOSME", parent_ministry=mss)
    case = f.SupportCaseFactory(
        slug="biotech-case",
        name="Biotech company helped in Belgium",
        sector="biotech",
        country_code="be",
        council=body,
        reported_at=sitting,
        supporters=(kosme,),
        status=SupportCase.Status.RESOLVED,
        staff_notes="CONFIDENTIAL staff note",
        staff_contacts="secret@example.org",
    )
    figure = f.MetricFactory(slug="meetings-held", about=body, value="46", unit="meetings")
    return locals()


def test_year_only_date_is_shown_as_the_year(client):
    deal = f.AgreementFactory(slug="year-only", signed="2026")
    html = page(client, deal.get_absolute_url())
    assert '<time datetime="2026">2026</time>' in html


def test_month_date_is_shown_as_month_and_year(client, belgium):
    html = page(client, belgium["mou"].get_absolute_url())
    assert '<time datetime="2024-04">April 2024</time>' in html


def test_inferred_date_says_so(client):
    deal = f.AgreementFactory(slug="inferred", signed="2025-01-05", inferred=True)
    html = page(client, deal.get_absolute_url())
    assert '5 January 2025</time> <span class="inferred">(inferred)</span>' in html


def test_agreement_shows_what_came_of_it(client, belgium):
    html = page(client, belgium["mou"].get_absolute_url())
    assert belgium["body"].get_absolute_url() in html
    assert belgium["sitting"].get_absolute_url() in html
    assert belgium["case"].get_absolute_url() in html
    assert "46" in html and "meetings" in html


def test_agreement_shows_parties_and_signatory_with_links(client, belgium):
    html = page(client, belgium["mou"].get_absolute_url())
    assert belgium["spf"].get_absolute_url() in html
    assert belgium["minister"].get_absolute_url() in html
    assert reverse("initiatives:country-detail", args=["be"]) in html


def test_quiet_agreement_says_no_recorded_activity_since(client):
    old = f.AgreementFactory(slug="old-mou", signed="2019-03")
    html = page(client, old.get_absolute_url())
    assert "No recorded activity since" in html
    assert "March 2019" in html


def test_active_agreement_is_not_flagged_as_quiet(client):
    recent = datetime.date.today() - datetime.timedelta(days=180)
    fresh = f.AgreementFactory(slug="fresh", signed=recent.isoformat())
    assert "No recorded activity since" not in page(client, fresh.get_absolute_url())


def test_superseded_agreement_links_to_its_successor_and_back(client):
    old = f.AgreementFactory(slug="old", name="Old MOU", signed="2020")
    new = f.AgreementFactory(slug="new", name="New MOU", signed="2024")
    f.AgreementRelationFactory(from_agreement=new, to_agreement=old)
    assert new.get_absolute_url() in page(client, old.get_absolute_url())
    assert old.get_absolute_url() in page(client, new.get_absolute_url())


def test_council_links_to_agreement_mission_meetings_and_cases(client, belgium):
    html = page(client, belgium["body"].get_absolute_url())
    for record in ("mou", "embassy", "sitting", "case", "mss"):
        assert belgium[record].get_absolute_url() in html
    assert "as of" in html.lower() or "As of" in html
    assert "30 November 2024" in html


def test_meeting_links_to_council_participants_and_reported_cases(client, belgium):
    html = page(client, belgium["sitting"].get_absolute_url())
    for record in ("body", "minister", "spf", "case"):
        assert belgium[record].get_absolute_url() in html
    assert "January 2025" in html


def test_support_case_never_shows_staff_only_fields(client, belgium):
    html = page(client, belgium["case"].get_absolute_url())
    assert "CONFIDENTIAL" not in html
    assert "secret@example.org" not in html
    assert belgium["kosme"].get_absolute_url() in html
    assert belgium["sitting"].get_absolute_url() in html
    listing = page(client, reverse("initiatives:support-case-list"))
    assert "CONFIDENTIAL" not in listing


def test_organization_and_ministry_link_back(client, belgium):
    kosme = page(client, belgium["kosme"].get_absolute_url())
    assert belgium["case"].get_absolute_url() in kosme
    assert belgium["mss"].get_absolute_url() in kosme
    mss = page(client, belgium["mss"].get_absolute_url())
    for record in ("mou", "kosme", "body", "minister"):
        assert belgium[record].get_absolute_url() in mss


def test_person_page_lists_posts_signatures_and_aliases(client, belgium):
    html = page(client, belgium["minister"].get_absolute_url())
    assert "Oh Young-joo" in html
    assert belgium["mou"].get_absolute_url() in html
    assert belgium["sitting"].get_absolute_url() in html


def test_detail_page_shows_sources_with_quotes(client, belgium):
    html = page(client, belgium["mou"].get_absolute_url())
    assert "The source says Korea–Belgium startup MOU." in html
    assert reverse("initiatives:source-detail", args=["mss-press-release"]) in html


def test_source_page_lists_every_record_citing_it(client, belgium):
    html = page(client, reverse("initiatives:source-detail", args=["mss-press-release"]))
    for record in ("mou", "body", "sitting", "case", "minister"):
        assert belgium[record].get_absolute_url() in html


def test_unpublished_record_is_a_404_and_never_linked(client, belgium):
    draft = f.CouncilFactory(slug="draft-body", name="Draft body", established_under=belgium["mou"])
    draft.is_published = False
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Draft body" not in page(client, belgium["mou"].get_absolute_url())


def test_country_page_gathers_everything_of_one_country(client, belgium):
    html = page(client, reverse("initiatives:country-detail", args=["be"]))
    for record in ("mou", "spf", "embassy", "body", "sitting", "case"):
        assert belgium[record].get_absolute_url() in html
    assert "Timeline" in html


def test_country_timeline_is_in_date_order(client, belgium):
    response = client.get(reverse("initiatives:country-detail", args=["be"]))
    dates = [event[0].value for event in response.context["timeline"]]
    assert dates == sorted(dates)
    assert len(dates) == 3


def test_upper_case_country_code_redirects(client, belgium):
    response = client.get("/en/countries/BE/")
    assert response.status_code == 301
    assert response["Location"] == reverse("initiatives:country-detail", args=["be"])


def test_country_list_shows_only_countries_with_records(client, belgium):
    f.CountryFactory(code="vn")
    html = page(client, reverse("initiatives:country-list"))
    assert "Belgium" in html
    assert "Viet Nam" not in html


def test_dashboard_shows_counts_latest_and_timeline(client, belgium):
    html = page(client, reverse("initiatives:dashboard"))
    assert belgium["mou"].get_absolute_url() in html
    assert belgium["sitting"].get_absolute_url() in html
    # The chart names itself and says its figures in words, not just in bars.
    assert '<title id="chart-title">Agreements signed and meetings held per year</title>' in html
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', html).group(1)
    assert desc == "2024: 1 agreement, 0 meetings. 2025: 0 agreements, 1 meeting. "
    assert '<th scope="row">2024</th>' in html


def test_dashboard_chart_counts_only_meetings_held(client, portal_data):
    response = client.get(reverse("initiatives:dashboard"))
    bars = {bar["year"]: bar for bar in response.context["chart"]["bars"]}
    # 2024: the inaugural meeting, the first Policy Council meeting and the strategy meeting
    # were held; the two first meetings planned for May 2024 are left out.
    assert bars[2024]["meetings"] == 3
    assert bars[2024]["agreements"] == 1


def test_static_css_is_linked(client):
    html = page(client, reverse("initiatives:dashboard"))
    assert static("css/portal.css") in html


FIXTURE_MODELS = [Agreement, Ministry, Council, Meeting, SupportCase, Organization, Person, Program]


def test_every_page_answers_for_the_fixture_data(client, portal_data):
    from initiatives.models import Country, Source

    urls = [reverse(f"initiatives:{m.route_name}-list") for m in [*FIXTURE_MODELS, Source]]
    urls += [reverse("initiatives:country-list"), reverse("initiatives:dashboard")]
    for model in [*FIXTURE_MODELS, Source]:
        urls += [r.get_absolute_url() for r in model.objects.published()]
    listed = client.get(reverse("initiatives:country-list"), {"page": 1})
    urls += [c.get_absolute_url() for c in listed.context["paginator"].object_list]
    assert Country.objects.exists()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"staff-only" not in response.content


def meta_lines(html: str) -> list[str]:
    return [line.strip() for line in re.findall(r'<p class="meta">(.*?)</p>', html, re.S)]


def test_a_list_row_never_starts_or_ends_with_a_separator(client):
    f.SourceFactory(slug="no-publisher", name="No publisher", published=None)
    Source.objects.filter(slug="no-publisher").update(publisher="")
    hidden = f.OrganizationFactory(
        slug="draft-company", kind=Organization.Kind.COMPANY, is_published=False
    )
    f.SupportCaseFactory(slug="case", company=hidden, sector="Cosmetics", country_code="be")
    for url in ["/en/sources/", "/en/support-cases/"]:
        for line in meta_lines(page(client, url)):
            assert not line.startswith("·") and not line.endswith("·"), (url, line)


def test_counts_of_one_read_in_the_singular(client):
    mou = f.AgreementFactory(
        slug="mou", signed="2024-04-17", parties=(f.MinistryFactory(slug="m", country_code="be"),)
    )
    f.MeetingFactory(
        slug="meeting", held="2024-05-02", country_code="be", related_agreements=(mou,)
    )
    dashboard = page(client, "/en/")
    assert "2024: 1 agreement, 1 meeting." in dashboard
    assert '<span class="number">1</span> agreement</a>' in dashboard
    countries = page(client, "/en/countries/")
    assert "1 agreement · 1 meeting · 1 ministry" in countries
