"""No lost updates: an editor saving a form of a record that someone else saved since it
was opened is refused, shown both versions, and keeps their input; rows added twice (in
one form, or by two editors at once) are form errors, never server errors.

Runs on SQLite and PostgreSQL alike (``make test`` with DATABASE_URL)."""

import pytest
from django.db.models import UniqueConstraint
from django.db.models.signals import pre_save
from django.test import Client

from initiatives import models
from initiatives.admin import UniqueRowsFormSet
from tests import factories as f
from tests.admin_forms import admin_url, form_data, form_data_from

pytestmark = pytest.mark.django_db

REFUSED = "saved this record after you opened it"
ALIAS = {"name": "KR-BE startup MOU", "language": "en", "kind": "spelling"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


@pytest.fixture
def ana():
    return f.log_in_verified(Client(), f.AccountFactory(role="editor", username="ana"))


@pytest.fixture
def ben():
    return f.log_in_verified(Client(), f.AccountFactory(role="editor", username="ben"))


@pytest.fixture
def mou():
    return f.AgreementFactory(
        draft=True, name="MOU on startup cooperation", summary="Signed in Brussels."
    )


def test_a_record_starts_at_version_one_and_every_save_raises_it(mou):
    assert mou.version == 1

    mou.name = "MOU on startup cooperation (corrected)"
    mou.save()

    assert mou.version == 2
    assert models.Agreement.objects.get(pk=mou.pk).version == 2


def test_a_save_expecting_an_older_version_is_refused(mou):
    stale = models.Agreement.objects.get(pk=mou.pk)
    mou.save()  # someone else's save

    stale.name = "Overwritten"
    stale.expect_version(1)
    with pytest.raises(models.RecordChanged):
        stale.save()

    assert models.Agreement.objects.get(pk=mou.pk).name == "MOU on startup cooperation"


def test_a_change_to_a_records_own_rows_anywhere_raises_its_version(mou):
    def version():
        return models.Agreement.objects.get(pk=mou.pk).version

    citation = f.cite(mou)
    assert version() == 2
    citation.delete()
    assert version() == 3
    f.alias(mou, name="KR-BE MOU")
    assert version() == 4
    party = f.AgreementPartyFactory(agreement=mou)
    assert version() == 5
    party.delete()
    assert version() == 6


def test_the_second_of_two_editors_saving_the_same_record_is_refused_with_both_versions(
    ana, ben, mou
):
    url = admin_url(mou, "change")
    anas_form = form_data(ana, url, name="MOU on startup and SME cooperation")
    bens_form = form_data(ben, url, name="MOU on startup cooperation (Belgium)", summary="Mine.")

    assert ana.post(url, anas_form).status_code == 302
    response = ben.post(url, bens_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"ana {REFUSED}" in page
    assert "These fields now differ from what you entered: Name, Summary." in page
    # The saved values, beside Ben's own input, which stays in the form.
    assert "Saved meanwhile by someone else as: MOU on startup and SME cooperation" in page
    assert "Saved meanwhile by someone else as: Signed in Brussels." in page
    assert 'value="MOU on startup cooperation (Belgium)"' in page
    assert "Mine.</textarea>" in page
    saved = models.Agreement.objects.get(pk=mou.pk)
    assert (saved.name, saved.summary) == (
        "MOU on startup and SME cooperation",
        "Signed in Brussels.",
    )
    assert saved.history.count() == 2  # created, then Ana's save; nothing of Ben's


def test_saving_again_after_reading_the_differences_keeps_the_second_editors_version(ana, ben, mou):
    url = admin_url(mou, "change")
    anas_form = form_data(ana, url, name="Ana's name")
    bens_form = form_data(ben, url, name="Ben's name")
    ana.post(url, anas_form)
    refused = ben.post(url, bens_form)

    response = ben.post(url, form_data_from(refused))

    assert response.status_code == 302
    assert models.Agreement.objects.get(pk=mou.pk).name == "Ben's name"


def test_a_form_opened_before_someone_changed_the_records_citations_is_refused(ana, ben, mou):
    url = admin_url(mou, "change")
    bens_form = form_data(ben, url, name="Ben's name")
    source = f.SourceFactory(text="The two ministers signed an MOU.\n")
    anas_form = form_data(
        ana,
        url,
        **{
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-quote": "The two ministers signed an MOU.",
        },
    )
    assert ana.post(url, anas_form).status_code == 302

    response = ben.post(url, bens_form)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert models.Agreement.objects.get(pk=mou.pk).name == "MOU on startup cooperation"


def test_an_unchanged_record_saves_as_before(ana, mou):
    url = admin_url(mou, "change")

    assert ana.post(url, form_data(ana, url, name="New name")).status_code == 302
    assert ana.post(url, form_data(ana, url, name="Newer name")).status_code == 302
    assert models.Agreement.objects.get(pk=mou.pk).name == "Newer name"


def test_restoring_a_version_from_history_is_checked_like_any_save(ana, ben, mou):
    first = mou.history.earliest()
    mou.name = "Second name"
    mou.save()
    restore_url = admin_url(mou, "simple_history", mou.pk, first.history_id)
    anas_form = form_data(ana, restore_url)
    ben.post(admin_url(mou, "change"), form_data(ben, admin_url(mou, "change"), name="Third"))

    response = ana.post(restore_url, anas_form)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert models.Agreement.objects.get(pk=mou.pk).name == "Third"


def test_the_same_alias_twice_in_one_form_is_a_form_error(ana, mou):
    url = admin_url(mou, "change")
    twice = {
        "aliases-TOTAL_FORMS": "2",
        **{f"aliases-{i}-{k}": v for i in (0, 1) for k, v in ALIAS.items()},
    }

    response = ana.post(url, form_data(ana, url, **twice))

    assert response.status_code == 200
    assert "This record already has that name in that language." in response.content.decode()
    assert not models.Alias.objects.exists()


def test_an_alias_added_by_two_editors_at_once_is_a_form_error_not_a_server_error(
    ana, mou, monkeypatch
):
    """Two editors add the same alias at the same moment: each form's checks pass, and
    the database refuses the second row. Simulated here by checks that do not see the
    other row until the form's own row is written; the refused write is rolled back and
    the form is shown again with the reason and the editor's input."""
    bens_alias = f.alias(mou, **ALIAS)
    url = admin_url(mou, "change")
    anas_form = form_data(
        ana, url, **{"aliases-TOTAL_FORMS": "2", **{f"aliases-1-{k}": v for k, v in ALIAS.items()}}
    )
    seen = {"other_row": False}
    validate, formset_clean = UniqueConstraint.validate, UniqueRowsFormSet.clean

    def validate_unless_unseen(constraint, *args, **kwargs):
        if seen["other_row"] or not constraint.name.startswith("alias_unique"):
            validate(constraint, *args, **kwargs)

    def formset_clean_unless_unseen(formset):
        if seen["other_row"]:
            formset_clean(formset)

    def writing(**kwargs):
        seen["other_row"] = True

    monkeypatch.setattr(UniqueConstraint, "validate", validate_unless_unseen)
    monkeypatch.setattr(UniqueRowsFormSet, "clean", formset_clean_unless_unseen)
    pre_save.connect(writing, sender=models.Alias, weak=False)
    try:
        response = ana.post(url, anas_form)
    finally:
        pre_save.disconnect(writing, sender=models.Alias)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This record already has that name in that language." in page
    assert f'value="{ALIAS["name"]}"' in page
    assert list(models.Alias.objects.values_list("pk", flat=True)) == [bens_alias.pk]


def test_a_duplicate_party_in_one_form_is_a_form_error(ana, mou):
    mss = f.MinistryFactory(draft=True, name="Ministry of SMEs and Startups")
    url = admin_url(mou, "change")
    data = form_data(
        ana, url, **{"parties-0-ministry": str(mss.pk), "parties-1-ministry": str(mss.pk)}
    )

    response = ana.post(url, data)

    assert response.status_code == 200
    assert not models.AgreementParty.objects.exists()
