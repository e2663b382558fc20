"""The page layout and its words: the header's sections and breadcrumbs, the filter
panel, chips and messages that name things, lists without duplicate rows."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_data(portal_data_for_module, db):
    pass


def page(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_current_section_is_marked_in_the_header(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"))
    assert f'<a href="{reverse("initiatives:agreement-list")}" aria-current="page">' in html
    assert html.count("aria-current=") == 1


def test_a_detail_page_has_breadcrumbs_up_to_its_list(client, portal_data):
    url = reverse("initiatives:person-detail", args=["oh-young-ju"])
    html = page(client, url)
    start = html.index('class="breadcrumbs"')
    crumbs = html[start : html.index("</nav>", start)]
    assert reverse("initiatives:dashboard") in crumbs
    assert reverse("initiatives:person-list") in crumbs
    assert '<span aria-current="page">Oh Young-ju</span>' in crumbs
    # The section is marked as the one the page is in, not as the page itself.
    assert f'href="{reverse("initiatives:person-list")}" aria-current="true"' in html


def test_lists_have_no_breadcrumbs_and_the_dashboard_no_current_section(client, portal_data):
    assert 'class="breadcrumbs"' not in page(client, reverse("initiatives:meeting-list"))
    assert "aria-current" not in page(client, reverse("initiatives:dashboard"))


def test_navigation_and_filters_fold_into_disclosures_that_need_no_script(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"), {"country": "be"})
    assert '<details class="site-menu">' in html
    assert '<details class="filter-panel">' in html
    summary = html[html.index('<details class="filter-panel">') :].split("</summary>")[0]
    assert "(1 in use)" in text(summary)
    assert "<script" not in html


def test_a_chip_names_a_country_the_facet_does_not_list(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"), {"country": ["FR", "be"]})
    chips = text(html[html.index('class="active-filters"') :])
    assert "Country: France" in chips
    assert "Country: Belgium" in chips
    assert "Country: fr" not in chips


def test_a_filter_message_names_the_field_and_the_value(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"), {"date_from": "2024-13"})
    start = html.index('class="problems"')
    problems = text(html[start : html.index("</div>", start)])
    assert "Dates from, “2024-13”:" in problems
    assert "Some of the address" not in problems


def test_the_usual_order_says_what_it_sorts_by(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"))
    assert '<option value="">Signing date, newest first</option>' in html
    html = page(client, reverse("initiatives:ministry-list"))
    assert '<option value="">Name, A to Z</option>' in html
    assert "usual order" not in html


def test_a_list_shows_the_short_status_and_the_detail_page_explains_it(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"))
    rows = text(html[html.index('<ul class="rows">') :])
    assert "in-force status not stated" not in rows
    assert "Signed April 2024" in rows
    url = reverse("initiatives:agreement-detail", args=["mss-mofa-global-expansion-mou-2024"])
    detail = text(page(client, url))
    assert "Signed" in detail
    assert "(the source does not say whether it has entered into force)" in detail


def agreement_row(html: str, slug: str) -> str:
    """The text of the list row that links to the agreement ``slug``."""
    href = f'href="{reverse("initiatives:agreement-detail", args=[slug])}"'
    row = next(row for row in html.split('<li class="row">')[1:] if href in row)
    return text(row.split("</li>")[0]).strip()


def test_a_signed_agreement_row_states_its_status_once(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"))
    row = agreement_row(html, "korea-belgium-sme-startup-mou-2026")
    assert "Signed 2026 (inferred)" in row
    assert row.lower().count("signed") == 1
    assert "as of" not in row
    with translation.override("ko"):
        korean = client.get(reverse("initiatives:agreement-list"))
        row = agreement_row(korean.content.decode(), "korea-belgium-sme-startup-mou-2026")
    assert row.count("서명") == 1


def test_an_agreement_row_with_another_status_keeps_it_beside_the_signing_date(client, portal_data):
    from initiatives.models import Agreement

    Agreement.objects.filter(slug="mss-mofa-global-expansion-mou-2024").update(status="in-force")
    html = page(client, reverse("initiatives:agreement-list"))
    row = agreement_row(html, "mss-mofa-global-expansion-mou-2024")
    assert "In force, as of 17 December 2024 · signed April 2024" in row


def test_regions_are_a_section_of_the_header_in_both_languages(client, portal_data):
    for language, label in (("en", "Regions"), ("ko", "지역")):
        with translation.override(language):
            regions = reverse("initiatives:region-list")
            html = client.get(reverse("initiatives:dashboard")).content.decode()
        menu = html[html.index('<details class="site-menu">') :].split("</details>")[0]
        assert f'<li><a href="{regions}">{label}</a></li>' in menu
    regions = reverse("initiatives:region-list")
    html = page(client, regions)
    assert f'<a href="{regions}" aria-current="page">Regions</a>' in html
    assert html.count("aria-current=") == 1


def test_a_region_page_is_marked_as_inside_regions_with_breadcrumbs(client, portal_data):
    regions = reverse("initiatives:region-list")
    html = page(client, reverse("initiatives:region-detail", args=["europe"]))
    assert f'<a href="{regions}" aria-current="true">Regions</a>' in html
    crumbs = html[html.index('class="breadcrumbs"') :].split("</nav>")[0]
    assert f'<a href="{regions}">Regions</a>' in crumbs
    assert '<span aria-current="page">Europe</span>' in crumbs


def test_a_meeting_a_person_presided_is_not_listed_again_as_attended(client, portal_data):
    html = page(client, reverse("initiatives:person-detail", args=["oh-young-ju"]))
    meeting = reverse("initiatives:meeting-detail", args=["sme-globalization-strategy-meeting"])
    assert html.count(f'href="{meeting}"') == 1


def test_an_agreement_related_in_two_ways_is_listed_once(client, portal_data):
    from initiatives.models import Agreement, AgreementRelation

    AgreementRelation.objects.create(
        from_agreement=Agreement.objects.get(slug="korea-china-sme-innovation-mou-2026"),
        kind="supersedes",
        to_agreement=Agreement.objects.get(slug="korea-china-previous-sme-agreement"),
    )
    url = reverse("initiatives:agreement-detail", args=["korea-china-sme-innovation-mou-2026"])
    html = page(client, url)
    other = reverse("initiatives:agreement-detail", args=["korea-china-previous-sme-agreement"])
    related = html[html.index("Related agreements") : html.index("What came of it")]
    assert related.count(f'href="{other}"') == 1
    assert "renews and supersedes" in text(related)


def test_the_follow_page_explains_feeds_and_gives_their_addresses(client, portal_data):
    html = page(client, reverse("initiatives:feeds"))
    for route in ("feeds:agreements", "feeds:meetings", "feeds:meetings-ics"):
        assert f"<code>http://testserver{reverse(route)}</code>" in html
    assert "From URL" in html


def test_a_list_with_a_feed_links_to_the_explanation(client, portal_data):
    html = page(client, reverse("initiatives:agreement-list"))
    exports = html[html.index('class="exports"') :].split("</p>")[0]
    assert reverse("initiatives:feeds") in exports
    exports = page(client, reverse("initiatives:ministry-list"))
    assert reverse("initiatives:feeds") not in exports.split('class="exports"')[1].split("</p>")[0]


def test_a_printed_source_shows_its_address(client, portal_data):
    from initiatives.models import Source

    address = "https://www.example.go.kr/news/view?id=1&lang=en"
    Source.objects.filter(slug="korea-belgium-mou-announcement").update(url=address)
    url = reverse("initiatives:agreement-detail", args=["korea-belgium-sme-startup-mou-2026"])
    html = page(client, url)
    assert (
        '<span class="print-only"> &lt;https://www.example.go.kr/news/view?id=1&amp;lang=en&gt;'
        in html
    )


def test_the_dashboard_map_links_each_country_with_records(client, portal_data):
    html = page(client, reverse("initiatives:dashboard"))
    world = html[html.index('class="world-map"') :].split("</section>")[0]
    belgium = reverse("initiatives:country-detail", args=["be"])
    assert f'<a href="{belgium}" aria-label="Belgium, 1 agreement, 0 councils or bodies">' in world
    # Every outline is drawn (the unlinked ones hidden from screen readers), none fetched.
    assert world.count("<path ") > 150
    assert "http" not in world.split("</svg>")[0].replace('href="/', "")
    # The text alternative: the same figures as a table, linking each country.
    table = world[world.index("<table>") :]
    assert f'<a href="{belgium}">Belgium</a></th><td>1</td><td>0</td>' in table
    assert "Natural Earth" in world


def test_a_country_page_marks_its_country_on_the_map(client, portal_data):
    html = page(client, reverse("initiatives:country-detail", args=["kr"]))
    assert 'current"><title>South Korea, 5 agreements, 2 councils or bodies</title>' in html
    assert html.count(" current") == 1


def test_the_countries_list_shows_its_results_before_the_map(client, portal_data):
    html = page(client, reverse("initiatives:country-list"))
    assert html.index('class="results"') < html.index('class="world-map"')


def test_the_dashboard_chart_has_a_value_axis_and_values_on_its_bars(client, portal_data):
    response = client.get(reverse("initiatives:dashboard"))
    chart = response.context["chart"]
    assert [tick["value"] for tick in chart["ticks"]][0] == 0
    assert chart["ticks"][-1]["value"] >= chart["highest"]
    html = response.content.decode()
    svg = html[html.index('<svg viewBox="0 0 {}'.format(chart["width"])) :].split("</svg>")[0]
    for bar in chart["bars"]:
        assert f'text-anchor="middle">{bar["meetings"]}</text>' in svg
        assert f'class="year" x="{bar["label_x"]}"' in svg


def test_an_agreement_shows_its_path_from_signature_to_results_in_date_order(client, portal_data):
    url = reverse("initiatives:agreement-detail", args=["korea-china-sme-innovation-mou-2026"])
    response = client.get(url)
    steps = response.context["path"]
    assert steps[0][1] == "Signed"
    assert [step[0].value for step in steps] == sorted(step[0].value for step in steps)
    assert '<ol class="path">' in response.content.decode()
