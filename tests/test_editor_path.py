"""The editor's path from a new document to published, cited records: sources hold
their text, quotes are checked against it wherever they are entered, a record goes
public only whole, and dates are typed as people write them."""

import hashlib
import io
import json

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from initiatives import admin as admin_module
from initiatives import models, publishing
from initiatives.admin_fields import PartialDateField
from initiatives.management.commands.load_portal_data import SOURCE_TEXTS
from initiatives.publishing import dependents, publication_plan
from initiatives.quotes import closest_passage, quote_in_text, sentences
from initiatives.source_text import extract_text
from tests import factories as f
from tests.admin_forms import admin_url, form_data

pytestmark = pytest.mark.django_db

PRESS_RELEASE = (
    "Korea and Poland Sign SME Cooperation MOU\n\n"
    "Korea and Poland signed a Memorandum of Understanding on SME cooperation in Warsaw "
    "on 12 March 2026. The MOU was signed by Minister Han Seong-sook and Minister "
    "Krzysztof Paszyk of Poland’s Ministry of Development and Technology.\n\n"
    "Both sides agreed to hold a policy dialogue every year – starting in May.\n"
)
QUOTE = "Korea and Poland signed a Memorandum of Understanding on SME cooperation in Warsaw"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


@pytest.fixture
def editor_client():
    return f.log_in_verified(Client(), f.AccountFactory(role="editor"))


@pytest.fixture
def reviewer_client():
    return f.log_in_verified(Client(), f.AccountFactory(role="reviewer"))


# Quotes against the text ---------------------------------------------------------------


def test_a_quote_matches_across_line_breaks_and_typographic_variants():
    typed = "Poland's Ministry of Development and Technology. Both sides agreed to hold a "
    typed += "policy dialogue every year - starting in May."
    assert quote_in_text(typed, PRESS_RELEASE)
    assert not quote_in_text("Korea and Poland signed a free trade agreement", PRESS_RELEASE)
    assert not quote_in_text("   ", PRESS_RELEASE)


def test_the_closest_passage_is_the_sentence_the_editor_meant():
    passage = closest_passage("Korea and Poland signed an MOU on trade in Warsaw", PRESS_RELEASE)
    assert passage.startswith("Korea and Poland signed a Memorandum of Understanding")


def test_sentences_split_a_document_into_citable_lines():
    found = sentences(PRESS_RELEASE)
    assert found[0] == "Korea and Poland Sign SME Cooperation MOU"
    assert QUOTE + " on 12 March 2026." in found
    assert all("\n" not in sentence for sentence in found)


def test_a_citation_whose_quote_is_not_in_its_source_cannot_be_saved():
    source = f.SourceFactory(text=PRESS_RELEASE)
    mou = f.AgreementFactory(cited=False)
    invented = models.Citation(source=source, agreement=mou, quote="Poland joined the council.")

    with pytest.raises(ValidationError) as refused:
        invented.save()

    assert "closest passage" in str(refused.value)
    assert not models.Citation.objects.filter(agreement=mou).exists()
    models.Citation.objects.create(source=source, agreement=mou, quote=QUOTE)


def test_a_source_without_text_cannot_be_cited_in_a_form():
    source = f.SourceFactory(text="")
    mou = f.AgreementFactory(cited=False)
    with pytest.raises(ValidationError, match="holds no text"):
        models.Citation(source=source, agreement=mou, quote=QUOTE).full_clean()


# Sources hold their text -----------------------------------------------------------------


def test_the_content_hash_is_computed_from_the_text_never_typed():
    source = f.SourceFactory(text=PRESS_RELEASE)
    assert source.content_hash == hashlib.sha256(PRESS_RELEASE.encode()).hexdigest()
    assert not models.Source._meta.get_field("content_hash").editable


def test_text_is_taken_out_of_html_and_plain_text_uploads():
    page = (
        "<html><head><title>MSS</title></head><body><nav>Home | News | Contact</nav>"
        "<article><h1>Korea and Poland Sign SME Cooperation MOU</h1>"
        f"<p>{QUOTE} on 12 March 2026. Both sides agreed to hold a policy dialogue every "
        "year, starting in May, and to exchange experts on startup support.</p>"
        "<p>The ministries will report on the dialogue to their governments each year, "
        "and the first meeting is planned in Seoul.</p></article>"
        "<footer>Copyright MSS</footer></body></html>"
    )
    text = extract_text("release.html", page.encode())
    assert QUOTE in text
    assert "Home | News" not in text
    assert extract_text("release.txt", PRESS_RELEASE.encode()) == PRESS_RELEASE
    with pytest.raises(ValidationError):
        extract_text("release.docx", b"PK\x03\x04")


