"""The editors' admin: fast entry of new records, drafts a reviewer publishes, full history.

- Every record admin keeps its history (SimpleHistoryAdmin): who changed what, when,
  and a form to restore an earlier version.
- Editors write drafts; only holders of ``publish_<model>`` (Reviewers) may set
  ``is_published``, through the field or the Publish / Unpublish actions.
- Citations and aliases hang off one nullable foreign key per kind of record, so
  each record admin gets its own inline per target (``fk_name``).
- Deleting is refused while other records link to the record (``PROTECT``), and
  also while it would take other cited records with it (a figure reported about an
  agreement cascades with the agreement at the database level; the admin refuses).
  A record's own citations and aliases go with it: they describe nothing else, and
  their history keeps a copy. Sources they quote are protected.
- No lost updates: a change form carries the version of the record it was opened at;
  saving it after someone else saved the record is refused with a message naming the
  fields that differ and what they now read, the editor's own input kept in the form.
  A duplicate row (the same alias twice, or added by two editors at once) is a form
  error, never a server error.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import CASCADE, CheckConstraint, Count, Q, TextField, UniqueConstraint
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import models
from .admin_fields import (
    QuoteWidget,
    SourceTextFormMixin,
    SourceTextWidget,
    one_field_dates,
    with_partial_dates,
)
from .admin_filters import CountrySearchFilter
from .proposals import DRAFTABLE, CannotDraft, Gazetteer, read_source, start_draft
from .publishing import DEPENDENTS_NAMED, dependents, publication_plan
from .quotes import normalised, sentences

admin.site.site_header = _("SME Globalization Initiatives Portal: editors")
admin.site.site_title = _("Portal editors")
admin.site.index_title = _("Records")

PUBLICATION_FIELDS = ("is_published", "published_at")
# A list's country filter is a search box (a code or a name in either language), not 249
# links: admin_filters.CountrySearchFilter.
COUNTRY_FILTER = ("country", CountrySearchFilter)
SHORT_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 60})


# Inlines ----------------------------------------------------------------------------

# Plain words for the unique constraints whose default message only names the constraint.
CONSTRAINT_MESSAGES = {
    "citation_unique_quote_per_": _("This record already cites that quote from that source."),
    "alias_unique_name_per_": _("This record already has that name in that language."),
    "meeting_participant_unique_": _("They are already listed as taking part in this meeting."),
    "agreement_party_once_per_agreement": _("This ministry is already a party to the agreement."),
    "agreement_relation_unique": _("This relation between the agreements is already recorded."),
    "support_action_unique_order": _("Another supporting action already has that number."),
    "post_unique_title_per_person": _("This person already has a post with that title."),
}


def constraint_fields(constraint) -> set[str]:
    if isinstance(constraint, UniqueConstraint):
        return set(constraint.fields)
    if isinstance(constraint, CheckConstraint):
        return set(Q(constraint.condition).referenced_base_fields)
    return set()


class InlineForm(forms.ModelForm):
    """An inline form that also checks the constraints involving its parent record.

    Django leaves the parent's key out of an inline form's model validation, so a
    relation from an agreement to itself, or a quote cited twice, would otherwise
    reach the database and fail there with a server error.
    """

    def _post_clean(self):
        super()._post_clean()
        parent_keys = {
            name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)
        }
        exclude = self._get_validation_exclusions() - parent_keys
        for constraint in self.instance._meta.constraints:
            if not parent_keys & constraint_fields(constraint):
                continue
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except ValidationError as error:
                self.add_error(None, plain_constraint_message(constraint) or error)


def plain_constraint_message(constraint):
    return next((m for n, m in CONSTRAINT_MESSAGES.items() if constraint.name.startswith(n)), None)


class UniqueRowsFormSet(BaseInlineFormSet):
    """Refuses two rows of one form that a conditional unique constraint forbids (the same
    alias twice): Django's own formset check covers only unconditional ones, and the
    database would refuse the second row with a server error."""

    def clean(self):
        super().clean()
        model = self.model
        unconditional = {constraint.name for constraint in model._meta.total_unique_constraints}
        for constraint in model._meta.constraints:
            if (
                not isinstance(constraint, UniqueConstraint)
                or constraint.name in unconditional
                or self.fk.name not in constraint.fields
            ):
                continue
            others = [name for name in constraint.fields if name != self.fk.name]
            seen = set()
            for form in self.forms:
                data = getattr(form, "cleaned_data", None)
                if not data or self._should_delete_form(form):
                    continue
                key = tuple(data.get(name) for name in others)
                if any(value in (None, "") for value in key):
                    continue  # the condition (a link that is set) does not hold
                if key in seen:
                    form.add_error(
                        None,
                        plain_constraint_message(constraint)
                        or _("This row repeats another one in the form."),
                    )
                seen.add(key)


class TabularInline(admin.TabularInline):
    """An inline whose rows type each partial date in one field, as the main forms do
    (``2026년 3월`` is March 2026 at month precision), never as value and precision."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", with_partial_dates(self.form, self.model))
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        names = getattr(self.model, "partial_date_field_names", list)()
        return one_field_dates(super().get_fieldsets(request, obj), names)


