"""Form pieces of the editors' admin: a partial date typed in one field, a source's
text pasted or uploaded, a quote picked from its source's sentences."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .dates import PartialDate, parse_partial_date, stored_partial_date
from .source_text import ACCEPTED, extract_text


class PartialDateField(forms.Field):
    """One box for a date and its precision: ``2026``, ``2026-03``, ``2026.03``, ``March
    2026``, ``2026년 3월``, ``2026-03-15``, ``15 March 2026`` (dates.parse_partial_date).
    Cleans to a PartialDate, or None when empty."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "As precise as the source: 2026, 2026-03 (March 2026) or 2026-03-15; "
                "2026.03, March 2026 and 2026년 3월 are read too."
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"size": 16, "maxlength": 40})

    def prepare_value(self, value):
        return getattr(value, "iso", value.isoformat() if hasattr(value, "isoformat") else value)

    def to_python(self, value):
        text = str(value or "").strip()
        return parse_partial_date(text) if text else None

    def has_changed(self, initial, data):
        # The same date at the same precision is no change, inferred or not (the box is
        # a field of its own): an inline row with an inferred date is not saved again.
        try:
            typed = self.to_python(data)
        except forms.ValidationError:
            return True
        if not isinstance(initial, PartialDate):
            try:
                initial = self.to_python(self.prepare_value(initial))
            except forms.ValidationError:
                return True

        def key(date):
            return (date.value, date.precision) if date else None

        return key(initial) != key(typed)


def reason_name(field: str) -> str:
    return f"{field}_inferred_reason"


class PartialDatesForm(forms.ModelForm):
    """Each partial date of the model as one typed field (value and precision together),
    with its "inferred" box and, when the box is ticked, a reason that is required and
    kept in the record's public note."""

    partial_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bound or not, so that has_changed compares the date with its precision; a
        # value given in the address (a draft started from a proposal) is kept.
        for name in self.partial_dates:
            stored = stored_partial_date(self.instance, name)
            if name in self.fields and (stored is not None or name not in self.initial):
                self.initial[name] = stored

    def clean(self):
        # Dates first, so that the other checks (a version saved meanwhile) compare dates.
        for name in self.partial_dates:
            if name in self.fields and name in self.cleaned_data:
                date = self.cleaned_data[name]
                self.cleaned_data[name] = date.value if date else None
                setattr(self.instance, f"{name}_precision", date.precision if date else "")
        cleaned = super().clean()
        for name in self.partial_dates:
            if name in self.fields:
                self.clean_inferred(name, cleaned)
        return cleaned

    def clean_inferred(self, name: str, cleaned: dict) -> None:
        inferred = f"{name}_inferred"
        if inferred not in self.fields or not cleaned.get(inferred):
            return
        was_inferred = bool(self.instance.pk and self.initial.get(inferred))
        reason = (cleaned.get(reason_name(name)) or "").strip()
        if not reason:
            if not was_inferred:
                self.add_error(
                    reason_name(name),
                    _("Say how the date was worked out, since the source does not state it."),
                )
            return
        if "note" in self.fields:
            label = capfirst(self.fields[name].label or name)
            line = _("%(field)s inferred: %(reason)s") % {"field": label, "reason": reason}
            note = (cleaned.get("note") or "").strip()
            if line not in note:
                cleaned["note"] = f"{note}\n{line}".strip()


def with_partial_dates(form_class, model):
    """``form_class`` with the model's partial dates each typed in one field."""
    names = tuple(getattr(model, "partial_date_field_names", list)())
    if not names:
        return form_class
    attrs = {"partial_dates": names}
    for name in names:
        field = model._meta.get_field(name)
        attrs[name] = PartialDateField(label=capfirst(field.verbose_name), required=False)
        attrs[reason_name(name)] = forms.CharField(
            label=_("why inferred"),
            required=False,
            max_length=300,
            help_text=_("Required when the date is inferred: how it was worked out."),
        )
    meta_bases = (form_class.Meta,) if hasattr(form_class, "Meta") else ()
    attrs["Meta"] = type(
        "Meta",
        meta_bases,
        {"model": model, "exclude": [f"{name}_precision" for name in names]},
    )
    return type(f"{model.__name__}Form", (PartialDatesForm, form_class), attrs)


def one_field_dates(fieldsets, names) -> list:
    """``fieldsets`` with each date's precision field left out and, after its inferred
    box, the reason field."""
    precision = {f"{name}_precision" for name in names}
    reasons = {reason_name(name) for name in names}

    def fix(fields):
        out = []
        for item in fields:
            if isinstance(item, list | tuple):
                row = fix(item)
                if row:
                    out.append(tuple(row))
                continue
            if item in precision or item in reasons:
                continue
            out.append(item)
            if item.endswith("_inferred") and item[: -len("_inferred")] in names:
                out.append(reason_name(item[: -len("_inferred")]))
        return out

    return [(title, {**opts, "fields": tuple(fix(opts["fields"]))}) for title, opts in fieldsets]


class SourceTextWidget(forms.Textarea):
    def __init__(self, attrs=None):
        super().__init__({"rows": 16, "cols": 90, **(attrs or {})})


class QuoteWidget(forms.Textarea):
    """A quote's box, with a search of its source's sentences beneath: picking one
    copies it into the box word for word (static/admin/initiatives/cite_from_text.js)."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 2, "cols": 44, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        url = reverse("admin:initiatives_source_sentences", args=["SOURCE"])
        return format_html(
            '{}<div class="cite-from-text" data-sentences-url="{}">'
            '<input type="search" class="cite-search" aria-label="{}" placeholder="{}">'
            '<ul class="cite-sentences"></ul></div>',
            box,
            url,
            _("Find a sentence in the source"),
            _("Cite from the text: find a sentence…"),
        )

    class Media:
        js = ("admin/initiatives/cite_from_text.js",)
        css = {"all": ("admin/initiatives/editor.css",)}


class SourceTextFormMixin(forms.Form):
    """A source's text, pasted or taken from an uploaded HTML page, PDF or text file."""

    upload = forms.FileField(
        label=_("or upload the document"),
        required=False,
        help_text=_(
            "An HTML page, a PDF or a plain-text file (%(accepted)s); its text "
            "replaces the text above."
        )
        % {"accepted": ACCEPTED},
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            try:
                cleaned["text"] = extract_text(
                    upload.name, upload.read(), getattr(upload, "content_type", "") or ""
                )
            except forms.ValidationError as error:
                self.add_error("upload", error)
        if "text" in self.fields and not (cleaned.get("text") or "").strip() and not upload:
            self.add_error(
                "text",
                _(
                    "A source needs its text, so that quotes can be checked: paste it or upload "
                    "the document."
                ),
            )
        return cleaned
