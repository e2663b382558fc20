"""Staff-only admin pages beyond the model admins: the data-quality report and the
reviewers' queue and the
follow-ups due (statuses whose expected date has passed)."""

import datetime
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
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


# The reviewers' queue ------------------------------------------------------------------

# The most drafts and changes the queue lists at once (the oldest first).
QUEUE_LIMIT = 200


@dataclass
class Waiting:
    """One item of the queue: a new draft, or a change to a published record."""

    when: datetime.datetime
    kind: str
    record: Model
    url: str
    diff: list = field(default_factory=list)  # (field, before, after)
    review: models.ChangeReview | None = None
    who: str = ""


def field_values(record) -> list[tuple[str, str, str]]:
    """A new record's filled-in fields, as a diff against nothing."""
    rows = []
    for f in record._meta.concrete_fields:
        if f.name in {"id", "search_document", "version", "created_at", "updated_at"}:
            continue
        value = getattr(record, f.name)
        if value not in (None, "", False):
            rows.append((str(f.verbose_name), "", str(value)))
    return rows


def change_diff(review) -> list[tuple[str, str, str]]:
    before, after = review.history_rows()
    if before is None or after is None:
        return []
    delta = after.diff_against(before, excluded_fields=["version", "updated_at"])
    model = review.content_type.model_class()
    return [
        (str(model._meta.get_field(change.field).verbose_name), str(change.old), str(change.new))
        for change in delta.changes
    ]


def review_queue_items() -> list[Waiting]:
    items = []
    for model in [*RECORD_MODELS, models.Source]:
        for record in model.objects.filter(is_published=False).order_by("created_at")[:QUEUE_LIMIT]:
            items.append(
                Waiting(
                    record.created_at,
                    _("new draft"),
                    record,
                    admin_change_url(record),
                    field_values(record),
                )
            )
    for review in models.ChangeReview.objects.waiting().select_related(
        "content_type", "changed_by"
    )[:QUEUE_LIMIT]:
        record = review.record
        if record is None:
            continue
        items.append(
            Waiting(
                review.changed_at,
                _("change to a published record"),
                record,
                admin_change_url(record),
                change_diff(review),
                review,
                getattr(review.changed_by, "username", ""),
            )
        )
    items.sort(key=lambda item: item.when)
    return items[:QUEUE_LIMIT]


def may_publish(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('publish', opts)}")


def review_queue(request):
    if request.method == "POST":
        review = get_object_or_404(models.ChangeReview, pk=request.POST.get("review"), outcome="")
        model = review.content_type.model_class()
        if not may_publish(request.user, model):
            raise PermissionDenied
        with transaction.atomic():
            if request.POST.get("decision") == "revert":
                before, _after = review.history_rows()
                if before is None:
                    messages.error(request, _("This change has no earlier version to go back to."))
                    return HttpResponseRedirect(request.path)
                restored = before.instance
                restored._history_user = request.user
                restored.save()
                review.outcome = models.ChangeReview.Outcome.REVERTED
                messages.success(
                    request, _("Reverted “%(record)s”.") % {"record": review.record_name}
                )
            else:
                review.outcome = models.ChangeReview.Outcome.ACCEPTED
                messages.success(
                    request,
                    _("Accepted the change to “%(record)s”.") % {"record": review.record_name},
                )
            review.reviewed_by = request.user
            review.reviewed_at = timezone.now()
            review.save()
        return HttpResponseRedirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": _("Review queue"),
        "items": review_queue_items(),
    }
    return TemplateResponse(request, "admin/initiatives/review_queue.html", context)


review_queue_view = admin.site.admin_view(review_queue)


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