class CitationForm(InlineForm):
    class Meta:
        model = models.Citation
        fields = ("source", "quote", "supports")
        # Narrow enough for the row to fit a 1,366 px screen beside the admin's menu.
        widgets = {"quote": QuoteWidget, "supports": forms.TextInput(attrs={"size": 16})}
        error_messages = {
            "source": {"required": _("Say which source the quote comes from.")},
            "quote": {"required": _("A citation needs a quote from its source.")},
        }


class CitationInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.Citation
    form = CitationForm
    fields = ("source", "quote", "supports")
    autocomplete_fields = ("source",)
    extra = 1
    verbose_name = _("source citation")
    verbose_name_plural = _("source citations (a word-for-word quote for each fact)")


class AliasInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.Alias
    form = InlineForm
    fields = (
        "name",
        "language",
        "kind",
        "used_from",
        "used_to",
    )
    extra = 0
    verbose_name_plural = _("other names (aliases)")


def inline_for_target(base: type[admin.TabularInline], fk_name: str) -> type:
    """The citation or alias inline for one kind of record: the row's FK to it is fk_name."""
    name = f"{base.model.__name__}For{fk_name.title().replace('_', '')}Inline"
    return type(name, (base,), {"fk_name": fk_name})


def attached_inlines(fk_name: str) -> list[type]:
    """Citation and, where the record can have other names, alias inlines."""
    inlines = [inline_for_target(CitationInline, fk_name)]
    if fk_name in {name for name, _model in models.NAMEABLE}:
        inlines.append(inline_for_target(AliasInline, fk_name))
    return inlines


class AgreementPartyInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.AgreementParty
    form = InlineForm
    fields = ("ministry", "signatory", "signatory_title", "order")
    autocomplete_fields = ("ministry", "signatory")
    extra = 2
    verbose_name_plural = _("parties (who signed, and their title at the time)")


class AgreementRelationInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.AgreementRelation
    form = InlineForm
    fk_name = "from_agreement"
    fields = ("kind", "to_agreement", "note")
    autocomplete_fields = ("to_agreement",)
    formfield_overrides = {TextField: {"widget": SHORT_TEXT}}
    extra = 0
    verbose_name_plural = _("relations to other agreements (this agreement … that one)")


class CouncilMemberInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.Council.members.through
    autocomplete_fields = ("organization",)
    extra = 0
    verbose_name = _("member organization")
    verbose_name_plural = _("member organizations")


class MeetingParticipantInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.MeetingParticipant
    form = InlineForm
    fields = ("person", "organization", "ministry", "role", "attendance", "order")
    autocomplete_fields = ("person", "organization", "ministry")
    extra = 0


class SupportActionInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.SupportAction
    form = InlineForm
    fields = ("order", "organization", "actor", "action")
    autocomplete_fields = ("organization",)
    formfield_overrides = {TextField: {"widget": SHORT_TEXT}}
    extra = 1


class PostInline(TabularInline):
    formset = UniqueRowsFormSet
    model = models.Post
    form = InlineForm
    fields = (
        "title",
        "ministry",
        "organization",
        "held_from",
        "held_to",
        "seen_on",
    )
    autocomplete_fields = ("ministry", "organization")
    extra = 0


# Records ----------------------------------------------------------------------------


def shown_value(record, name: str) -> str:
    """A field's saved value as an editor reads it in a message."""
    field = record._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(related) for related in getattr(record, name).all()) or "—"
    value = getattr(record, f"get_{name}_display")() if field.choices else getattr(record, name)
    if value in (None, ""):
        return "—"
    return str(localize(value))


def comparable(value):
    """A form's cleaned value and a saved one, made comparable (links by key, lists as sets)."""
    if hasattr(value, "all") and hasattr(value, "model"):  # a queryset or a related manager
        return {obj.pk for obj in value.all()}
    if isinstance(value, list | tuple | set):
        return {getattr(obj, "pk", obj) for obj in value}
    if hasattr(value, "_meta"):
        return value.pk
    return "" if value is None else value


