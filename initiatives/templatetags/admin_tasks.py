"""The admin's home page grouped by the editors' tasks instead of one alphabetical list."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (title, model names in the order an editor works through them)
TASKS = (
    (_("Agreements and parties"), ("agreement", "ministry", "cooperationarea")),
    (_("Councils and meetings"), ("council", "meeting", "program")),
    (_("Support cases"), ("supportcase",)),
    (_("People and organizations"), ("person", "organization", "country", "cityname")),
    (_("Sources and citations"), ("source", "citation", "alias", "metric")),
)


@register.simple_tag
def task_groups(app_list):
    """[(title, [model entry…])] for the app list's portal models, grouped by task; any
    model of another app (accounts) or not named in TASKS comes last, under its app."""
    entries = {
        model["object_name"].lower(): model
        for app in app_list
        if app["app_label"] == "initiatives"
        for model in app["models"]
    }
    groups = []
    for title, names in TASKS:
        models = [entries.pop(name) for name in names if name in entries]
        if models:
            groups.append((title, models))
    if entries:
        groups.append((_("Other records"), list(entries.values())))
    for app in app_list:
        if app["app_label"] != "initiatives":
            groups.append((app["name"], app["models"]))
    return groups