def test_text_is_taken_out_of_a_pdf():
    pdf = _pdf_saying("Korea and Poland signed an MOU in Warsaw.")
    assert "Korea and Poland signed an MOU in Warsaw." in extract_text("release.pdf", pdf)


def _pdf_saying(line: str) -> bytes:
    """A one-page PDF holding ``line``, written by hand (pypdf reads but does not lay out text)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (6, xref))
    return out.getvalue()


def test_an_editor_adds_a_source_by_uploading_its_document(editor_client):
    url = admin_url(models.Source, "add")
    data = form_data(
        editor_client,
        url,
        name="MSS press release on Poland",
        slug="mss-poland-2026",
        publisher="Ministry of SMEs and Startups",
        published_on="12 March 2026",
        language="en",
        text="",
    )
    data["upload"] = io.BytesIO(PRESS_RELEASE.encode())
    data["upload"].name = "release.txt"

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    source = models.Source.objects.get(slug="mss-poland-2026")
    assert source.text == PRESS_RELEASE
    assert source.content_hash == hashlib.sha256(PRESS_RELEASE.encode()).hexdigest()
    assert (source.published_on.isoformat(), source.published_on_precision) == (
        "2026-03-12",
        "day",
    )
    assert source.is_published is False


def test_a_source_form_without_text_is_refused(editor_client):
    url = admin_url(models.Source, "add")
    data = form_data(editor_client, url, name="Empty", slug="empty", language="en", text="")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "A source needs its text" in response.content.decode()


def test_the_source_text_stays_off_public_pages_and_the_api(client):
    source = f.SourceFactory(text=PRESS_RELEASE + "Staff-only sentence.\n")
    f.cite(f.AgreementFactory(cited=False), source=source, quote=QUOTE)
    page = client.get(source.get_absolute_url()).content.decode()
    api = client.get(f"/api/sources/{source.slug}/").content.decode()
    assert "Staff-only sentence" not in page
    assert "Staff-only sentence" not in api


def test_cite_from_the_text_lists_the_sources_sentences_matching_a_search(editor_client):
    source = f.SourceFactory(text=PRESS_RELEASE)
    url = reverse("admin:initiatives_source_sentences", args=[source.pk])

    found = editor_client.get(url, {"q": "warsaw"}).json()["sentences"]

    assert found == [QUOTE + " on 12 March 2026."]
    assert len(editor_client.get(url).json()["sentences"]) == len(sentences(PRESS_RELEASE))
    assert Client().get(url).status_code == 302  # the public is sent to the login page


def test_the_citation_form_offers_a_search_of_the_sources_sentences(editor_client):
    page = editor_client.get(admin_url(models.Agreement, "add")).content.decode()
    assert 'class="cite-search"' in page
    assert "admin/initiatives/cite_from_text." in page


# The loader ----------------------------------------------------------------------------------


@pytest.fixture
def loaded(db):
    call_command("load_portal_data", verbosity=0)


def test_the_loader_stores_each_fixture_sources_text(loaded):
    for source in models.Source.objects.exclude(text_file=""):
        held = (SOURCE_TEXTS / source.text_file).read_text("utf-8")
        assert source.text == held
        assert source.content_hash == hashlib.sha256(held.encode()).hexdigest()


def test_the_loader_refuses_a_fixture_quote_not_in_its_source(loaded, tmp_path):
    source = models.Source.objects.exclude(text_file="").first()
    mou = models.Agreement.objects.first()
    row = {
        "model": "initiatives.citation",
        "fields": {
            "source": [source.slug],
            "agreement": [mou.slug],
            "quote": "A sentence that no source ever said.",
        },
    }
    fixture = tmp_path / "bad.json"
    fixture.write_text(json.dumps([row]))

    with pytest.raises(CommandError, match="closest passage"):
        call_command("load_portal_data", str(fixture), verbosity=0)


def test_the_loader_fills_the_text_of_sources_loaded_before_they_held_it(loaded):
    models.Source.objects.update(text="")
    call_command("load_portal_data", verbosity=0)
    assert not models.Source.objects.exclude(text_file="").filter(text="").exists()


# Nothing half-public ----------------------------------------------------------------------


def _mou_with_draft_links():
    """A draft MOU with a published party and a new (draft) ministry, signatory and source."""
    source = f.SourceFactory(draft=True, text=PRESS_RELEASE)
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    polish = f.MinistryFactory(draft=True, name="Ministry of Development and Technology")
    f.cite(polish, source=source, quote=QUOTE)
    paszyk = f.PersonFactory(draft=True, name="Krzysztof Paszyk")
    f.cite(paszyk, source=source, quote=QUOTE)
    mou = f.AgreementFactory(draft=True, name="Korea–Poland SME MOU", parties=(mss,))
    f.AgreementPartyFactory(agreement=mou, ministry=polish, signatory=paszyk, order=1)
    f.cite(mou, source=source, quote=QUOTE)
    return mou, {source, polish, paszyk}


def test_publication_plan_lists_every_linked_draft():
    mou, drafts = _mou_with_draft_links()
    plan = publication_plan([mou])
    assert plan.ready
    assert set(plan.linked_drafts) == drafts


def test_a_record_without_a_verified_citation_cannot_be_published(reviewer_client):
    mou = f.AgreementFactory(draft=True)

    response = reviewer_client.post(
        admin_url(models.Agreement),
        {"action": "publish", "_selected_action": [mou.pk]},
        follow=True,
    )

    assert "has no verified citation" in response.content.decode()
    mou.refresh_from_db()
    assert mou.is_published is False


def test_publishing_with_linked_drafts_asks_then_publishes_them_together(reviewer_client):
    mou, drafts = _mou_with_draft_links()
    url = admin_url(models.Agreement)
    choice = {"action": "publish", "_selected_action": [mou.pk]}

    asked = reviewer_client.post(url, choice).content.decode()

    assert "Publish with 3 linked drafts" in asked
    assert "Krzysztof Paszyk" in asked
    mou.refresh_from_db()
    assert mou.is_published is False

    reviewer_client.post(url, {**choice, "publish_linked_drafts": "yes"})

    assert models.Agreement.objects.published().filter(pk=mou.pk).exists()
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.is_published, draft


def test_a_linked_draft_without_a_citation_stops_the_whole_publication(reviewer_client):
    mou, _drafts = _mou_with_draft_links()
    models.Citation.objects.filter(person__isnull=False).delete()
    url = admin_url(models.Agreement)

    response = reviewer_client.post(
        url,
        {"action": "publish", "_selected_action": [mou.pk], "publish_linked_drafts": "yes"},
        follow=True,
    )

    assert "Krzysztof Paszyk" in response.content.decode()
    assert not models.Agreement.objects.published().filter(pk=mou.pk).exists()
    assert not models.Ministry.objects.published().filter(name__contains="Development").exists()


def test_ticking_published_on_a_record_with_draft_links_is_refused(reviewer_client):
    mou, _drafts = _mou_with_draft_links()
    url = admin_url(mou, "change")

    response = reviewer_client.post(
        url, form_data(reviewer_client, url, is_published="on"), follow=True
    )

    assert "links to drafts" in response.content.decode()
    mou.refresh_from_db()
    assert mou.is_published is False


def test_unpublishing_a_record_that_published_records_depend_on_names_them(reviewer_client):
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    mou = f.AgreementFactory(name="Korea–Belgium MOU", parties=(mss,))
    assert dependents(mss) == [mou]

    response = reviewer_client.post(
        admin_url(models.Ministry),
        {"action": "unpublish", "_selected_action": [mss.pk]},
        follow=True,
    )

    assert "Korea–Belgium MOU" in response.content.decode()
    mss.refresh_from_db()
    assert mss.is_published is True


def test_a_widely_depended_on_record_is_refused_naming_the_first_few(reviewer_client, monkeypatch):
    monkeypatch.setattr(publishing, "DEPENDENTS_NAMED", 3)
    monkeypatch.setattr(admin_module, "DEPENDENTS_NAMED", 3)
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    mous = [f.AgreementFactory(name=f"MOU {n}", parties=(mss,)) for n in range(5)]

    response = reviewer_client.post(
        admin_url(models.Ministry),
        {"action": "unpublish", "_selected_action": [mss.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert sum(mou.name in page for mou in mous) == 3
    assert "there may be more" in page
    mss.refresh_from_db()
    assert mss.is_published is True


def test_records_unpublished_together_do_not_hold_each_other_back(reviewer_client):
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    mous = [f.AgreementFactory(name=f"MOU {n}", parties=(mss,)) for n in range(3)]
    chosen = frozenset((type(r), r.pk) for r in [mss, *mous])

    assert dependents(mss, limit=1, excluding=chosen) == []
    assert dependents(mss, limit=1, excluding=chosen - {(type(mous[2]), mous[2].pk)}) == [mous[2]]


def test_the_change_page_says_draft_and_what_publishing_it_takes(editor_client):
    mou, _drafts = _mou_with_draft_links()
    page = editor_client.get(admin_url(mou, "change")).content.decode()
    assert "Draft, not public" in page
    assert "Krzysztof Paszyk" in page
    published = f.AgreementFactory()
    assert "Published" in editor_client.get(admin_url(published, "change")).content.decode()


# Dates in one field --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "iso", "precision"),
    [
        ("2026", "2026-01-01", "year"),
        ("2026-03", "2026-03-01", "month"),
        ("2026.03", "2026-03-01", "month"),
        ("March 2026", "2026-03-01", "month"),
        ("2026년 3월", "2026-03-01", "month"),
        ("2026-03-15", "2026-03-15", "day"),
        ("15 March 2026", "2026-03-15", "day"),
    ],
)
def test_a_date_field_reads_each_written_form_with_its_precision(typed, iso, precision):
    date = PartialDateField(required=False).clean(typed)
    assert (date.value.isoformat(), date.precision) == (iso, precision)


def test_a_month_date_saves_in_one_pass_and_all_errors_show_at_once(editor_client):
    mou = f.AgreementFactory(draft=True)
    url = admin_url(mou, "change")

    refused = editor_client.post(
        url, form_data(editor_client, url, signed_on="2026-03", expires_on="2020", name="")
    ).content.decode()

    assert "This field is required." in refused
    assert "An agreement cannot expire before it is signed." in refused

    saved = editor_client.post(url, form_data(editor_client, url, signed_on="2026-03"))

    assert saved.status_code == 302
    mou.refresh_from_db()
    assert (mou.signed_on.isoformat(), mou.signed_on_precision) == ("2026-03-01", "month")


def test_an_inline_post_row_takes_a_month_date_in_one_field(editor_client):
    person = f.PersonFactory(draft=True)
    ministry = f.MinistryFactory(draft=True)
    url = admin_url(person, "change")
    page = editor_client.get(url).content.decode()
    assert 'name="posts-__prefix__-held_from"' in page
    assert "held_from_precision" not in page

    data = form_data(
        editor_client,
        url,
        **{
            "posts-TOTAL_FORMS": "1",
            "posts-0-title": "Minister of SMEs and Startups",
            "posts-0-ministry": ministry.pk,
            "posts-0-held_from": "2026년 3월",
            "posts-0-seen_on": "15 March 2026",
        },
    )
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    post = person.posts.get()
    assert (post.held_from.isoformat(), post.held_from_precision) == ("2026-03-01", "month")
    assert (post.seen_on.isoformat(), post.seen_on_precision) == ("2026-03-15", "day")
    assert post.held_to is None


def test_an_inline_alias_row_shows_its_date_as_written_and_saves_it_again_unchanged(
    editor_client,
):
    ministry = f.MinistryFactory(draft=True)
    url = admin_url(ministry, "change")
    data = form_data(
        editor_client,
        url,
        **{
            "aliases-TOTAL_FORMS": "1",
            "aliases-0-name": "Small and Medium Business Administration",
            "aliases-0-language": "en",
            "aliases-0-kind": "former",
            "aliases-0-used_from": "1996",
            "aliases-0-used_to": "2017.07",
        },
    )
    assert editor_client.post(url, data).status_code == 302
    alias = ministry.aliases.get()
    assert (alias.used_from_precision, alias.used_to_precision) == ("year", "month")

    page = editor_client.get(url).content.decode()
    assert 'value="1996"' in page and 'value="2017-07"' in page
    before = alias.history.count()
    assert editor_client.post(url, form_data(editor_client, url)).status_code == 302
    assert alias.history.count() == before  # an unchanged row is not written again


def test_an_inline_date_that_cannot_be_read_is_refused_on_its_row(editor_client):
    ministry = f.MinistryFactory(draft=True)
    url = admin_url(ministry, "change")
    data = form_data(
        editor_client,
        url,
        **{
            "aliases-TOTAL_FORMS": "1",
            "aliases-0-name": "SMBA",
            "aliases-0-kind": "acronym",
            "aliases-0-language": "en",
            "aliases-0-used_from": "sometime",
        },
    )
    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"]
    errors = [
        form.errors
        for formset in response.context["inline_admin_formsets"]
        for form in formset.formset.forms
        if form.errors
    ]
    assert [list(e) for e in errors] == [["used_from"]], errors
    assert not ministry.aliases.exists()


def test_no_admin_inline_asks_for_a_dates_precision_apart():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("root", "root@example.org")
    dated = []
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(request):
            names = getattr(inline.model, "partial_date_field_names", list)()
            fields = inline.get_formset(request).form.base_fields
            assert not [name for name in fields if name.endswith("_precision")], inline
            dated += [(inline.model.__name__, name) for name in names if name in fields]
    assert {model for model, _name in dated} >= {"Alias", "Post"}


def test_an_inferred_date_needs_a_reason_which_the_public_note_keeps(editor_client):
    mou = f.AgreementFactory(draft=True)
    url = admin_url(mou, "change")
    data = form_data(editor_client, url, signed_on="2026-01-05", signed_on_inferred="on")

    assert "Say how the date was worked out" in editor_client.post(url, data).content.decode()

    data["signed_on_inferred_reason"] = "The release says January 5; it is dated 2026."
    assert editor_client.post(url, data).status_code == 302
    mou.refresh_from_db()
    assert mou.signed_on_inferred is True
    assert "The release says January 5; it is dated 2026." in mou.note


# Review of changes ------------------------------------------------------------------------


def test_an_editors_change_to_a_published_record_waits_in_the_queue_with_its_diff(
    editor_client, reviewer_client
):
    mou = f.AgreementFactory(name="Korea–Belgium MOU", summary="Old summary.")
    url = admin_url(mou, "change")
    response = editor_client.post(url, form_data(editor_client, url, summary="New summary."))
    assert response.status_code == 302

    assert "waiting for review" in editor_client.get(url).content.decode()
    queue = reviewer_client.get(reverse("admin-review-queue")).content.decode()
    assert "Korea–Belgium MOU" in queue
    assert "<del>Old summary.</del>" in queue
    assert "<ins>New summary.</ins>" in queue

    review = models.ChangeReview.objects.get()
    reviewer_client.post(reverse("admin-review-queue"), {"review": review.pk, "decision": "revert"})

    mou.refresh_from_db()
    assert mou.summary == "Old summary."
    assert models.ChangeReview.objects.waiting().count() == 0


def test_editors_cannot_settle_reviews_and_reviewers_changes_are_not_queued(
    editor_client, reviewer_client
):
    mou = f.AgreementFactory(summary="Old summary.")
    url = admin_url(mou, "change")
    editor_client.post(url, form_data(editor_client, url, summary="New summary."))
    review = models.ChangeReview.objects.get()

    refused = editor_client.post(
        reverse("admin-review-queue"), {"review": review.pk, "decision": "accept"}
    )

    assert refused.status_code == 403
    reviewer_client.post(url, form_data(reviewer_client, url, summary="Reviewed summary."))
    assert models.ChangeReview.objects.count() == 1


def test_the_queue_lists_new_drafts_oldest_first(reviewer_client):
    older = f.MinistryFactory(draft=True, name="Older draft ministry")
    newer = f.AgreementFactory(draft=True, name="Newer draft MOU")
    models.Ministry.objects.filter(pk=older.pk).update(
        created_at=newer.created_at.replace(year=2020)
    )

    queue = reviewer_client.get(reverse("admin-review-queue")).content.decode()

    assert queue.index("Older draft ministry") < queue.index("Newer draft MOU")


# The admin's home ------------------------------------------------------------------------


def test_the_admin_home_is_grouped_by_task_without_join_tables(editor_client):
    home = editor_client.get(reverse("admin:index")).content.decode()
    for title in [
        "Agreements and parties",
        "Councils and meetings",
        "Support cases",
        "People and organizations",
        "Sources and citations",
    ]:
        assert title in home
    assert "model-agreementparty" not in home
    assert "model-meetingparticipant" not in home
    assert home.index("Agreements and parties") < home.index("Sources and citations")


def test_a_party_saved_on_its_own_page_cannot_link_a_published_mou_to_a_draft(
    reviewer_client,
):
    mss = f.MinistryFactory(name="Ministry of SMEs and Startups")
    mou = f.AgreementFactory(name="Korea–Poland SME MOU", parties=(mss,))
    polish = f.MinistryFactory(draft=True, name="Ministry of Development")
    url = admin_url(models.AgreementParty, "add")
    data = form_data(reviewer_client, url, agreement=mou.pk, ministry=polish.pk, order=1)

    response = reviewer_client.post(url, data, follow=True)

    assert "Ministry of Development" in response.content.decode()
    assert not mou.parties.filter(ministry=polish).exists()