class RecordForm(forms.ModelForm):
    """A record's change form, carrying the version it was opened at.

    On saving, the record's row is read again under a lock (the admin wraps the whole
    save in a transaction); if someone else saved it meanwhile, the form is refused
    with the fields that now differ and what they read. The hidden version is then
    moved on, so saving again deliberately keeps the editor's values.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # The saved row's version, not the instance's: a version restored from
            # history carries the version it had then.
            self.fields["opened_version"].initial = self.saved_version()

    def saved_version(self):
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        return rows.values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if not self.instance.pk or opened is None:
            return cleaned
        model = type(self.instance)
        saved = model._base_manager.select_for_update().filter(pk=self.instance.pk).first()
        if saved is None or saved.version == opened:
            return cleaned
        self.refuse_stale_save(saved)
        return cleaned

    def refuse_stale_save(self, saved):
        differing = []
        for name in self.changed_data_names(saved):
            field = self.fields[name]
            differing.append(str(field.label or name))
            self.add_error(
                name,
                _("Saved meanwhile by someone else as: %(value)s")
                % {"value": shown_value(saved, name)},
            )
        # Who saved this version; a version raised by a change to the record's own rows
        # (a citation saved elsewhere) has no history row of the record's.
        last = saved.history.filter(version=saved.version).select_related("history_user").first()
        who = getattr(getattr(last, "history_user", None), "username", None) or _("someone else")
        if differing:
            detail = _("These fields now differ from what you entered: %(fields)s.") % {
                "fields": ", ".join(differing)
            }
        else:
            detail = _("Its fields match yours; its other rows (such as citations) may differ.")
        self.add_error(
            None,
            _(
                "%(who)s saved this record after you opened it (it is now at version "
                "%(version)s), so your changes were not saved. %(detail)s Each of those fields "
                "shows the saved value above yours. Save again to keep your "
                "version, or reload the page to start from the saved one."
            )
            % {"who": who, "version": saved.version, "detail": detail},
        )
        # Saving again, after reading the differences, is a deliberate choice.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = str(saved.version)

    def changed_data_names(self, saved) -> list[str]:
        names = []
        for name in self.fields:
            if name == "opened_version" or name not in self.cleaned_data:
                continue
            try:
                model_field = saved._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                continue
            if not model_field.concrete:
                continue
            current = getattr(saved, name)
            if comparable(current) != comparable(self.cleaned_data[name]):
                names.append(name)
        return names


class KeepsCitedRecords:
    """Refuses a deletion that would take other records with it, as PROTECT does for links.

    A reported figure (Metric) is deleted by the database along with the agreement,
    council or country it describes; the admin lists it as protected instead.
    """

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return to_delete, model_count, perms_needed, [*protected, *self._cascaded_records(objs)]

    def _cascaded_records(self, objs) -> list[str]:
        """Other records (e.g. reported figures) the database would delete along with objs."""
        objs = list(objs)
        if not objs:
            return []
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        deleted_keys = {(type(obj), obj.pk) for obj in objs}
        return [
            self._admin_link(record)
            for model, instances in collector.data.items()
            if issubclass(model, models.Record)
            for record in instances
            if (model, record.pk) not in deleted_keys
        ]

    def _admin_link(self, obj) -> str:
        label = f"{capfirst(obj._meta.verbose_name)}: {obj}"
        try:
            url = reverse(
                f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change",
                args=[obj.pk],
            )
        except NoReverseMatch:
            return label
        return format_html('{}: <a href="{}">{}</a>', capfirst(obj._meta.verbose_name), url, obj)


class HalfPublic(Exception):
    """A save refused because it would leave a public record pointing at a draft, with
    no verified citation, or a published record pointing at a record no longer public."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def named_list(records) -> str:
    return "; ".join(f"{capfirst(r._meta.verbose_name)} “{r}”" for r in records)


def half_public_message(plan) -> str:
    parts = []
    if plan.problems:
        parts.append(
            _("Not published: %(problems)s.")
            % {
                "problems": "; ".join(
                    f"{capfirst(r._meta.verbose_name)} “{r}” {message}"
                    for r, message in plan.problems
                )
            }
        )
    if plan.linked_drafts:
        parts.append(
            _(
                "It links to drafts that would read as missing on its public page: %(drafts)s. "
                "Save it as a draft, then publish it with its linked drafts from the list."
            )
            % {"drafts": named_list(plan.linked_drafts)}
        )
    return " ".join(str(part) for part in parts)


