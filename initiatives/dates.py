"""Dates known only to the year, the month or the day.

A document may say "2026", "April 2024" or "17 December 2024". Each partial date
is stored as three columns: a real ``DateField`` (the first day of the period when
the precision is coarser than a day), its precision, and whether the value was
worked out from context rather than stated.
"""

import calendar
import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

# The years a record's date or a filter's bound may name. Sources speak of 2024-2026;
# a year far outside is a typing slip (or a probe), and near datetime's limits
# (year 9999) the end of a period cannot even be computed.
MIN_YEAR = 1900
MAX_YEAR = 2100


class Precision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


def _display_format(precision: str) -> str:
    # Translatable so that Korean reads "2026년", "2024년 4월", "2024년 12월 17일".
    if precision == Precision.YEAR:
        return pgettext("partial date: year only", "Y")
    if precision == Precision.MONTH:
        return pgettext("partial date: month and year", "F Y")
    return pgettext("partial date: full date", "j F Y")


@functools.lru_cache(maxsize=4096)
def _formatted(value: datetime.date, precision: str, language: str | None) -> str:
    # Pages repeat dates, and formatting one translates its format and its month's name.
    return dateformat.format(value, _display_format(precision))


@dataclass(frozen=True, order=True)
class PartialDate:
    value: datetime.date
    precision: str = Precision.DAY
    inferred: bool = False

    def __str__(self) -> str:
        return _formatted(self.value, self.precision, get_language())

    @property
    def iso(self) -> str:
        """The date written to its precision: ``2026``, ``2024-04`` or ``2024-12-17``."""
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    @property
    def end(self) -> datetime.date:
        """The last day the date could stand for (31 December for a year-only date)."""
        if self.precision == Precision.YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision == Precision.MONTH:
            # Not "first of next month minus a day": December 9999 has no next month.
            last_day = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last_day)
        return self.value


def partial_date_fields(verbose_name, *, help_text=""):
    """The three columns of one partial date, to unpack in a model body."""
    return (
        models.DateField(verbose_name, null=True, blank=True, help_text=help_text),
        models.CharField(
            _("precision"),
            max_length=5,
            choices=Precision.choices,
            blank=True,
            help_text=_("How much of the date the source gives."),
        ),
        models.BooleanField(
            _("inferred"),
            default=False,
            help_text=_("Worked out from context (e.g. a year for 'January 5'), not stated."),
        ),
    )


def partial_date_constraint(field: str) -> models.CheckConstraint:
    """A date has a precision exactly when it has a value; only a value can be inferred."""
    return models.CheckConstraint(
        condition=(
            Q(**{f"{field}__isnull": True, f"{field}_precision": "", f"{field}_inferred": False})
            | (Q(**{f"{field}__isnull": False}) & ~Q(**{f"{field}_precision": ""}))
        ),
        name=f"%(app_label)s_%(class)s_{field}_precision",
        violation_error_message=_("A date needs a precision, and a precision needs a date."),
    )


def validate_partial_date(instance, field: str) -> dict:
    """Plain-words errors for a partial date whose value does not fit its precision."""
    value = getattr(instance, field)
    precision = getattr(instance, f"{field}_precision")
    if not isinstance(value, datetime.date):
        return {}  # empty, or not a date at all, which the field itself reports
    if problem := year_out_of_range(value):
        return {field: problem}
    if precision == Precision.YEAR and (value.month, value.day) != (1, 1):
        return {field: _("A year-only date is stored as 1 January of that year.")}
    if precision == Precision.MONTH and value.day != 1:
        return {field: _("A month-only date is stored as the first day of that month.")}
    return {}


