"""The staff-only data-quality view: records missing sources or links, and stale records."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives import models
from initiatives.admin_views import data_quality_report
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


def problem(title_start: str):
    return next(p for p in data_quality_report() if str(p.title).startswith(title_start))


def test_records_with_no_citation_are_listed():
    uncited = f.MinistryFactory(draft=True, name="Uncited ministry")
    cited = f.MinistryFactory(draft=True, cited=True, name="Cited ministry")

    records = problem("Records with no citation").records

    assert uncited in records
    assert cited not in records


def test_agreements_with_no_parties_are_listed():
    lonely = f.AgreementFactory(draft=True, name="MOU with no parties")
    f.AgreementFactory(draft=True, name="MOU with parties", parties=(f.MinistryFactory(),))

    assert problem("Agreements with no parties").records == [lonely]


def test_councils_with_no_meetings_are_listed():
    quiet = f.CouncilFactory(draft=True, name="Quiet council")
    busy = f.CouncilFactory(draft=True, name="Busy council")
    f.MeetingFactory(draft=True, council=busy)

    assert problem("Councils with no meetings").records == [quiet]


def test_records_unchanged_for_over_a_year_are_listed():
    old = f.PersonFactory(draft=True, name="Long-unchanged person")
    models.Person.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=400)
    )
    f.PersonFactory(draft=True, name="Recently changed person")

    assert problem("Records unchanged for over a year").records == [old]


def test_saving_a_record_takes_it_off_the_stale_list():
    old = f.PersonFactory(draft=True)
    models.Person.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=400)
    )

    old.refresh_from_db()
    old.save()

    assert problem("Records unchanged for over a year").records == []


def test_staff_see_the_data_quality_page_with_links_to_fix_records():
    lonely = f.AgreementFactory(draft=True, name="MOU with no parties")
    client = f.log_in_verified(Client(), f.AccountFactory(role="editor"))

    response = client.get(reverse("admin-data-quality"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Agreements with no parties" in page
    assert reverse("admin:initiatives_agreement_change", args=[lonely.pk]) in page


def test_the_admin_index_links_to_the_data_quality_page():
    client = f.log_in_verified(Client(), f.AccountFactory(role="editor"))

    assert reverse("admin-data-quality") in client.get("/admin/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in():
    response = Client().get(reverse("admin-data-quality"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_logged_in_non_staff_users_cannot_see_it():
    client = Client()
    client.force_login(get_user_model().objects.create_user("visitor"))

    assert client.get(reverse("admin-data-quality")).status_code == 302
