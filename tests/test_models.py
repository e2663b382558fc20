"""Partial dates, aliases, natural keys and the constraints the database enforces."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from initiatives.dates import PartialDate, Precision, parse_partial_date
from initiatives.models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    Alias,
    Citation,
    Council,
    Country,
    Meeting,
    MeetingParticipant,
    Metric,
    Ministry,
    Person,
    Source,
)


@pytest.fixture
def korea(db):
    return Country.objects.create(code="kr", name="South Korea")


@pytest.fixture
def mss(korea):
    return Ministry.objects.create(slug="mss", name="Ministry of SMEs and Startups", country=korea)


@pytest.fixture
def source(db):
    return Source.objects.create(slug="release", name="A press release")


def rejected(**fields):
    """The database refuses to save an Agreement with these fields."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(**fields)


# Partial dates


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (datetime.date(2026, 1, 1), Precision.YEAR, "2026"),
        (datetime.date(2024, 4, 1), Precision.MONTH, "April 2024"),
        (datetime.date(2024, 12, 17), Precision.DAY, "17 December 2024"),
    ],
)
def test_partial_date_is_shown_at_its_precision(value, precision, shown):
    assert str(PartialDate(value, precision)) == shown


def test_year_only_date_is_shown_as_the_year_on_the_model(db):
    agreement = Agreement(
        slug="a", name="A", signed_on=datetime.date(2026, 1, 1), signed_on_precision="year"
    )
    assert str(agreement.signed) == "2026"
    assert agreement.signed.iso == "2026"
    assert agreement.signed.end == datetime.date(2026, 12, 31)


def test_inferred_date_says_so():
    agreement = Agreement(
        signed_on=datetime.date(2026, 1, 5), signed_on_precision="day", signed_on_inferred=True
    )
    assert agreement.signed.inferred is True
    assert Agreement(signed_on=None).signed is None


