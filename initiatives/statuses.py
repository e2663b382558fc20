"""A status as a source last reported it: when, and by when the pending step it
describes (a body formed, a meeting held, a factory opened) was expected.

Statuses come from documents that age. A status still pending after the date it was
expected by is not current: it reads as "last reported …, expected by …", and staff
find it on the follow-ups page."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .dates import PartialDate
from .models import Agreement, Council, Meeting, SupportCase

# The statuses that describe a step still to come.
PENDING = {
    Agreement: {Agreement.Status.PLANNED},
    Council: {Council.Status.FORMING},
    Meeting: {Meeting.Status.PLANNED},
    SupportCase: {SupportCase.Status.OPEN, SupportCase.Status.IN_PROGRESS},
}


@dataclass(frozen=True)
class StatusReport:
    label: str
    as_of: PartialDate | None
    expected_by: PartialDate | None
    overdue: bool


def is_overdue(record, *, today: datetime.date | None = None) -> bool:
    """Whether ``record``'s status is pending and the whole of its expected date (all of
    May for "May 2024") has passed."""
    expected = record.status_expected
    if expected is None or record.status not in PENDING.get(type(record), ()):
        return False
    return expected.end < (today or timezone.localdate())


def status_report(record, *, today: datetime.date | None = None) -> StatusReport | None:
    if not record.status:
        return None
    return StatusReport(
        label=record.get_status_display(),
        as_of=record.status_reported,
        expected_by=record.status_expected,
        overdue=is_overdue(record, today=today),
    )


def follow_ups_due(*, today: datetime.date | None = None) -> list:
    """Every record, draft or published, whose pending status was expected by a date that
    has passed, soonest expected first."""
    today = today or timezone.localdate()
    due = []
    for model, pending in PENDING.items():
        candidates = model.objects.filter(
            status__in=pending, status_expected_by__isnull=False, status_expected_by__lte=today
        ).order_by("status_expected_by", "name")
        due += [record for record in candidates if is_overdue(record, today=today)]
    return sorted(due, key=lambda record: (record.status_expected_by, record.name))