def year_out_of_range(value: datetime.date):
    """A message when ``value``'s year is outside MIN_YEAR..MAX_YEAR, else None."""
    if MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return _("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def stored_partial_date(instance, field: str) -> PartialDate | None:
    """The partial date a record stores in ``field`` and its ``_precision`` and
    ``_inferred`` columns, or None."""
    value = getattr(instance, field)
    if value is None:
        return None
    return PartialDate(
        value,
        getattr(instance, f"{field}_precision") or Precision.DAY,
        getattr(instance, f"{field}_inferred"),
    )


class PartialDateAccessor:
    """``agreement.signed`` reads ``signed_on`` and its precision as one PartialDate."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, instance, owner=None):
        return self if instance is None else stored_partial_date(instance, self.field)


def parse_partial_date(text: str) -> PartialDate:
    """Read a date as people write it, at the precision its words give: ``2026``,
    ``2026-03``, ``2026.03``, ``2026/3``, ``March 2026``, ``2026년 3월``, ``2026-03-15``,
    ``2024.1.5``, ``2024. 1. 5.``, ``15 March 2026``, ``March 15, 2026`` or
    ``2026년 3월 15일``. Full-width digits and punctuation read as their ASCII forms.
    A year must fall in MIN_YEAR..MAX_YEAR; anything else raises ValidationError."""
    date = read_partial_date(text)
    if date is not None and (problem := year_out_of_range(date.value)):
        raise ValidationError(problem, code="year_out_of_range")
    if date is not None:
        return date
    raise ValidationError(
        _(
            "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-04 or "
            "2024-04-17); 2024.04, April 2024 and 2024년 4월 are read too."
        ),
        code="invalid_partial_date",
    )


def parse_iso_partial_date(text: str) -> PartialDate:
    """Only ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the API's own form, which its
    schema states as a pattern."""
    if not ISO_PARTIAL_DATE.fullmatch(text or ""):
        raise ValidationError(ISO_FORM, code="invalid_partial_date")
    return parse_partial_date(text)


ISO_FORM = _(
    "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2024, 2024-04 or 2024-04-17)."
)
ISO_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?", re.ASCII)

MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
MONTHS = {
    name: number
    for number, month in enumerate(MONTH_NAMES, start=1)
    for name in (month, month[:3], month[:3] + ".")
}
MONTHS["sept"] = MONTHS["sept."] = 9

# Year, then month and day, each after a separator: "2024-04-17", "2024.4.17.",
# "2024. 4. 17", "2024/04". A dash, dot or slash, with or without spaces after it.
NUMERIC = re.compile(
    r"(?P<year>\d{4})(?:\s*[-./]\s*(?P<month>\d{1,2})(?:\s*[-./]\s*(?P<day>\d{1,2}))?)?\.?",
    re.ASCII,
)
KOREAN = re.compile(
    r"(?P<year>\d{4})\s*년(?:\s*(?P<month>\d{1,2})\s*월(?:\s*(?P<day>\d{1,2})\s*일)?)?"
)
# "March 2026", "15 March 2026", "March 15, 2026", "15 Mar. 2026".
DAY_MONTH_YEAR = re.compile(
    r"(?:(?P<day>\d{1,2})\s+)?(?P<month>[a-z.]+)\s+(?P<year>\d{4})", re.ASCII
)
MONTH_DAY_YEAR = re.compile(r"(?P<month>[a-z.]+)\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.ASCII)


def read_partial_date(text: str) -> PartialDate | None:
    """The PartialDate that ``text`` writes, or None (see parse_partial_date)."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not text or len(text) > 40:
        return None
    for pattern in (NUMERIC, KOREAN, DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        if match := pattern.fullmatch(text):
            parts = match.groupdict()
            month = parts["month"]
            if month is not None and not month.isdigit():
                month = MONTHS.get(month)
                if month is None:
                    return None
            return partial_date_of(
                int(parts["year"]), month and int(month), parts["day"] and int(parts["day"])
            )
    return None


def partial_date_of(year: int, month: int | None, day: int | None) -> PartialDate | None:
    """The date at the precision of what is given (a year; a month; a day), or None for
    a day or month the calendar does not have."""
    try:
        if month is None:
            return PartialDate(datetime.date(year, 1, 1), Precision.YEAR)
        if day is None:
            return PartialDate(datetime.date(year, month, 1), Precision.MONTH)
        return PartialDate(datetime.date(year, month, day), Precision.DAY)
    except ValueError:
        return None