def dependents_message(records) -> str:
    message = _(
        "Not unpublished: these published records depend on it and would point at a record "
        "that is no longer public: %(records)s. Unpublish them first, or together with it."
    ) % {"records": named_list(records)}
    if len(records) >= DEPENDENTS_NAMED:
        more = _("Only the first %(n)s found are named; there may be more.")
        message = f"{message} {more % {'n': len(records)}}"
    return message


def admin_change_url(record) -> str:
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


@admin.display(description=_("published"), boolean=True, ordering="is_published")
def published(record):
    return record.is_published


class RecordAdmin(KeepsCitedRecords, SimpleHistoryAdmin):
    """What every record's admin shares: publication, search by alias, deletion rules."""

    list_display = ("name", published, "updated_at")
    list_filter = ("is_published",)
    search_fields = ("name", "name_ko", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("published_at", "updated_at")
    actions = ("publish", "unpublish")
    history_list_display = ("is_published",)
    form = RecordForm
    # The target FK on Citation / Alias; set per admin below.
    target_name = ""

    class Media:
        css = {"all": ("admin/initiatives/editor.css",)}

    # No lost updates ---------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", with_partial_dates(self.form, self.model))
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = one_field_dates(
            super().get_fieldsets(request, obj), self.model.partial_date_field_names()
        )
        if "opened_version" in admin.utils.flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": (*options["fields"], "opened_version")}), *rest]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring is a save like any other: checked and written in one transaction.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.publication_context(object_id)}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except HalfPublic as refused:
            # The whole save was rolled back; the form opens again as it was saved before.
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except (IntegrityError, models.RecordChanged):
            # Another editor's save landed between this form's checks and its write
            # (a row added twice at once). All of this save was rolled back; checking
            # the same input again now meets their row and says so in the form.
            pass
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, models.RecordChanged):
            self.message_user(
                request,
                _(
                    "Your changes could not be saved: someone else was saving the same record. "
                    "Please make them again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_inlines(self, request, obj):
        if not self.target_name:
            return list(self.inlines)
        return [*self.inlines, *attached_inlines(self.target_name)]

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        if self.target_name in {name for name, _model in models.NAMEABLE}:
            fields.append("aliases__name")
        return fields

    # Publication: only reviewers -------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        codename = get_permission_codename("publish", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly = ("is_published", *readonly)
        return readonly

    def save_model(self, request, obj, form, change):
        saved = type(obj)._base_manager.filter(pk=obj.pk) if change else None
        form.was_published = bool(saved and saved.values_list("is_published", flat=True).first())
        latest = obj.history.order_by("-history_id").first() if change else None
        form.history_before = latest.history_id if latest else None
        if change and not self.has_publish_permission(request):
            # Restoring an old version must not publish or unpublish it either.
            current = type(obj).objects.filter(pk=obj.pk).values(*PUBLICATION_FIELDS).first()
            for field, value in (current or {}).items():
                setattr(obj, field, value)
        if change:
            obj.expect_version(form.cleaned_data.get("opened_version"))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record = form.instance
        was_published = getattr(form, "was_published", False)
        if record.is_published:
            # Checked after the record's rows (parties, citations) are saved, inside the
            # form's transaction: a refusal rolls the whole save back.
            plan = publication_plan([record])
            if not plan.ready or plan.linked_drafts:
                raise HalfPublic(half_public_message(plan))
        elif was_published and (left := dependents(record, limit=DEPENDENTS_NAMED)):
            raise HalfPublic(dependents_message(left))
        if change and was_published and not self.has_publish_permission(request):
            # Public at once, and queued for a reviewer with its diff (models/reviews.py).
            after = record.history.order_by("-history_id").first()
            models.ChangeReview.objects.create(
                content_type=ContentType.objects.get_for_model(type(record)),
                object_id=record.pk,
                record_name=str(record)[:300],
                changed_by=request.user,
                before_history_id=getattr(form, "history_before", None),
                after_history_id=after.history_id if after else None,
            )

    def publication_context(self, object_id) -> dict:
        """The change page's banner: published (perhaps with a change waiting for review),
        or a draft and what publishing it takes."""
        if object_id is None:
            return {"publication_state": "new"}
        record = self.get_object_for_banner(object_id)
        if record is None:
            return {}
        if record.is_published:
            waiting = models.ChangeReview.objects.waiting().filter(
                content_type=ContentType.objects.get_for_model(self.model), object_id=record.pk
            )
            return {"publication_state": "waiting" if waiting.exists() else "published"}
        plan = publication_plan([record])
        return {
            "publication_state": "draft",
            "publication_problems": [
                (r._meta.verbose_name, r, message) for r, message in plan.problems
            ],
            "publication_drafts": [(r._meta.verbose_name, r) for r in plan.linked_drafts],
        }

    def get_object_for_banner(self, object_id):
        try:
            return self.model._default_manager.filter(pk=object_id).first()
        except (ValueError, ValidationError):
            return None

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        records = list(queryset.filter(is_published=False))
        plan = publication_plan(records)
        for draft in plan.linked_drafts:
            if not self.may_publish(request, draft):
                plan.problems.append(
                    (draft, _("is a draft you may not publish: ask a reviewer who may"))
                )
        if not plan.ready:
            self.message_user(request, half_public_message(plan), messages.ERROR)
            return None
        if plan.linked_drafts and not request.POST.get("publish_linked_drafts"):
            return TemplateResponse(
                request,
                "admin/initiatives/publish_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Publish with linked drafts?"),
                    "opts": self.opts,
                    "plan": plan,
                    "linked": [
                        (draft._meta.verbose_name, draft, admin_change_url(draft))
                        for draft in plan.linked_drafts
                    ],
                    "selected": [record.pk for record in records],
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._set_published(request, plan.all_records, True)
        return None

    @admin.action(description=_("Unpublish the selected records"), permissions=["publish"])
    def unpublish(self, request, queryset):
        records = list(queryset.filter(is_published=True))
        chosen = frozenset((type(record), record.pk) for record in records)
        left = {}
        for record in records:
            for dependent in dependents(record, limit=DEPENDENTS_NAMED, excluding=chosen):
                left.setdefault((type(dependent), dependent.pk), dependent)
            if len(left) >= DEPENDENTS_NAMED:
                break
        left = list(left.values())[:DEPENDENTS_NAMED]
        if left:
            self.message_user(request, dependents_message(left), messages.ERROR)
            return
        self._set_published(request, records, False)

    def may_publish(self, request, record) -> bool:
        opts = record._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('publish', opts)}")

    def _set_published(self, request, records, value: bool):
        changed = 0
        for record in records:
            if record.is_published == value:
                continue
            record.is_published = value
            record.published_at = timezone.now() if value else None
            record.save()  # one history entry per record, with who did it
            changed += 1
        message = (
            ngettext("%d record published.", "%d records published.", changed)
            if value
            else ngettext("%d record unpublished.", "%d records unpublished.", changed)
        )
        self.message_user(request, message % changed, messages.SUCCESS)


@admin.display(description=_("signed"), ordering="signed_on")
def signed_column(agreement):
    return agreement.signed


@admin.register(models.Agreement)
class AgreementAdmin(RecordAdmin):
    target_name = "agreement"
    list_display = ("name", "kind", "status", signed_column, "country", published, "updated_at")
    list_filter = ("is_published", "kind", "status", "signed_on_precision", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "summary", "ministries__name")
    date_hierarchy = "signed_on"
    autocomplete_fields = ("country", "cooperation_areas", "party_countries")
    inlines = (AgreementPartyInline, AgreementRelationInline)
    # What most new MOUs need stays open; what few sources state is folded away.
    fieldsets = (
        (None, {"fields": ("name", "slug", ("kind", "status"), "summary")}),
        (
            _("Status as last reported"),
            {
                "fields": (
                    ("status_as_of", "status_as_of_precision", "status_as_of_inferred"),
                    (
                        "status_expected_by",
                        "status_expected_by_precision",
                        "status_expected_by_inferred",
                    ),
                )
            },
        ),
        (
            _("Signing"),
            {
                "fields": (
                    ("signed_on", "signed_on_precision", "signed_on_inferred"),
                    ("city", "country"),
                )
            },
        ),
        (
            _("More: Korean name, venue, in force and expiry, cooperation areas, note"),
            {
                "classes": ("collapse",),
                "fields": (
                    "name_ko",
                    "venue",
                    ("in_force_on", "in_force_on_precision", "in_force_on_inferred"),
                    ("expires_on", "expires_on_precision", "expires_on_inferred"),
                    "cooperation_areas",
                    "note",
                ),
            },
        ),
        (
            _("Parties' countries, where the ministries are not known"),
            {"fields": ("party_countries", "party_countries_inferred")},
        ),
        (_("Publication"), {"fields": (*PUBLICATION_FIELDS, "updated_at")}),
    )


@admin.register(models.Ministry)
class MinistryAdmin(RecordAdmin):
    target_name = "ministry"
    list_display = ("name", "acronym", "country", published, "updated_at")
    list_filter = ("is_published", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "acronym")
    autocomplete_fields = ("country",)


@admin.register(models.Organization)
class OrganizationAdmin(RecordAdmin):
    target_name = "organization"
    list_display = ("name", "acronym", "kind", "country", "parent_ministry", published)
    list_filter = ("is_published", "kind", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "acronym")
    autocomplete_fields = ("country", "parent_ministry")


@admin.register(models.Person)
class PersonAdmin(RecordAdmin):
    target_name = "person"
    list_display = ("name", "name_ko", "country", published, "updated_at")
    list_filter = ("is_published", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "posts__title")
    autocomplete_fields = ("country",)
    inlines = (PostInline,)


@admin.register(models.Council)
class CouncilAdmin(RecordAdmin):
    target_name = "council"
    list_display = ("name", "kind", "status", "country", "parent", published, "updated_at")
    list_filter = ("is_published", "kind", "status", COUNTRY_FILTER)
    date_hierarchy = "established_on"
    autocomplete_fields = (
        "host_ministries",
        "established_under",
        "parent",
        "mission",
        "country",
    )
    exclude = ("members",)  # entered in the members inline
    inlines = (CouncilMemberInline,)


@admin.display(description=_("date"), ordering="held_on")
def held_column(meeting):
    return meeting.held


@admin.register(models.Meeting)
class MeetingAdmin(RecordAdmin):
    target_name = "meeting"
    list_display = ("name", "kind", held_column, "city", "country", "council", published)
    list_filter = ("is_published", "kind", "status", "format", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "summary", "venue", "city")
    date_hierarchy = "held_on"
    autocomplete_fields = ("council", "country", "presided_by", "related_agreements")
    inlines = (MeetingParticipantInline,)


@admin.register(models.SupportCase)
class SupportCaseAdmin(RecordAdmin):
    target_name = "support_case"
    list_display = ("name", "company", "sector", "country", "status", published)
    list_filter = ("is_published", "status", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "company__name", "sector", "challenge")
    autocomplete_fields = ("company", "country", "council", "reported_at")
    inlines = (SupportActionInline,)
    fieldsets = (
        (None, {"fields": ("name", "name_ko", "slug", "company", "sector", ("country", "region"))}),
        (None, {"fields": ("challenge", "outcome", "status", "council", "reported_at", "note")}),
        (
            _("Status as last reported"),
            {
                "fields": (
                    ("status_as_of", "status_as_of_precision", "status_as_of_inferred"),
                    (
                        "status_expected_by",
                        "status_expected_by_precision",
                        "status_expected_by_inferred",
                    ),
                )
            },
        ),
        (
            _("Staff only"),
            {
                "fields": models.SupportCase.STAFF_ONLY_FIELDS,
                "description": _("Never shown on public pages, exports or the API."),
            },
        ),
        (_("Publication"), {"fields": (*PUBLICATION_FIELDS, "updated_at")}),
    )


@admin.display(description=_("starts"), ordering="starts_on")
def starts_column(program):
    return program.starts


@admin.register(models.Program)
class ProgramAdmin(RecordAdmin):
    target_name = "program"
    list_display = ("name", "kind", starts_column, "country", published, "updated_at")
    list_filter = ("is_published", "kind", COUNTRY_FILTER)
    search_fields = ("name", "name_ko", "slug", "summary")
    date_hierarchy = "starts_on"
    autocomplete_fields = (
        "owner_ministries",
        "owner_organizations",
        "country",
        "related_agreements",
    )


@admin.display(description=_("published on"), ordering="published_on")
def source_published_column(source):
    return source.published


@admin.display(description=_("citations"), ordering="citation_count")
def citation_count(source):
    return source.citation_count


class SourceForm(SourceTextFormMixin, RecordForm):
    class Meta:
        widgets = {"text": SourceTextWidget}


# How many of a source's sentences the "cite from the text" search lists at once.
SENTENCES_SHOWN = 40


@admin.register(models.Source)
class SourceAdmin(RecordAdmin):
    form = SourceForm
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "name_ko",
                    "slug",
                    "publisher",
                    ("published_on", "published_on_inferred"),
                    "url",
                    ("language", "retrieved_on"),
                )
            },
        ),
        (
            _("The document's text (for checking quotes; not shown to the public)"),
            {"fields": ("text", "upload", "content_hash", "text_file")},
        ),
        (None, {"fields": ("note",)}),
        (_("Publication"), {"fields": (*PUBLICATION_FIELDS, "updated_at", "is_synthetic")}),
    )
    list_display = (
        "name",
        "publisher",
        source_published_column,
        "language",
        citation_count,
        published,
    )
    list_filter = ("is_published", "language", "is_synthetic")
    search_fields = ("name", "name_ko", "slug", "publisher", "url")
    date_hierarchy = "published_on"
    ordering = ("name",)  # explicit: the citation count's GROUP BY drops Meta.ordering
    readonly_fields = ("published_at", "updated_at", "is_synthetic", "content_hash", "text_file")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    change_form_template = "admin/initiatives/source_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        source = self.get_object_for_banner(object_id)
        if source is not None and source.text and request.method == "GET":
            extra_context = {**(extra_context or {}), **self.proposals_context(source)}
        return super().change_view(request, object_id, form_url, extra_context)

    def proposals_context(self, source) -> dict:
        """The section "What the text appears to state" (initiatives/proposals.py)."""
        reading = read_source(source, gazetteer=Gazetteer.from_portal())
        kinds = {
            "agreement": _("Agreements"),
            "meeting": _("Meetings"),
            "ministry": _("Ministries"),
            "organization": _("Organizations"),
            "person": _("People"),
            "country": _("Countries"),
            "figure": _("Figures"),
            "date": _("Dates"),
        }
        groups = []
        for kind, found in reading.grouped():
            rows = []
            for proposal in found:
                draftable = kind in DRAFTABLE and (
                    kind in ("agreement", "meeting", "figure") or proposal.is_new
                )
                rows.append({"proposal": proposal, "draftable": draftable,
                             "known_url": self.known_url(proposal)})  # fmt: skip
            groups.append((kinds[kind], kind, rows))
        return {"proposal_groups": groups, "proposal_reference": reading.reference}

    def known_url(self, proposal) -> str:
        known = proposal.known
        if known is None or known.kind == "country":
            return ""
        return reverse(f"admin:initiatives_{known.kind}_change", args=[known.pk])

    def get_urls(self):
        sentences_view = self.admin_site.admin_view(self.sentences_view)
        draft_view = self.admin_site.admin_view(self.start_draft_view)
        return [
            path(
                "<path:object_id>/start-draft/",
                draft_view,
                name="initiatives_source_start_draft",
            ),
            path(
                "<path:object_id>/sentences/",
                sentences_view,
                name="initiatives_source_sentences",
            ),
            *super().get_urls(),
        ]

    def start_draft_view(self, request, object_id):
        """One click on a proposal: a draft record with the proposal's values, citing its
        sentence from this source; then its change page. Proposals are read again from
        the text held, so only what the text gives is written."""
        source = self.get_object_for_banner(object_id)
        if source is None:
            raise Http404
        change_url = reverse("admin:initiatives_source_change", args=[source.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        proposal = read_source(source).by_key(request.POST.get("proposal", ""))
        if proposal is None or proposal.kind not in DRAFTABLE:
            self.message_user(
                request,
                _(
                    "That proposal is no longer in the text's proposals: the text or the "
                    "portal's names have changed."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        model = (
            models.Metric if proposal.kind == "figure" else getattr(models, proposal.kind.title())
        )
        opts = model._meta
        if not request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            raise PermissionDenied
        try:
            record = start_draft(source, proposal)
        except CannotDraft as missing:
            self.message_user(
                request,
                _("%(problem)s Quote to cite from “%(source)s”: “%(quote)s”")
                % {"problem": missing.message, "source": source, "quote": proposal.quote},
                messages.WARNING,
            )
            add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            return HttpResponseRedirect(f"{add_url}?{urlencode(missing.initial)}")
        except ValidationError as invalid:
            self.message_user(request, "; ".join(invalid.messages), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(
            request,
            _("Draft %(kind)s “%(name)s” started from the text, citing this source.")
            % {"kind": opts.verbose_name, "name": record},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        )

    def sentences_view(self, request, object_id):
        """The source's sentences that contain ``q`` (all of them without it), as JSON:
        what the citation form's "cite from the text" search offers."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"sentences": []}, status=403)
        source = models.Source.objects.filter(pk=object_id if object_id.isdigit() else None)
        text = source.values_list("text", flat=True).first()
        if text is None:
            return JsonResponse({"sentences": []}, status=404)
        wanted = normalised(request.GET.get("q", "")).lower()
        found = [line for line in sentences(text) if wanted in normalised(line).lower()]
        return JsonResponse({"sentences": found[:SENTENCES_SHOWN], "total": len(found)})


@admin.display(description=_("as of"), ordering="as_of")
def as_of_column(metric):
    return metric.measured


@admin.register(models.Metric)
class MetricAdmin(RecordAdmin):
    target_name = "metric"
    list_display = ("name", "qualifier", "value", "unit", as_of_column, published)
    list_filter = ("is_published", "qualifier")
    search_fields = ("name", "name_ko", "slug", "unit", "period")
    date_hierarchy = "as_of"
    autocomplete_fields = models.Metric.SUBJECT_FIELDS


# Reference tables and child rows (also editable on their own) ---------------------


class KeepsOwnersWhole:
    """A row saved on its own page (a party, a citation) may not leave the published
    record it belongs to pointing at a draft or without a verified citation."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        owners = [
            getattr(obj, f.name)
            for f in obj._meta.concrete_fields
            if f.is_relation
            and issubclass(f.related_model, models.Record)
            and f.remote_field.on_delete is CASCADE
        ]
        published = [owner for owner in owners if owner is not None and owner.is_published]
        plan = publication_plan(published)
        if published and (not plan.ready or plan.linked_drafts):
            raise HalfPublic(half_public_message(plan))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except HalfPublic as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class RowAdmin(KeepsOwnersWhole, SimpleHistoryAdmin):
    """A table of rows that belong to a record (parties, posts, participants): edited in
    the record's own form, so left off the admin's home page; its pages still work."""

    class Media:
        css = {"all": ("admin/initiatives/editor.css",)}

    def get_model_perms(self, request):
        return {}


@admin.register(models.Country)
class CountryAdmin(KeepsCitedRecords, admin.ModelAdmin):
    list_display = ("code", "name", "name_ko")
    search_fields = ("code", "name", "name_ko")


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "name_ko", "kind", "m49_code", "parent")
    list_filter = ("kind",)
    search_fields = ("slug", "name", "name_ko", "m49_code")
    autocomplete_fields = ("parent", "countries")


@admin.register(models.CityName)
class CityNameAdmin(admin.ModelAdmin):
    """Reference data: each city's Korean name with the reference that states it."""

    list_display = ("name", "country", "name_ko", "reference")
    search_fields = ("name", "name_ko", "reference")
    autocomplete_fields = ("country",)


@admin.register(models.CooperationArea)
class CooperationAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "name_ko", "slug")
    search_fields = ("name", "name_ko", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Post)
class PostAdmin(RowAdmin):
    list_display = ("person", "title", "ministry", "organization", "seen_on")
    list_filter = ("held_from_precision",)
    search_fields = ("title", "person__name", "person__aliases__name")
    date_hierarchy = "seen_on"
    autocomplete_fields = ("person", "ministry", "organization")


@admin.register(models.AgreementParty)
class AgreementPartyAdmin(RowAdmin):
    list_display = ("agreement", "ministry", "signatory", "signatory_title")
    list_filter = (("ministry__country", CountrySearchFilter),)
    search_fields = ("agreement__name", "ministry__name", "signatory__name", "signatory_title")
    autocomplete_fields = ("agreement", "ministry", "signatory")


@admin.register(models.AgreementRelation)
class AgreementRelationAdmin(RowAdmin):
    list_display = ("from_agreement", "kind", "to_agreement")
    list_filter = ("kind",)
    search_fields = ("from_agreement__name", "to_agreement__name")
    autocomplete_fields = ("from_agreement", "to_agreement")


@admin.register(models.MeetingParticipant)
class MeetingParticipantAdmin(RowAdmin):
    list_display = ("meeting", "person", "organization", "ministry", "role")
    list_filter = ("attendance",)
    search_fields = ("meeting__name", "person__name", "organization__name", "ministry__name")
    autocomplete_fields = ("meeting", "person", "organization", "ministry")


@admin.register(models.SupportAction)
class SupportActionAdmin(RowAdmin):
    list_display = ("case", "order", "organization", "actor")
    search_fields = ("case__name", "organization__name", "actor", "action")
    autocomplete_fields = ("case", "organization")


@admin.display(description=_("record"))
def attached_target(row):
    return row.target


@admin.register(models.Citation)
class CitationAdmin(KeepsOwnersWhole, SimpleHistoryAdmin):
    list_display = ("source", attached_target, "quote", "supports")
    list_filter = ("source",)
    search_fields = ("quote", "source__name", "supports")
    autocomplete_fields = ("source", *(name for name, _model in models.CITABLE))
    formfield_overrides = {TextField: {"widget": SHORT_TEXT}}


@admin.register(models.Alias)
class AliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "language", "kind", attached_target)
    list_filter = ("kind", "language")
    search_fields = ("name", "note")
    autocomplete_fields = tuple(name for name, _model in models.NAMEABLE)
