"""Staff-only admin pages beyond the model admins: the data-quality report and the
follow-ups due (statuses whose expected date has passed)."""

import datetime
from dataclasses import dataclass, field

from django.contrib import admin
from django.db.models import Model
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import models
from .registry import COLLECTIONS
from .statuses import follow_ups_due

# Every collection's records, and the figures reported about them.
RECORD_MODELS = [*(collection.model for collection in COLLECTIONS), models.Metric]
STALE_AFTER = datetime.timedelta(days=365)


@dataclass
class Problem:
    """One kind of gap in the data, and the records that have it."""

    title: str
    explanation: str
    records: list[Model] = field(default_factory=list)


def data_quality_report(*, now: datetime.datetime | None = None) -> list[Problem]:
    now = now or timezone.now()
    uncited = Problem(
        _("Records with no citation"),
        _("Every fact is cited: add a word-for-word quote from a source before publishing."),
    )
    for _name, model in models.CITABLE:
        uncited.records += model.objects.filter(citations__isnull=True).order_by("name")
    stale = Problem(
        _("Records unchanged for over a year"),
        _("Check they are still right; saving a record marks it as checked."),
    )
    for model in RECORD_MODELS:
        stale.records += model.objects.filter(updated_at__lt=now - STALE_AFTER).order_by(
            "updated_at"
        )
    return [
        uncited,
        Problem(
            _("Agreements with no parties"),
            _("Add the ministries that signed, with their signatories."),
            list(models.Agreement.objects.filter(parties__isnull=True).order_by("name")),
        ),
        Problem(
            _("Councils with no meetings"),
            _("Add the meetings the sources report, or note that none is known."),
            list(models.Council.objects.filter(meetings__isnull=True).order_by("name")),
        ),
        stale,
    ]


def admin_change_url(record: Model) -> str:
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


def data_quality(request):
    problems = data_quality_report()
    for problem in problems:
        problem.rows = [
            (record._meta.verbose_name, record, admin_change_url(record))
            for record in problem.records
        ]
    context = {
        **admin.site.each_context(request),
        "title": _("Data quality"),
        "problems": problems,
    }
    return TemplateResponse(request, "admin/initiatives/data_quality.html", context)


# Logged-in, active staff only (anyone else is sent to the admin login page).
data_quality_view = admin.site.admin_view(data_quality)


def follow_ups(request):
    """Statuses the sources left pending (a body forming, a meeting planned, a case in
    progress) whose expected date has passed: each needs a newer source, or a note that
    none is known."""
    rows = [
        (record._meta.verbose_name, record, admin_change_url(record)) for record in follow_ups_due()
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Follow-ups due"),
        "rows": rows,
    }
    return TemplateResponse(request, "admin/initiatives/follow_ups.html", context)


follow_ups_view = admin.site.admin_view(follow_ups)
