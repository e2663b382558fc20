"""Small builders for the editors' workflow tests: accounts in a role, records, admin forms."""

import datetime
import itertools
import os
from html.parser import HTMLParser
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from initiatives import models

STRONG_PASSWORD = "Seven-geese-cross-the-Han-2026"
# Tests hash many passwords; the production hasher is deliberately slow.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROLE_GROUPS = {"editor": "Editors", "reviewer": "Reviewers"}
_serial = itertools.count(1)


# Accounts ---------------------------------------------------------------------------


def role_group(name: str) -> Group:
    """The Editors or Reviewers group; rebuilt as migration 0002 makes it after a flush.

    Transactional tests (the browser test) flush the database, which removes the groups
    the data migration made; later tests in the same run still need them.
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        actions = {"Editors": ("add", "change", "delete", "view")}.get(
            name, ("add", "change", "delete", "view", "publish")
        )
        group.permissions.add(
            *[
                permission
                for permission in Permission.objects.filter(
                    content_type__app_label="initiatives"
                ).exclude(content_type__model__startswith="historical")
                if permission.codename.split("_", 1)[0] in actions
            ]
        )
    return group


def account(role: str, username: str | None = None, password: str = STRONG_PASSWORD):
    """A staff account made the way operators make one: with create_portal_account."""
    role_group(ROLE_GROUPS[role])
    username = username or f"{role}{next(_serial)}"
    with mock.patch.dict(os.environ, {"PORTAL_ACCOUNT_PASSWORD": password}):
        call_command("create_portal_account", username, f"{username}@example.org", role=role)
    return get_user_model().objects.get(username=username)


# Records ----------------------------------------------------------------------------


def _slug(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


def country(code: str = "be", name: str = "Belgium") -> models.Country:
    return models.Country.objects.get_or_create(code=code, defaults={"name": name})[0]


def ministry(name: str = "Ministry of SMEs and Startups", **fields) -> models.Ministry:
    fields.setdefault("country", country("kr", "Korea, Republic of"))
    return models.Ministry.objects.create(slug=_slug("ministry"), name=name, **fields)


def person(name: str = "Oh Young-ju", **fields) -> models.Person:
    return models.Person.objects.create(slug=_slug("person"), name=name, **fields)


def organization(name: str = "KOSME", kind: str = "agency", **fields) -> models.Organization:
    return models.Organization.objects.create(slug=_slug("org"), name=name, kind=kind, **fields)


def source(name: str = "MSS press release", **fields) -> models.Source:
    return models.Source.objects.create(slug=_slug("source"), name=name, **fields)


def agreement(name: str = "MOU on SME cooperation", **fields) -> models.Agreement:
    return models.Agreement.objects.create(slug=_slug("agreement"), name=name, **fields)


def council(name: str = "Overseas consultative body", **fields) -> models.Council:
    fields.setdefault("kind", models.Council.Kind.CONSULTATIVE_BODY)
    fields.setdefault("status", models.Council.Status.ACTIVE)
    return models.Council.objects.create(slug=_slug("council"), name=name, **fields)


def meeting(name: str = "First meeting", **fields) -> models.Meeting:
    fields.setdefault("kind", models.Meeting.Kind.COUNCIL_MEETING)
    return models.Meeting.objects.create(slug=_slug("meeting"), name=name, **fields)


def support_case(name: str = "Help for a food exporter", **fields) -> models.SupportCase:
    fields.setdefault("company", organization("Acme Foods", kind="company"))
    return models.SupportCase.objects.create(slug=_slug("case"), name=name, **fields)


def program(name: str = "Startup for All", **fields) -> models.Program:
    fields.setdefault("kind", models.Program.Kind.INITIATIVE)
    return models.Program.objects.create(slug=_slug("program"), name=name, **fields)


def metric(name: str = "Meetings held", **fields) -> models.Metric:
    fields.setdefault("value", 46)
    fields.setdefault("unit", "meetings")
    if not any(f in fields for f in models.Metric.SUBJECT_FIELDS):
        fields["agreement"] = agreement()
    return models.Metric.objects.create(slug=_slug("metric"), name=name, **fields)


def cite(record, quote: str = "The two ministries signed an MOU.", src=None) -> models.Citation:
    field = next(name for name, model in models.CITABLE if isinstance(record, model))
    return models.Citation.objects.create(source=src or source(), quote=quote, **{field: record})


def one_of_everything() -> dict:
    """One row of every model the admin registers, linked the way real data is."""
    kr = country("kr", "Korea, Republic of")
    mss = ministry(acronym="MSS", country=kr)
    minister = person(country=kr)
    kosme = organization(country=kr, parent_ministry=mss)
    mou = agreement(
        signed_on=datetime.date(2024, 4, 1),
        signed_on_precision="month",
        country=country(),
    )
    earlier = agreement("Earlier MOU")
    body = council(
        established_under=mou,
        country=kr,
        established_on=datetime.date(2024, 1, 1),
        established_on_precision="year",
    )
    body.host_ministries.add(mss)
    body.members.add(kosme)
    sitting = meeting(council=body, held_on=datetime.date(2024, 12, 17), held_on_precision="day")
    case = support_case(council=body, reported_at=sitting, staff_notes="Call Mr Kim first.")
    area = models.CooperationArea.objects.create(slug=_slug("area"), name="Technology")
    mou.cooperation_areas.add(area)
    doc = source(published_on=datetime.date(2024, 4, 1), published_on_precision="month")
    rows = {
        "country": kr,
        "ministry": mss,
        "person": minister,
        "organization": kosme,
        "agreement": mou,
        "council": body,
        "meeting": sitting,
        "supportcase": case,
        "program": program(),
        "source": doc,
        "metric": metric(council=body),
        "cooperationarea": area,
        "post": models.Post.objects.create(person=minister, title="Minister", ministry=mss),
        "agreementparty": models.AgreementParty.objects.create(
            agreement=mou, ministry=mss, signatory=minister, signatory_title="Minister"
        ),
        "agreementrelation": models.AgreementRelation.objects.create(
            from_agreement=mou, kind="supersedes", to_agreement=earlier
        ),
        "meetingparticipant": models.MeetingParticipant.objects.create(
            meeting=sitting, organization=kosme, role="host"
        ),
        "supportaction": models.SupportAction.objects.create(
            case=case, order=1, organization=kosme, action="Found a distributor."
        ),
        "citation": cite(mou, src=doc),
        "alias": models.Alias.objects.create(ministry=mss, name="MoSS", kind="acronym"),
    }
    return rows


# Admin forms ------------------------------------------------------------------------


def admin_url(model_or_obj, view: str = "changelist", *args) -> str:
    opts = model_or_obj._meta
    if view in {"change", "delete", "history"} and not args:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


class _FormFields(HTMLParser):
    """The values a browser would submit from the admin's model form, as rendered."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
            return
        name = attrs.get("name")
        if not name or "__prefix__" in name:
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value") or "on")
                else:
                    self.data.setdefault(name, [])
            else:
                self.data[name] = [attrs.get("value") or ""]
        elif tag == "select":
            self._select = name
            self.data[name] = []
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
            for name, values in self.data.items():
                # Django writes a newline after <textarea>, which browsers drop.
                if values and values[0].startswith("\n"):
                    self.data[name] = [values[0][1:]]


def form_data(client, url: str, **changes) -> dict:
    """The admin form at url as a browser would submit it, with changes applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items() if values}
    data.update({name: value for name, value in changes.items()})
    return data


def public_url(record) -> str | None:
    """The record's public page, or None while the public views are not yet routed."""
    try:
        return record.get_absolute_url()
    except NoReverseMatch:
        return None


def public_list_url(route_name: str) -> str | None:
    try:
        return reverse(f"initiatives:{route_name}-list")
    except NoReverseMatch:
        return None
