"""A record's own rows are part of it: adding, changing or deleting a citation, an alias,
a party, a relation, a participant, a supporting action or a post raises the record's
version, wherever the change is made (its own admin page, the row's own, a script).
An editor holding a form of the record opened before the change is then told
(``Record.version``, ``admin.RecordForm``).

A council's members are left out: they are edited only on the council's own form, whose
save raises the version anyway, and ``loaddata`` sets them through the m2m manager,
which would raise the version of every council a backup restores."""

from django.db.models.signals import post_delete, post_save

from . import models

# The row's model, and the keys naming the record it belongs to (an exclusive arc names
# the one that is set).
PARTS = {
    models.Citation: models.Citation.arc,
    models.Alias: models.Alias.arc,
    models.AgreementParty: ("agreement",),
    models.AgreementRelation: ("from_agreement",),
    models.MeetingParticipant: ("meeting",),
    models.SupportAction: ("case",),
    models.Post: ("person",),
}


def owning_record(row) -> tuple[type, object] | None:
    """(model, primary key) of the record that ``row`` is part of."""
    for name in PARTS[type(row)]:
        pk = getattr(row, f"{name}_id")
        if pk is not None:
            return type(row)._meta.get_field(name).related_model, pk
    return None


def part_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: fixture rows, not an edit
        return
    owner = owning_record(instance)
    if owner:
        models.bump_version(*owner)


def connect_signals() -> None:
    for model in PARTS:
        post_save.connect(part_changed, sender=model, dispatch_uid=f"version-{model.__name__}")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"version-{model.__name__}")
