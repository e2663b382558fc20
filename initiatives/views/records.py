"""A record's detail page. Its links are read by the model's ``for_detail()``, which
fetches only public records at their other end."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView

from ..models import CITATION_LIMIT, Source
from ..outcomes import outcome_of


def quiet_after_text() -> str:
    """ "12 months": how long an agreement goes without activity before it is quiet."""
    n = settings.QUIET_AFTER_MONTHS
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}


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


class AgreementDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        """What came of the agreement: its councils, their meetings and cases, figures."""
        context = super().get_context_data(**kwargs)
        outcome = outcome_of(self.object)
        agreement = self.object
        # Its path from signature to results, in date order (undated steps left out).
        steps = [
            (agreement.signed, _("Signed"), None),
            (agreement.in_force, _("In force"), None),
            *((c.established, _("Council established"), c) for c in outcome.councils),
            *((m.held, _("Meeting"), m) for m in outcome.meetings),
            *((m.measured, _("Figure reported"), m) for m in outcome.metrics),
            (agreement.expires, _("Expires"), None),
        ]
        path = sorted(
            (step for step in steps if step[0] is not None),
            key=lambda step: (step[0].value, step[0].precision),
        )
        context.update(
            path=path,
            councils=outcome.councils,
            meetings=outcome.meetings,
            cases=outcome.cases,
            metrics=outcome.metrics,
            last_activity=outcome.last_activity,
            quiet=outcome.quiet,
            quiet_after=quiet_after_text(),
        )
        return context


class CouncilDetailView(RecordDetailView):
    def get_context_data(self, **kwargs):
        """The council's meetings, support cases and figures with those of the bodies
        under it, each with the body it belongs to."""
        context = super().get_context_data(**kwargs)
        council = self.object
        bodies = [council, *council.children.all()]
        meetings = sorted(
            ((meeting, body) for body in bodies for meeting in body.meetings.all()),
            key=lambda pair: (pair[0].held_on or datetime.date.min, pair[0].name),
            reverse=True,
        )
        cases = [(case, body) for body in bodies for case in body.support_cases.all()]
        context.update(
            sub_bodies=bodies[1:],
            body_meetings=meetings,
            body_cases=cases,
            body_metrics=[metric for body in bodies for metric in body.metrics.all()],
            own_meetings=sum(1 for _meeting, body in meetings if body is council),
            own_cases=sum(1 for _case, body in cases if body is council),
        )
        return context
