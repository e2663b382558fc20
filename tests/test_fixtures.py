"""The seed fixtures obey the data rules in DESIGN.md."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from initiatives.models import (
    CITABLE,
    Agreement,
    AgreementRelation,
    Alias,
    Citation,
    Council,
    Meeting,
    Metric,
    Ministry,
    Organization,
    Person,
    Record,
    Source,
    SupportCase,
)


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SOURCE_TEXTS = Path(settings.SOURCE_TEXTS_DIR)


def collapse_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def public_record_models():
    return [
        model
        for model in apps.get_app_config("initiatives").get_models()
        if issubclass(model, Record) and model is not Source
    ]


def snapshot():
    """Every row of every portal table, as plain values."""
    return {
        model._meta.label: sorted(
            (json.dumps(row, sort_keys=True, default=str) for row in model.objects.values()),
        )
        for model in apps.get_app_config("initiatives").get_models()
    }


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.name)
def test_fixtures_use_natural_keys_not_numeric_ids(path):
    for row in json.loads(path.read_text(encoding="utf-8")):
        assert not isinstance(row.get("pk"), int), row
        for name, value in row["fields"].items():
            assert not isinstance(value, int) or isinstance(value, bool) or name == "order", (
                f"{row['model']}.{name} holds a number where a natural key belongs: {row}"
            )
            if isinstance(value, list):
                assert all(not isinstance(item, int) for item in value), (name, row)


def test_every_public_record_has_a_citation(portal_data):
    uncited = [
        f"{model.__name__} {slug}"
        for model in public_record_models()
        for slug in model.objects.filter(citations__isnull=True).values_list("slug", flat=True)
    ]
    assert uncited == []


def test_every_quote_appears_word_for_word_in_its_source(portal_data):
    texts = {
        source.pk: collapse_whitespace((SOURCE_TEXTS / source.text_file).read_text("utf-8"))
        for source in Source.objects.all()
    }
    missing = [
        (citation.source.slug, citation.quote)
        for citation in Citation.objects.select_related("source")
        if collapse_whitespace(citation.quote) not in texts[citation.source_id]
    ]
    assert Citation.objects.count() > 100
    assert missing == []


def test_source_hashes_match_the_texts_held(portal_data):
    for source in Source.objects.all():
        data = (SOURCE_TEXTS / source.text_file).read_bytes()
        assert source.content_hash == hashlib.sha256(data).hexdigest(), source.slug


def test_every_source_text_in_the_repository_is_a_source(portal_data):
    held = {path.name for path in SOURCE_TEXTS.glob("*.txt")}
    assert held == set(Source.objects.values_list("text_file", flat=True))
    assert all(Citation.objects.filter(source=source).exists() for source in Source.objects.all())


def test_fixture_records_pass_model_validation(portal_data):
    for model in public_record_models() + [Source]:
        for record in model.objects.all():
            record.full_clean()


def test_loading_twice_changes_nothing(portal_data):
    before = snapshot()
    call_command("load_portal_data", verbosity=0)
    assert snapshot() == before


def test_reload_keeps_records_editors_added_and_changed(portal_data):
    korea = Ministry.objects.get(slug="mss").country
    Ministry.objects.create(
        slug="motie", name="Ministry of Trade, Industry and Energy", country=korea
    )
    corrected = Agreement.objects.get(slug="mss-mofa-global-expansion-mou-2024")
    corrected.summary = "An editor's corrected summary."
    corrected.save()

    call_command("load_portal_data", verbosity=0)

    assert Ministry.objects.filter(slug="motie").exists()
    corrected.refresh_from_db()
    assert corrected.summary == "An editor's corrected summary."


def test_reload_leaves_a_fixture_record_an_editor_deleted_deleted(portal_data):
    alias = {"person__slug": "oh-young-ju", "name": "Oh Young-joo"}
    Alias.objects.filter(**alias).delete()
    call_command("load_portal_data", verbosity=0)
    assert not Alias.objects.filter(**alias).exists()

    call_command("load_portal_data", overwrite=True, verbosity=0)
    assert Alias.objects.filter(**alias).exists()


def test_reload_after_an_editor_renames_a_record_others_refer_to(portal_data):
    Ministry.objects.filter(slug="mss").update(slug="ministry-of-smes-and-startups")
    before = snapshot()
    call_command("load_portal_data", verbosity=0)
    assert snapshot() == before


def test_overwrite_restores_the_fixture_version_of_a_corrected_record(portal_data):
    Agreement.objects.filter(slug="jeju-initiative").update(summary="Changed.")
    call_command("load_portal_data", overwrite=True, verbosity=0)
    assert Agreement.objects.get(slug="jeju-initiative").summary.startswith("Adopted at the 2025")


def test_every_fixture_record_is_published(portal_data):
    for model in public_record_models():
        assert not model.objects.filter(is_published=False).exists(), model


def test_one_record_per_name_and_no_alias_names_another_record(portal_data):
    for model in [Person, Organization, Ministry, Council, Agreement]:
        kind = model._meta.model_name
        owners = {}
        for slug, name in model.objects.values_list("slug", "name"):
            owners.setdefault(name.casefold(), []).append(slug)
        assert all(len(slugs) == 1 for slugs in owners.values()), owners
        for alias in Alias.objects.filter(**{f"{kind}__isnull": False}).select_related(kind):
            owner = owners.get(alias.name.casefold())
            assert owner in (None, [getattr(alias, kind).slug]), alias


# What the documents say, fact by fact, for the facts most easily got wrong.


def test_dates_are_kept_at_the_precision_the_documents_give(portal_data):
    def agreement(slug):
        return Agreement.objects.get(slug=slug)

    belgium = agreement("korea-belgium-sme-startup-mou-2026").signed
    assert (str(belgium), belgium.inferred) == ("2026", True)
    china = agreement("korea-china-sme-innovation-mou-2026").signed
    assert (str(china), china.inferred) == ("5 January 2026", True)
    mofa = agreement("mss-mofa-global-expansion-mou-2024").signed
    assert (str(mofa), mofa.inferred) == ("April 2024", False)
    expired = agreement("korea-china-previous-sme-agreement")
    assert (expired.signed, str(expired.expires), expired.status) == (None, "June 2024", "expired")

    council_meeting = Meeting.objects.get(slug="policy-council-first-meeting-2024-12-17").held
    assert (str(council_meeting), council_meeting.inferred) == ("17 December 2024", False)
    strategy = Meeting.objects.get(slug="sme-globalization-strategy-meeting").held
    assert (str(strategy), strategy.inferred) == ("2024", True)
    inaugural = Meeting.objects.get(slug="consultative-bodies-inaugural-meeting-2024-04-17").held
    assert (str(inaugural), inaugural.inferred) == ("17 April 2024", True)


def test_agreement_parties_and_signatories_match_the_documents(portal_data):
    parties = {
        (party.ministry.slug, party.signatory and party.signatory.name, party.signatory_title)
        for party in Agreement.objects.get(
            slug="korea-belgium-sme-startup-mou-2026"
        ).parties.select_related("ministry", "signatory")
    }
    assert parties == {
        ("mss", "Roh Yong-Seok", "Vice Minister"),
        ("belgium-ministry-middle-classes-self-employed-smes", "Eleonore Simonet", "Minister"),
    }
    china = Agreement.objects.get(slug="korea-china-sme-innovation-mou-2026")
    assert set(china.parties.values_list("ministry__slug", flat=True)) == {"mss", "miit"}
    assert not china.parties.filter(signatory__isnull=False).exists()  # not named in the source


def test_agreement_relations_are_typed_links(portal_data):
    relations = set(
        AgreementRelation.objects.values_list("from_agreement__slug", "kind", "to_agreement__slug")
    )
    # One relation per sentence: "replaces" is a renewal (the earlier one had expired),
    # and "builds on" is not "implements".
    assert relations == {
        ("korea-china-sme-innovation-mou-2026", "renews", "korea-china-previous-sme-agreement"),
        ("korea-china-sme-innovation-mou-2026", "builds-on", "jeju-initiative"),
    }


def test_councils_link_to_their_umbrella_mission_and_agreement(portal_data):
    umbrella = Council.objects.get(slug="support-council-of-diplomatic-missions")
    assert umbrella.established_under.slug == "mss-mofa-global-expansion-mou-2024"
    children = {
        council.slug: (council.mission.slug, council.country_id, council.status)
        for council in umbrella.children.select_related("mission")
    }
    assert children == {
        "consultative-body-los-angeles": ("consulate-general-los-angeles", "us", "active"),
        "consultative-body-san-francisco": ("consulate-general-san-francisco", "us", "active"),
        "consultative-body-singapore": ("embassy-singapore", "sg", "active"),
        "consultative-body-vietnam": ("embassy-vietnam", "vn", "active"),
        "consultative-body-india": ("embassy-india", "in", "forming"),
        "consultative-body-ho-chi-minh-city": ("mission-ho-chi-minh-city", "vn", "forming"),
        "consultative-body-frankfurt": ("mission-frankfurt", "de", "forming"),
    }


def test_support_case_links_to_its_council_meeting_and_actors(portal_data):
    case = SupportCase.objects.get(slug="poen-factory-site-and-permits-germany")
    assert case.company.slug == "poen"
    assert case.council.slug == "support-council-of-diplomatic-missions"
    assert case.reported_at.slug == "policy-council-first-meeting-2024-12-17"
    actors = [
        action.organization.slug if action.organization else action.actor
        for action in case.actions.select_related("organization")
    ]
    assert actors == [
        "The Consulate General",
        "baden-wurttemberg-state-government",
        "kosme",
        "frankfurt-trade-office",
    ]


def test_reported_figures_keep_their_subjects_and_as_of_dates(portal_data):
    def figure(slug):
        metric = Metric.objects.get(slug=slug)
        return (metric.subject.slug, int(metric.value), str(metric.measured), metric.qualifier)

    assert figure("support-council-meetings-held")[:2] == (
        "support-council-of-diplomatic-missions",
        46,
    )
    assert figure("support-council-countries")[:2] == ("support-council-of-diplomatic-missions", 17)
    # The release attributes these two to MOFA, not to the council.
    assert figure("mofa-on-site-support-cases") == ("mofa", 241, "30 November 2024", "")
    assert figure("mofa-local-market-information") == ("mofa", 401, "30 November 2024", "")
    expected = figure("missions-expected-with-consultative-bodies")
    assert expected[1:] == (25, "May 2024", "approximately")
    assert figure("strategy-meeting-online-participants")[1:] == (30, "2024", "more-than")


def test_every_citable_kind_is_cited_somewhere(portal_data):
    for name, model in CITABLE:
        assert model.objects.exists(), f"no {name} in the fixtures"
