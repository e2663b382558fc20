"""The two editorial roles: Editors add and change records; Reviewers also publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_ACTIONS = ("add", "change", "delete", "view")
REVIEWER_ACTIONS = (*EDITOR_ACTIONS, "publish")


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations run; make them now.
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True  # the migration state's stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    portal_permissions = Permission.objects.filter(content_type__app_label="initiatives").exclude(
        content_type__model__startswith="historical"
    )
    for name, actions in [("Editors", EDITOR_ACTIONS), ("Reviewers", REVIEWER_ACTIONS)]:
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [
            permission
            for permission in portal_permissions
            if permission.codename.split("_", 1)[0] in actions
        ]
        group.permissions.add(*wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
