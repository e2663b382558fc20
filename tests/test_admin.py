"""The editors' admin: every page works, one form adds an MOU, reviewers alone publish,
history restores, deletions never take linked or cited data away, the public cannot write."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from initiatives import models
from tests import factories as f
from tests.admin_forms import admin_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


PORTAL_MODELS = [m for m in admin.site._registry if m._meta.app_label == "initiatives"]


@pytest.fixture
def editor_client():
    return f.log_in_verified(Client(), f.AccountFactory(role="editor"))


@pytest.fixture
def reviewer_client():
    return f.log_in_verified(Client(), f.AccountFactory(role="reviewer"))


def test_every_portal_model_has_a_real_admin():
    assert {m._meta.model_name for m in PORTAL_MODELS} == {
        m._meta.model_name for m in models.__dict__.values() if _is_portal_model(m)
    }
    for model in PORTAL_MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model
        assert model_admin.list_display != ("__str__",), model


def _is_portal_model(value) -> bool:
    return (
        isinstance(value, type)
        and issubclass(value, Model)
        and not value._meta.abstract
        and value._meta.app_label == "initiatives"
        and not value.__name__.startswith("Historical")
        # Bookkeeping, not records editors work on: the fixture loader's ledger, the
        # review queue's log (the queue has its own page) and the search index (derived).
        and value not in {models.LoadedFixtureRow, models.ChangeReview, models.SearchEntry}
    )


def test_every_foreign_key_and_many_to_many_uses_autocomplete():
    request = _request_for(f.AccountFactory(role="reviewer"))
    for model in PORTAL_MODELS:
        model_admin = admin.site._registry[model]
        form_fields = model_admin.get_form(request).base_fields
        relations = [
            f.name
            for f in model._meta.get_fields()
            if (f.many_to_one or f.many_to_many) and f.concrete and f.name in form_fields
        ]
        assert set(relations) <= set(model_admin.autocomplete_fields), model


def _request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_every_admin_page_loads_for_an_editor(editor_client, view):
    rows = f.one_of_everything()
    for model in PORTAL_MODELS:
        row = rows[model._meta.model_name]
        url = admin_url(row, view) if view in {"change", "history"} else None
        url = url or admin_url(model, view)
        response = editor_client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_admin_search_finds_a_record_by_any_alias(editor_client):
    mss = f.MinistryFactory(draft=True, name="Ministry of SMEs and Startups")
    f.alias(mss, name="MoSS", kind="acronym")
    f.MinistryFactory(draft=True, name="Ministry of Foreign Affairs")

    response = editor_client.get(admin_url(models.Ministry), {"q": "moss"})

    assert list(response.context["cl"].result_list) == [mss]


def test_autocomplete_finds_ministries_by_alias(editor_client):
    mss = f.MinistryFactory(draft=True, name="Ministry of SMEs and Startups")
    f.alias(mss, name="MoSS", kind="acronym")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "MoSS",
            "app_label": "initiatives",
            "model_name": "agreementparty",
            "field_name": "ministry",
        },
    )

    assert [item["text"] for item in response.json()["results"]] == [mss.name]


def _new_mou_form(client, **changes):
    kr, be = f.CountryFactory(code="kr", name="Korea"), f.CountryFactory(code="be")
    mss = f.MinistryFactory(draft=True, name="Ministry of SMEs and Startups", country=kr)
    belgian = f.MinistryFactory(draft=True, name="FPS Economy", country=be)
    oh = f.PersonFactory(draft=True, name="Oh Young-ju")
    dermagne = f.PersonFactory(draft=True, name="Pierre-Yves Dermagne")
    press = f.SourceFactory(
        draft=True,
        name="MSS press release, 17 December 2024",
        text="Seoul, 17 December 2024.\nThe two ministers signed an MOU on startup cooperation.\n",
    )
    data = form_data(
        client,
        admin_url(models.Agreement, "add"),
        name="MOU on startup cooperation between Korea and Belgium",
        slug="kr-be-startup-mou-2024",
        kind="mou",
        status="signed",
        signed_on="2024-12-17",
        **{
            "parties-0-ministry": mss.pk,
            "parties-0-signatory": oh.pk,
            "parties-0-signatory_title": "Minister of SMEs and Startups",
            "parties-1-ministry": belgian.pk,
            "parties-1-signatory": dermagne.pk,
            "parties-1-signatory_title": "Deputy Prime Minister",
            "citations-0-source": press.pk,
            "citations-0-quote": "The two ministers signed an MOU on startup cooperation.",
            "is_published": "on",  # ignored: editors cannot publish
            "_save": "Save",
        },
    )
    data.update(changes)
    return data


def test_an_editor_adds_an_mou_with_parties_signatories_and_a_citation_in_one_form(
    editor_client,
):
    response = editor_client.post(admin_url(models.Agreement, "add"), _new_mou_form(editor_client))

    assert response.status_code == 302, response.context["errors"]
    mou = models.Agreement.objects.get(slug="kr-be-startup-mou-2024")
    assert [(p.ministry.name, p.signatory.name, p.signatory_title) for p in mou.parties.all()] == [
        ("Ministry of SMEs and Startups", "Oh Young-ju", "Minister of SMEs and Startups"),
        ("FPS Economy", "Pierre-Yves Dermagne", "Deputy Prime Minister"),
    ]
    assert mou.citations.get().source.name == "MSS press release, 17 December 2024"
    assert mou.is_published is False
    assert mou.history.get().history_user.username.startswith("editor")


def test_editors_cannot_publish_through_the_change_form(editor_client):
    mou = f.AgreementFactory(draft=True)
    data = form_data(editor_client, admin_url(mou, "change"), is_published="on")

    editor_client.post(admin_url(mou, "change"), data)

    mou.refresh_from_db()
    assert mou.is_published is False


def test_reviewers_can_publish_through_the_change_form(reviewer_client):
    mou = f.AgreementFactory(draft=True, cited=True)
    data = form_data(reviewer_client, admin_url(mou, "change"), is_published="on")

    reviewer_client.post(admin_url(mou, "change"), data)

    mou.refresh_from_db()
    assert mou.is_published is True
    assert mou.published_at is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"expires_on": "2020-01-01"},
            "An agreement cannot expire before it is signed.",
        ),
        (
            {"signed_on": "17/12/24"},
            "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {"signed_on_inferred": "on"},
            "Say how the date was worked out, since the source does not state it.",
        ),
        (
            {"citations-0-quote": "The two ministers signed an MOU on trade."},
            "The closest passage is: “The two ministers signed an MOU on startup cooperation.”",
        ),
        ({"citations-0-quote": ""}, "A citation needs a quote from its source."),
        (
            {"signed_on": "9999-12"},
            "Enter a year between 1900 and 2100.",
        ),
        (
            {"expires_on": "0001"},
            "Enter a year between 1900 and 2100.",
        ),
    ],
    ids=[
        "expiry-before-signing",
        "unreadable-date",
        "inferred-without-reason",
        "quote-not-in-source",
        "no-quote",
        "year-9999",
        "year-1",
    ],
)
def test_invalid_agreements_are_refused_in_plain_words(editor_client, changes, message):
    response = editor_client.post(
        admin_url(models.Agreement, "add"), _new_mou_form(editor_client, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not models.Agreement.objects.exists()


def test_an_agreement_cannot_supersede_itself(editor_client):
    mou = f.AgreementFactory(draft=True)
    url = admin_url(mou, "change")
    data = form_data(
        editor_client,
        url,
        **{
            "relations_from-TOTAL_FORMS": "1",
            "relations_from-0-kind": "supersedes",
            "relations_from-0-to_agreement": str(mou.pk),
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "An agreement cannot supersede, renew or amend itself." in response.content.decode()
    assert not models.AgreementRelation.objects.exists()


def test_publish_action_is_offered_only_to_reviewers(editor_client, reviewer_client):
    f.AgreementFactory(draft=True)
    url = admin_url(models.Agreement)

    assert 'value="publish"' not in editor_client.get(url).content.decode()
    assert 'value="publish"' in reviewer_client.get(url).content.decode()


def test_editors_cannot_run_the_publish_action(editor_client):
    mou = f.AgreementFactory(draft=True)

    editor_client.post(
        admin_url(models.Agreement), {"action": "publish", "_selected_action": [mou.pk]}
    )

    mou.refresh_from_db()
    assert mou.is_published is False


def test_reviewers_publish_and_unpublish_with_the_actions(reviewer_client):
    drafts = [
        f.AgreementFactory(draft=True, cited=True, name="First MOU"),
        f.AgreementFactory(draft=True, cited=True, name="Second MOU"),
    ]
    url = admin_url(models.Agreement)
    selected = [d.pk for d in drafts]

    reviewer_client.post(url, {"action": "publish", "_selected_action": selected})
    assert models.Agreement.objects.published().count() == 2
    assert drafts[0].history.latest().history_user.username.startswith("reviewer")

    reviewer_client.post(url, {"action": "unpublish", "_selected_action": selected[:1]})
    assert list(models.Agreement.objects.published()) == [drafts[1]]


def test_history_shows_who_changed_what_and_restores_an_earlier_version(editor_client):
    add_url = admin_url(models.Agreement, "add")
    editor_client.post(add_url, _new_mou_form(editor_client))
    mou = models.Agreement.objects.get()
    change_url = admin_url(mou, "change")
    editor_client.post(change_url, form_data(editor_client, change_url, name="Wrong name"))
    assert models.Agreement.objects.get().name == "Wrong name"

    history_page = editor_client.get(admin_url(mou, "history")).content.decode()
    assert "Wrong name" in history_page
    assert mou.history.earliest().history_user.username in history_page

    first = mou.history.earliest()
    restore_url = reverse(
        "admin:initiatives_agreement_simple_history", args=[mou.pk, first.history_id]
    )
    response = editor_client.post(restore_url, form_data(editor_client, restore_url))

    assert response.status_code == 302
    mou.refresh_from_db()
    assert mou.name == "MOU on startup cooperation between Korea and Belgium"
    assert mou.history.count() == 3


def test_restoring_a_version_does_not_change_publication_for_an_editor(editor_client):
    mou = f.AgreementFactory(draft=True)  # a draft version ...
    mou.is_published = True  # ... then a reviewer published it
    mou.save()
    draft_version = mou.history.earliest()
    url = reverse("admin:initiatives_agreement_simple_history", args=[mou.pk, draft_version.pk])

    editor_client.post(url, form_data(editor_client, url))

    mou.refresh_from_db()
    assert mou.is_published is True


def test_deleting_a_ministry_that_an_agreement_links_to_is_refused_in_plain_words(
    editor_client,
):
    rows = f.one_of_everything()
    mss = rows["ministry"]
    url = admin_url(mss, "delete")

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be deleted: other records link to it" in page
    assert rows["agreement"].name in page
    assert models.Ministry.objects.filter(pk=mss.pk).exists()


def test_deleting_an_agreement_would_not_take_its_reported_figures_with_it(editor_client):
    mou = f.AgreementFactory(draft=True)
    figure = f.MetricFactory(draft=True, agreement=mou)

    response = editor_client.post(admin_url(mou, "delete"), {"post": "yes"})

    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert models.Metric.objects.filter(pk=figure.pk).exists()


def test_bulk_delete_of_linked_records_is_refused_in_plain_words(editor_client):
    rows = f.one_of_everything()

    response = editor_client.post(
        admin_url(models.Person),
        {"action": "delete_selected", "_selected_action": [rows["person"].pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert models.Person.objects.filter(pk=rows["person"].pk).exists()


def test_deleting_an_unlinked_draft_keeps_the_source_its_citation_quoted(editor_client):
    draft = f.AgreementFactory(draft=True)
    citation = f.cite(draft)

    response = editor_client.post(admin_url(draft, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert models.Source.objects.filter(pk=citation.source_id).exists()
    # The citation went with its record, and its history keeps a copy.
    assert models.Citation.history.filter(id=citation.pk, history_type="-").exists()


def test_a_source_that_is_cited_cannot_be_deleted(editor_client):
    citation = f.cite(f.AgreementFactory(draft=True))

    response = editor_client.post(admin_url(citation.source, "delete"), {"post": "yes"})

    assert response.status_code == 200
    assert models.Source.objects.filter(pk=citation.source_id).exists()


def test_staff_only_fields_are_in_the_admin(editor_client):
    case = f.SupportCaseFactory(
        draft=True, staff_notes="Call Mr Kim first.", staff_contacts="kim@example.org"
    )

    page = editor_client.get(admin_url(case, "change")).content.decode()

    assert "Call Mr Kim first." in page
    assert "kim@example.org" in page


def test_anonymous_visitors_are_sent_to_the_login_page_and_cannot_write():
    client = Client()
    url = admin_url(models.Agreement, "add")

    assert client.get("/admin/").status_code == 302
    response = client.post(url, {"name": "Forged", "slug": "forged", "kind": "mou"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not models.Agreement.objects.exists()


def test_anonymous_visitors_cannot_publish_or_delete():
    mou = f.AgreementFactory(draft=True)
    client = Client()

    client.post(admin_url(models.Agreement), {"action": "publish", "_selected_action": [1]})
    client.post(admin_url(mou, "delete"), {"post": "yes"})

    mou.refresh_from_db()
    assert mou.is_published is False


def test_admin_forms_refuse_a_post_without_its_csrf_token():
    client = f.log_in_verified(Client(enforce_csrf_checks=True), f.AccountFactory(role="editor"))

    response = client.post(admin_url(models.Agreement, "add"), {"name": "Forged", "slug": "forged"})

    assert response.status_code == 403
    assert not models.Agreement.objects.exists()


def test_every_admin_form_carries_a_csrf_token(editor_client):
    page = editor_client.get(admin_url(models.Agreement, "add")).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page


def test_repeated_failed_logins_lock_the_account_out(settings):
    settings.AXES_FAILURE_LIMIT = 3
    f.AccountFactory(role="editor", username="eve")
    client = Client()
    login = reverse("admin:login")

    for _attempt in range(3):
        client.post(login, {"username": "eve", "password": "guess"})
    response = client.post(login, {"username": "eve", "password": f.STRONG_PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_gets_in_before_the_limit():
    f.AccountFactory(role="editor", username="ann")
    client = Client()
    login = reverse("admin:login")

    ann = get_user_model().objects.get(username="ann")

    client.post(login, {"username": "ann", "password": "guess"})
    response = client.post(
        login,
        {
            "username": "ann",
            "password": f.STRONG_PASSWORD,
            "otp_token": f.current_code(f.authenticator(ann)),
            "next": "/admin/",
        },
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_new_records_start_as_drafts():
    assert models.Agreement.objects.create(slug="new", name="New MOU").is_published is False
    assert models.Agreement(signed_on=datetime.date(2024, 1, 1)).is_published is False


def test_citing_the_same_quote_twice_is_refused_in_plain_words(editor_client):
    mou = f.AgreementFactory(draft=True)
    first = f.cite(mou, quote="The MOU was signed in Brussels.")
    url = admin_url(mou, "change")
    data = form_data(
        editor_client,
        url,
        **{
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": str(first.source_id),
            "citations-1-quote": "The MOU was signed in Brussels.",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "This record already cites that quote from that source." in response.content.decode()
    assert mou.citations.count() == 1


# Drafts and staff-only fields on the public side ------------------------------------


def test_visible_to_shows_drafts_only_to_staff_who_may_view_them():
    draft = f.AgreementFactory(draft=True, name="Draft MOU")
    public = f.AgreementFactory(name="Public MOU")
    outsider = get_user_model().objects.create_user("visitor", is_staff=False)
    staff_without_rights = get_user_model().objects.create_user("intern", is_staff=True)

    everything = {draft, public}
    assert set(models.Agreement.objects.visible_to(f.AccountFactory(role="editor"))) == everything
    assert set(models.Agreement.objects.visible_to(f.AccountFactory(role="reviewer"))) == everything
    for user in (AnonymousUser(), outsider, staff_without_rights):
        assert list(models.Agreement.objects.visible_to(user)) == [public]


def test_a_draft_is_hidden_from_the_public_list_and_detail_page(client):
    draft = f.AgreementFactory(draft=True, name="Draft MOU on hydrogen")
    list_url, detail_url = reverse("initiatives:agreement-list"), draft.get_absolute_url()

    assert client.get(detail_url).status_code == 404
    assert "Draft MOU on hydrogen" not in client.get(list_url).content.decode()


def test_staff_preview_a_draft_on_its_public_page(editor_client, client):
    draft = f.AgreementFactory(draft=True, name="Draft MOU on hydrogen")
    detail_url = draft.get_absolute_url()

    response = editor_client.get(detail_url)

    assert response.status_code == 200
    assert "Draft MOU on hydrogen" in response.content.decode()
    assert "Draft preview" in response.content.decode()
    assert client.get(detail_url).status_code == 404


def test_staff_only_fields_appear_on_no_public_page_export_or_api(client):
    case = f.SupportCaseFactory(
        name="Help for a food exporter",
        staff_notes="STAFF-NOTE-7731",
        staff_contacts="STAFF-CONTACT-7732",
    )
    detail_url, list_url = case.get_absolute_url(), reverse("initiatives:support-case-list")
    # The public page shows the case itself, only without its staff-only fields.
    assert "Help for a food exporter" in client.get(detail_url).content.decode()

    candidates = [
        detail_url,
        list_url,
        f"{list_url}?format=csv",
        f"{list_url}?format=json",
        f"{detail_url}?format=json",
        f"{reverse('initiatives:search')}?q=food",
        f"/api/support-cases/{case.slug}/",
        "/api/support-cases/",
    ]
    for url in candidates:
        response = client.get(url)
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        page = raw.decode()
        assert "STAFF-NOTE-7731" not in page, url
        assert "STAFF-CONTACT-7732" not in page, url
    # Nor are they searchable: searching for the note finds nothing.
    search = client.get(reverse("initiatives:search"), {"q": "STAFF-NOTE-7731"})
    assert "Help for a food exporter" not in search.content.decode()


def test_anonymous_visitors_reach_no_write_path_on_public_pages_or_the_api(client):
    mou = f.AgreementFactory(name="Published MOU")
    detail_url, list_url = mou.get_absolute_url(), reverse("initiatives:agreement-list")
    urls = [list_url, detail_url, "/api/agreements/", f"/api/agreements/{mou.slug}/"]

    for url in urls:
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(url, {"name": "Defaced"}, content_type="application/json")
            assert response.status_code in {403, 404, 405}, (method.__name__, url)

    mou.refresh_from_db()
    assert mou.name == "Published MOU"
    assert models.Agreement.objects.count() == 1


def test_deleting_a_country_would_not_take_its_reported_figures_with_it(editor_client):
    lonely = f.CountryFactory(code="lu", name="Luxembourg")
    figure = f.MetricFactory(draft=True, country=lonely)

    response = editor_client.post(admin_url(lonely, "delete"), {"post": "yes"})

    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert models.Metric.objects.filter(pk=figure.pk).exists()


# The country filter is a search box ----------------------------------------------------


NORTH_KOREA = "Korea, Democratic People's Republic of"


def _agreements_in(*codes_and_names):
    agreements = {}
    for code, name, name_ko in codes_and_names:
        country = f.CountryFactory(code=code, name=name, name_ko=name_ko)
        agreements[code] = f.AgreementFactory(draft=True, name=f"MOU with {name}", country=country)
    return agreements


def _listed(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    return {record.name for record in response.context["cl"].result_list}


@pytest.fixture
def countries_with_agreements():
    return _agreements_in(
        ("kr", "Korea, Republic of", "대한민국"),
        ("kp", NORTH_KOREA, "조선민주주의인민공화국"),
        ("pl", "Poland", "폴란드"),
        ("ge", "Georgia", "조지아"),
        ("de", "Germany", "독일"),
    )


def test_the_country_filter_is_a_search_box_not_a_link_per_country(
    editor_client, countries_with_agreements
):
    page = editor_client.get(admin_url(models.Agreement)).content.decode()

    assert '<form method="get" class="country-filter" role="search">' in page
    assert 'type="search" id="filter-country" name="country"' in page
    assert "?country=" not in page and "country__code__exact" not in page
    assert "Georgia" not in page.split('class="country-filter"')[1].split("</details>")[0]


@pytest.mark.parametrize(
    "typed, listed",
    [
        ("pl", {"MOU with Poland"}),
        ("PL", {"MOU with Poland"}),
        ("poland", {"MOU with Poland"}),
        ("폴란드", {"MOU with Poland"}),
        ("ge", {"MOU with Georgia"}),  # a code, not the start of "Germany"
        ("조지", {"MOU with Georgia"}),
        ("korea", {"MOU with Korea, Republic of", f"MOU with {NORTH_KOREA}"}),
        ("atlantis", set()),
        ("k\x00r", set()),  # refused, never sent to the database
        ("x" * 5000, set()),
    ],
)
def test_the_country_filter_takes_a_code_or_a_name_in_either_language(
    editor_client, countries_with_agreements, typed, listed
):
    response = editor_client.get(admin_url(models.Agreement), {"country": typed})

    assert _listed(response) == listed


def test_several_matching_countries_are_offered_as_links_that_filter_by_code(
    editor_client, countries_with_agreements
):
    response = editor_client.get(admin_url(models.Agreement), {"country": "korea"})
    page = response.content.decode()

    assert "2 countries match; pick one to narrow the list." in page
    assert 'href="?country=kp"' in page and 'href="?country=kr"' in page
    narrowed = editor_client.get(admin_url(models.Agreement) + "?country=kr")
    assert _listed(narrowed) == {"MOU with Korea, Republic of"}
    assert 'value="kr"' in narrowed.content.decode()


def test_a_country_that_matches_nothing_says_so_and_lists_nothing(
    editor_client, countries_with_agreements
):
    response = editor_client.get(admin_url(models.Agreement), {"country": "atlantis"})

    assert _listed(response) == set()
    assert "No country matches “atlantis”." in response.content.decode()


def test_the_country_box_keeps_the_lists_other_filters_search_and_order(
    editor_client, countries_with_agreements
):
    countries_with_agreements["pl"].status = models.Agreement.Status.EXPIRED
    countries_with_agreements["pl"].save()
    params = {"status__exact": "signed", "q": "MOU", "o": "1", "country": "de"}
    response = editor_client.get(admin_url(models.Agreement), params)
    box = response.content.decode().split('class="country-filter"')[1].split("</form>")[0]

    for name, value in (("status__exact", "signed"), ("q", "MOU"), ("o", "1")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in box
    assert 'name="country" value="de"' in box
    assert '<input type="hidden" name="country"' not in box
    # Submitting the box as a browser would (the other filters kept) filters by both.
    submitted = {**params, "country": "poland"}
    assert _listed(editor_client.get(admin_url(models.Agreement), submitted)) == set()
    submitted["status__exact"] = "expired"
    assert _listed(editor_client.get(admin_url(models.Agreement), submitted)) == {"MOU with Poland"}


def test_every_admin_list_with_a_country_filter_uses_the_search_box(editor_client):
    from initiatives.admin_filters import CountrySearchFilter

    rows = f.one_of_everything()
    with_country = []
    for model in PORTAL_MODELS:
        model_admin = admin.site._registry[model]
        for item in model_admin.list_filter:
            path = item[0] if isinstance(item, tuple) else item
            if isinstance(path, str) and path.split("__")[-1] == "country":
                assert isinstance(item, tuple) and item[1] is CountrySearchFilter, model
                with_country.append(model)
                code = rows["country"].code
                response = editor_client.get(admin_url(model), {path: code})
                assert response.status_code == 200, model
                assert response.context["cl"].result_count >= 0
                assert f'id="filter-{path}"' in response.content.decode()
    assert models.Agreement in with_country and models.AgreementParty in with_country


def test_the_party_list_filters_by_the_ministrys_country(editor_client):
    poland = f.CountryFactory(code="pl", name="Poland", name_ko="폴란드")
    polish = f.MinistryFactory(draft=True, name="Ministry of Development", country=poland)
    korean = f.MinistryFactory(draft=True, name="Ministry of SMEs and Startups")
    mou = f.AgreementFactory(draft=True)
    f.AgreementPartyFactory(agreement=mou, ministry=korean)
    f.AgreementPartyFactory(agreement=mou, ministry=polish)

    response = editor_client.get(admin_url(models.AgreementParty), {"ministry__country": "폴란드"})

    assert [p.ministry.name for p in response.context["cl"].result_list] == [
        "Ministry of Development"
    ]


def test_the_country_box_speaks_korean_to_a_korean_editor(editor_client, countries_with_agreements):
    response = editor_client.get(
        admin_url(models.Agreement), {"country": "korea"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    page = response.content.decode()

    assert "국가 이름 또는 코드" in page
    assert "2개 국가가 맞습니다. 하나를 골라 목록을 좁히세요." in page
    assert "대한민국 (kr)" in page


def test_the_country_box_works_with_the_lists_counts_shown(
    editor_client, countries_with_agreements
):
    response = editor_client.get(admin_url(models.Agreement), {"_facets": "True", "country": "pl"})

    assert _listed(response) == {"MOU with Poland"}
    assert '<input type="hidden" name="_facets" value="True">' in response.content.decode()
