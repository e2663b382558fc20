"""A record's detail page. Its links are read by the model's ``for_detail()``, which
fetches only public records at their other end."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from ..dates import PartialDate
from ..models import CITATION_LIMIT, Source

# An agreement with nothing recorded for this long is flagged as gone quiet.
QUIET_AFTER = datetime.timedelta(days=365)
QUIET_AFTER_TEXT = gettext_lazy("12 months")


class RecordDetailView(DetailView):
    model = None

    def get_queryset(self):
        # Staff who may view a record preview its draft; everyone else sees published ones.
        return self.model.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if isinstance(self.object, Source):
            citations = Source.objects.citations_of(self.object)
            context.update(
                citations=citations[:CITATION_LIMIT],
                more_citations=len(citations) > CITATION_LIMIT,
                citation_limit=CITATION_LIMIT,
            )
        return context


def latest(dates) -> PartialDate | None:
    dates = [d for d in dates if d is not None]
    return max(dates, key=lambda d: d.end) if dates else None


class AgreementDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        """What came of the agreement: its councils, their meetings and cases, figures."""
        context = super().get_context_data(**kwargs)
        agreement = self.object
        councils = list(agreement.councils.all())
        meetings = sorted(
            {
                meeting.pk: meeting
                for meeting in [
                    *(m for council in councils for m in council.meetings.all()),
                    *agreement.meetings.all(),
                ]
            }.values(),
            key=lambda m: m.held_on or datetime.date.min,
            reverse=True,
        )
        cases = [case for council in councils for case in council.support_cases.all()]
        metrics = [
            *agreement.metrics.all(),
            *(metric for council in councils for metric in council.metrics.all()),
        ]
        last = latest(
            [agreement.signed, agreement.in_force]
            + [c.established for c in councils]
            + [m.held for m in meetings]
            + [m.measured for m in metrics]
        )
        # Subtracted from today, not added to a date that may lie at datetime's limit.
        quiet = last is not None and last.end < datetime.date.today() - QUIET_AFTER
        # Its path from signature to results, in date order (undated steps left out).
        steps = [
            (agreement.signed, _("Signed"), None),
            (agreement.in_force, _("In force"), None),
            *((c.established, _("Council established"), c) for c in councils),
            *((m.held, _("Meeting"), m) for m in meetings),
            *((m.measured, _("Figure reported"), m) for m in metrics),
            (agreement.expires, _("Expires"), None),
        ]
        path = sorted(
            (step for step in steps if step[0] is not None),
            key=lambda step: (step[0].value, step[0].precision),
        )
        context.update(
            path=path,
            councils=councils,
            meetings=meetings,
            cases=cases,
            metrics=metrics,
            last_activity=last,
            quiet=quiet,
            quiet_after=QUIET_AFTER_TEXT,
        )
        return context