def test_month_precision_date_ends_on_the_last_day_of_the_month():
    assert PartialDate(datetime.date(2024, 2, 1), Precision.MONTH).end == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", PartialDate(datetime.date(2024, 1, 1), Precision.YEAR)),
        ("2024-04", PartialDate(datetime.date(2024, 4, 1), Precision.MONTH)),
        ("2024-04-17", PartialDate(datetime.date(2024, 4, 17), Precision.DAY)),
        ("2024.04", PartialDate(datetime.date(2024, 4, 1), Precision.MONTH)),
        ("2024.1", PartialDate(datetime.date(2024, 1, 1), Precision.MONTH)),
        ("2024/4", PartialDate(datetime.date(2024, 4, 1), Precision.MONTH)),
        ("2024.1.5", PartialDate(datetime.date(2024, 1, 5), Precision.DAY)),
        ("2024. 1. 5.", PartialDate(datetime.date(2024, 1, 5), Precision.DAY)),
        ("２０２４．０１", PartialDate(datetime.date(2024, 1, 1), Precision.MONTH)),
        ("2024년", PartialDate(datetime.date(2024, 1, 1), Precision.YEAR)),
        ("2024년 1월", PartialDate(datetime.date(2024, 1, 1), Precision.MONTH)),
        ("2024년 1월 5일", PartialDate(datetime.date(2024, 1, 5), Precision.DAY)),
        ("March 2026", PartialDate(datetime.date(2026, 3, 1), Precision.MONTH)),
        ("Sept. 2026", PartialDate(datetime.date(2026, 9, 1), Precision.MONTH)),
        ("15 March 2026", PartialDate(datetime.date(2026, 3, 15), Precision.DAY)),
        ("March 15, 2026", PartialDate(datetime.date(2026, 3, 15), Precision.DAY)),
    ],
)
def test_filter_dates_are_read_at_three_precisions(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "24", "2024-13", "2024-02-30", "0000", "-2024", "2024년 13월", "Smarch 2024", "x" * 500],
)
def test_malformed_filter_dates_are_refused_in_plain_words(text):
    with pytest.raises(ValidationError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_partial_date(text)


def test_year_precision_date_must_fall_on_the_first_of_january(db):
    agreement = Agreement(
        slug="a", name="A", signed_on=datetime.date(2026, 3, 4), signed_on_precision="year"
    )
    with pytest.raises(ValidationError, match="year-only date"):
        agreement.full_clean()


@pytest.mark.parametrize("year", [1, 1899, 2101, 9999])
def test_a_year_outside_1900_to_2100_is_refused_in_plain_words(db, year):
    agreement = Agreement(
        slug="a", name="A", signed_on=datetime.date(year, 12, 1), signed_on_precision="month"
    )
    with pytest.raises(ValidationError, match="Enter a year between 1900 and 2100"):
        agreement.full_clean()


def test_a_plain_date_outside_1900_to_2100_is_refused_too(db):
    source = Source(slug="s", name="S", retrieved_on=datetime.date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "Enter a year between 1900 and 2100." in refused.value.message_dict["retrieved_on"]


@pytest.mark.parametrize("text", ["9999-12", "9999", "1899-12-31", "2101-01"])
def test_filter_dates_outside_1900_to_2100_are_refused_in_plain_words(text):
    with pytest.raises(ValidationError, match="Enter a year between 1900 and 2100"):
        parse_partial_date(text)


def test_the_end_of_december_9999_is_its_last_day():
    december = PartialDate(datetime.date(9999, 12, 1), Precision.MONTH)
    assert december.end == datetime.date(9999, 12, 31)


# Constraints the database enforces


def test_date_without_precision_is_refused(db):
    rejected(slug="a", name="A", signed_on=datetime.date(2024, 4, 1))


def test_precision_without_date_is_refused(db):
    rejected(slug="a", name="A", signed_on_precision="month")


def test_agreement_cannot_expire_before_it_is_signed(db):
    rejected(
        slug="a",
        name="A",
        signed_on=datetime.date(2024, 6, 1),
        signed_on_precision="day",
        expires_on=datetime.date(2024, 5, 1),
        expires_on_precision="day",
    )


def test_expiry_before_signing_is_explained_in_plain_words(db):
    agreement = Agreement(
        slug="a",
        name="A",
        signed_on=datetime.date(2024, 6, 1),
        signed_on_precision="day",
        expires_on=datetime.date(2024, 5, 1),
        expires_on_precision="day",
    )
    with pytest.raises(ValidationError, match="cannot expire before it is signed"):
        agreement.full_clean()


def test_slugs_are_unique(db):
    Agreement.objects.create(slug="a", name="A")
    rejected(slug="a", name="Another A")


def test_agreement_cannot_supersede_itself(db):
    agreement = Agreement.objects.create(slug="a", name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementRelation.objects.create(
            from_agreement=agreement, kind="supersedes", to_agreement=agreement
        )


def test_ministry_is_party_to_an_agreement_once(mss):
    agreement = Agreement.objects.create(slug="a", name="A")
    AgreementParty.objects.create(agreement=agreement, ministry=mss)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementParty.objects.create(agreement=agreement, ministry=mss)


def test_council_cannot_be_its_own_umbrella(db):
    council = Council.objects.create(slug="c", name="C", kind="policy-council", status="active")
    council.parent = council
    with pytest.raises(IntegrityError), transaction.atomic():
        council.save()


def test_citation_needs_a_quote(source):
    agreement = Agreement.objects.create(slug="a", name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, agreement=agreement, quote="")


def test_citation_supports_exactly_one_record(source, mss):
    agreement = Agreement.objects.create(slug="a", name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, agreement=agreement, ministry=mss, quote="Q.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, quote="Q.")


def test_metric_describes_exactly_one_record(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.create(slug="m", name="M", value=1, unit="meetings")


def test_meeting_participant_is_one_kind_of_thing(mss):
    meeting = Meeting.objects.create(slug="m", name="M", kind="roundtable")
    person = Person.objects.create(slug="p", name="P")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingParticipant.objects.create(meeting=meeting, person=person, ministry=mss)


def test_country_codes_are_two_lower_case_letters(db):
    assert Country.objects.create(code="BE", name="Belgium").code == "be"
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.bulk_create([Country(code="b1", name="Not a country")])


# Aliases and natural keys


def test_any_alias_finds_its_record(mss):
    person = Person.objects.create(slug="oh-young-ju", name="Oh Young-ju")
    Alias.objects.create(person=person, name="Oh Young-joo")
    Alias.objects.create(ministry=mss, name="MoFA-style spelling", language="en")
    assert list(Person.objects.matching("oh young-JOO")) == [person]
    assert list(Person.objects.matching("Young-ju")) == [person]
    assert list(Ministry.objects.matching("mofa-style")) == [mss]
    assert list(Person.objects.matching("nobody")) == []


def test_korean_name_finds_its_record(korea):
    ministry = Ministry.objects.create(
        slug="mss", name="MSS", name_ko="중소벤처기업부", country=korea
    )
    assert list(Ministry.objects.matching("중소벤처")) == [ministry]


def test_child_rows_are_found_by_their_natural_keys(mss, source):
    agreement = Agreement.objects.create(slug="a", name="A")
    party = AgreementParty.objects.create(agreement=agreement, ministry=mss)
    citation = Citation.objects.create(source=source, agreement=agreement, quote="Q.")
    alias = Alias.objects.create(ministry=mss, name="MSS", language="en")
    for row in [party, citation, alias, agreement, mss]:
        assert type(row).objects.get_by_natural_key(*row.natural_key()) == row
