"""Review of editors' changes to published records.

An editor's change to a published record goes public when saved, and waits in the
reviewers' queue with its diff until a reviewer accepts or reverts it (one click, back
to the version before the change, which the record's history keeps). See README
("Review of changes") for why the portal publishes and queues rather than holding a
pending copy of each record.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeReviewQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(outcome="").order_by("changed_at", "pk")


class ChangeReview(models.Model):
    """One editor's saved change to a published record, and what a reviewer made of it."""

    class Outcome(models.TextChoices):
        WAITING = "", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REVERTED = "reverted", _("reverted")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record_name = models.CharField(_("record"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # The record's history rows just before and just after the change.
    before_history_id = models.PositiveBigIntegerField(null=True)
    after_history_id = models.PositiveBigIntegerField(null=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = ChangeReviewQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("change review")
        verbose_name_plural = _("change reviews")
        indexes = [
            models.Index(
                fields=["changed_at"],
                condition=models.Q(outcome=""),
                name="change_review_waiting",
            )
        ]

    def __str__(self):
        return f"{self.record_name} ({self.changed_at:%Y-%m-%d %H:%M})"

    @property
    def record(self):
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    def history_rows(self):
        """(before, after): the record's history rows around the change."""
        model = self.content_type.model_class()
        history = model.history.model
        rows = history.objects.in_bulk([self.before_history_id, self.after_history_id])
        return rows.get(self.before_history_id), rows.get(self.after_history_id)
