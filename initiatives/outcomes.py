"""What came of an agreement: the councils set up under it, their meetings (and those
related to the agreement itself), the companies helped, the figures reported, and when
anything was last recorded. An agreement with nothing recorded for
``settings.QUIET_AFTER_MONTHS`` months is quiet.

Two readings of one rule: ``outcome_of`` reads a record's prefetched relations
(``AgreementQuerySet.with_outcome()``), for pages, the API and CSV; ``quiet_condition``
asks the database, for the ``quiet`` filter. Their tests hold them to the same answers.
"""

import calendar
import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .dates import PartialDate, Precision
from .models import Agreement, Council, Meeting, Metric, SupportCase, path_visibility

# The dates that count as activity on an agreement, by their path from it.
ACTIVITY_DATES = (
    "signed_on",
    "in_force_on",
    "councils__established_on",
    "councils__meetings__held_on",
    "meetings__held_on",
    "metrics__as_of",
    "councils__metrics__as_of",
)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (the month's last, if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quiet_since(today: datetime.date | None = None) -> datetime.date:
    """The first day that counts as recent: nothing since then means quiet."""
    return months_before(today or datetime.date.today(), settings.QUIET_AFTER_MONTHS)


def latest(dates) -> PartialDate | None:
    dates = [d for d in dates if d is not None]
    return max(dates, key=lambda d: d.end) if dates else None


@dataclass
class Outcome:
    councils: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    last_activity: PartialDate | None = None
    quiet: bool = False

    @property
    def summary(self) -> str:
        """ "2 councils, 3 meetings, 1 support case, 4 figures; last activity December 2024"."""
        parts = [
            ngettext("%(n)s council", "%(n)s councils", len(self.councils)),
            ngettext("%(n)s meeting", "%(n)s meetings", len(self.meetings)),
            ngettext("%(n)s support case", "%(n)s support cases", len(self.cases)),
            ngettext("%(n)s figure", "%(n)s figures", len(self.metrics)),
        ]
        counts = [
            part % {"n": n}
            for part, n in zip(
                parts,
                [len(self.councils), len(self.meetings), len(self.cases), len(self.metrics)],
                strict=True,
            )
            if n
        ]
        text = ", ".join(counts) if counts else _("nothing recorded")
        if self.last_activity:
            text += "; " + _("last activity %(date)s") % {"date": self.last_activity}
        return text


def outcome_of(agreement: Agreement, *, today: datetime.date | None = None) -> Outcome:
    """What came of ``agreement``, from the relations ``with_outcome()`` prefetched."""
    councils = agreement.outcome_councils
    meetings = sorted(
        {
            meeting.pk: meeting
            for meeting in [
                *(m for council in councils for m in council.meetings.all()),
                *agreement.outcome_meetings,
            ]
        }.values(),
        key=lambda m: m.held_on or datetime.date.min,
        reverse=True,
    )
    cases = [case for council in councils for case in council.support_cases.all()]
    metrics = [
        *agreement.outcome_metrics,
        *(metric for council in councils for metric in council.metrics.all()),
    ]
    last = latest(
        [agreement.signed, agreement.in_force]
        + [c.established for c in councils]
        + [m.held for m in meetings]
        + [m.measured for m in metrics]
    )
    quiet = last is not None and last.end < quiet_since(today)
    return Outcome(councils, meetings, cases, metrics, last, quiet)


def recent(path: str, since: datetime.date) -> Q:
    """``path``'s partial date may fall on or after ``since`` (a date known to the month
    or year counts if its month or year does), as ``date_from`` reads it."""
    condition = Q(**{f"{path}__gte": since})
    for precision, first in [
        (Precision.MONTH, since.replace(day=1)),
        (Precision.YEAR, since.replace(month=1, day=1)),
    ]:
        condition |= Q(**{f"{path}_precision": precision, f"{path}__gte": first})
    return condition


def any_public(condition_of) -> Q:
    """Agreements with a public row along any activity path that meets ``condition_of(path)``.

    A path through other tables is a correlated ``EXISTS``, which follows the indexes
    from the agreement. As ``pk IN (agreements with such a row)`` it was one list of
    every such agreement; past the memory PostgreSQL gives a hash of it (the meetings'
    884,000 rows at scale 10) the list was read through for each agreement, and a CSV of
    all agreements passed the statement timeout (bench/analysis.md, "Scale 10")."""
    return functools.reduce(
        operator.or_,
        (
            Q(
                Exists(
                    Agreement.objects.filter(
                        Q(pk=OuterRef("pk")) & condition_of(path) & path_visibility(Agreement, path)
                    )
                )
            )
            if "__" in path
            else condition_of(path)
            for path in ACTIVITY_DATES
        ),
    )


def quiet_condition(today: datetime.date | None = None) -> Q:
    """Agreements with some recorded activity, none of it since ``quiet_since()``."""
    since = quiet_since(today)
    dated = any_public(lambda path: Q(**{f"{path}__isnull": False}))
    return dated & ~any_public(lambda path: recent(path, since))


def meeting_count(under_council: Q):
    """The distinct public meetings of the agreement's councils or related to it, as the
    two counts less the meetings that are both: each count follows an index from the
    agreement. One count of ``under_council | related`` had PostgreSQL read every meeting
    for each agreement (the two sides are in different joined tables), 56 ms a row at
    scale 1, which kept a CSV of all agreements from finishing (bench/analysis.md)."""
    meetings = Meeting.objects.published()
    related = Q(related_agreements=OuterRef("pk"))
    return (
        Coalesce(count_of(meetings.filter(under_council)), 0)
        + Coalesce(count_of(meetings.filter(related)), 0)
        - Coalesce(count_of(meetings.filter(related).filter(under_council)), 0)
    )


def count_of(rows) -> Subquery:
    """The number of distinct ``rows``, as a subquery (no GROUP BY of its own)."""
    count = Func(F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    return Subquery(rows.order_by().annotate(n=count).values("n"), output_field=IntegerField())


def outcome_counts() -> dict:
    """What came of each agreement, counted by the database, for the API and CSV:
    ``n_councils``, ``n_meetings``, ``n_support_cases``, ``n_figures`` and ``is_quiet``;
    the same public records ``outcome_of`` reads."""
    under = Q(council__established_under=OuterRef("pk"))
    return {
        "n_councils": count_of(
            Council.objects.published().filter(established_under=OuterRef("pk"))
        ),
        "n_meetings": meeting_count(under & path_visibility(Meeting, "council")),
        "n_support_cases": count_of(
            SupportCase.objects.published().filter(under & path_visibility(SupportCase, "council"))
        ),
        # A figure describes exactly one record (a constraint): the agreement's and its
        # councils' are apart, and each count follows an index (see meeting_count).
        "n_figures": Coalesce(
            count_of(Metric.objects.published().filter(agreement=OuterRef("pk"))), 0
        )
        + Coalesce(
            count_of(Metric.objects.published().filter(under & path_visibility(Metric, "council"))),
            0,
        ),
        "is_quiet": Case(
            When(quiet_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }
