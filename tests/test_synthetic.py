"""The synthetic load data: valid records of the real data's shape, and removable exactly."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from initiatives import cache
from initiatives.dates import Precision
from initiatives.management.commands.seed_synthetic import PREFIX, SOURCE_SLUG
from initiatives.models import (
    CITABLE,
    Agreement,
    AgreementParty,
    AgreementRelation,
    Alias,
    Citation,
    Council,
    Meeting,
    MeetingParticipant,
    Metric,
    Source,
    SupportAction,
    SupportCase,
)


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


SCALE = 0.001  # 10 agreements, 100 meetings, 200 support cases


def seed(**options):
    call_command("seed_synthetic", scale=SCALE, verbosity=0, **options)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("initiatives").get_models(include_auto_created=True)
    }


def synthetic(model):
    return model.objects.filter(slug__startswith=PREFIX)


@pytest.fixture
def seeded(portal_data):
    seed()


def test_scale_sets_the_number_of_agreements_meetings_and_cases(seeded):
    assert synthetic(Agreement).count() == 10
    assert synthetic(Meeting).count() == 100
    assert synthetic(SupportCase).count() == 200


GENERATED = [
    Agreement,
    Council,
    Meeting,
    SupportCase,
    Metric,
    AgreementParty,
    AgreementRelation,
    MeetingParticipant,
    SupportAction,
    Alias,
    Citation,
]


def test_a_sample_of_generated_records_passes_full_clean(seeded):
    for model in GENERATED:
        sample = list(model.objects.order_by("-pk")[:25])
        assert sample, model.__name__
        for record in sample:
            record.full_clean()


def test_every_generated_record_cites_the_synthetic_source(seeded):
    source = Source.objects.get(slug=SOURCE_SLUG)
    assert source.is_synthetic
    for _field, model in CITABLE:
        uncited = synthetic(model).exclude(citations__source=source)
        assert not uncited.exists(), f"{model.__name__} without a synthetic citation"


def test_generated_data_has_the_shape_of_the_real_data(seeded):
    agreements = synthetic(Agreement)
    assert {a.signed_on_precision for a in agreements if a.signed_on} <= set(Precision.values)
    meetings = synthetic(Meeting)
    assert {m.held_on_precision for m in meetings} >= {Precision.YEAR, Precision.MONTH}
    assert meetings.filter(held_on_inferred=True).exists()
    assert meetings.filter(is_published=False).exists()
    assert meetings.filter(is_published=True).exists()
    assert synthetic(Council).filter(parent__isnull=False).exists()
    assert synthetic(Council).filter(established_under__isnull=False).exists()
    assert synthetic(SupportCase).filter(council__isnull=False, reported_at__isnull=False).exists()
    assert SupportAction.objects.filter(case__slug__startswith=PREFIX).exists()
    assert MeetingParticipant.objects.filter(meeting__slug__startswith=PREFIX).exists()
    assert AgreementParty.objects.filter(agreement__slug__startswith=PREFIX).exists()


def test_the_same_seed_generates_the_same_records(portal_data):
    def snapshot():
        return list(synthetic(Meeting).order_by("slug").values_list("slug", "name", "held_on"))

    seed()
    first = snapshot()
    seed(delete=True)
    seed()
    assert snapshot() == first


def test_delete_removes_exactly_the_synthetic_records(portal_data):
    before = row_counts()
    fixture_slugs = set(Agreement.objects.values_list("slug", flat=True))
    seed()
    assert row_counts() != before
    seed(delete=True)
    assert row_counts() == before
    assert set(Agreement.objects.values_list("slug", flat=True)) == fixture_slugs
    assert not Source.objects.filter(slug=SOURCE_SLUG).exists()


def test_a_second_run_asks_for_delete_first(seeded):
    with pytest.raises(CommandError, match="--delete"):
        seed()


def test_seeding_invalidates_cached_pages(portal_data):
    version = cache.data_version()
    seed()
    assert cache.data_version() != version
