"""Every kind of public page is valid HTML by the Nu HTML Checker (vnu.jar).

The checker comes from npm and runs on the machine's Java:

    npm install --no-save --prefix . vnu-jar     # gives node_modules/vnu-jar/build/dist/vnu.jar
    apt-get install -y default-jre-headless      # or any Java 11+ on PATH

Without either the test is skipped with a message saying so.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories as f

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("java") is None or not VNU_JAR.exists(),
        reason=(
            "The Nu HTML Checker needs Java and vnu.jar: run "
            "`npm install --no-save --prefix . vnu-jar` and install a Java runtime "
            "(e.g. `apt-get install -y default-jre-headless`)."
        ),
    ),
]


def every_kind_of_page(world) -> dict[str, str]:
    lists = {
        f"{route}-list": reverse(f"initiatives:{route}-list")
        for route in [
            "agreement",
            "ministry",
            "council",
            "meeting",
            "support-case",
            "organization",
            "person",
            "program",
            "source",
            "country",
        ]
    }
    return {
        **lists,
        "agreement-list-with-problems": reverse("initiatives:agreement-list")
        + "?country=be&country=zz&date_from=2024-13&sort=bogus&page=-1&q=%3Cb%3E",
        "meeting-list-filtered": reverse("initiatives:meeting-list")
        + "?format=hybrid&date_from=2024&page=2",
        "agreement": world["agreements"][1].get_absolute_url(),
        "quiet-agreement": world["framework"].get_absolute_url(),
        "ministry": world["ministry"].get_absolute_url(),
        "council": world["councils"][1].get_absolute_url(),
        "umbrella-council": world["umbrella"].get_absolute_url(),
        "meeting": world["meetings"][1].get_absolute_url(),
        "support-case": world["cases"][1].get_absolute_url(),
        "organization": world["agency"].get_absolute_url(),
        "person": world["chair"].get_absolute_url(),
        "program": world["programs"][1].get_absolute_url(),
        "source": reverse("initiatives:source-detail", args=["mss-press-release"]),
        "country": reverse("initiatives:country-detail", args=["be"]),
        "dashboard": reverse("initiatives:dashboard"),
        "search": reverse("initiatives:search") + "?q=minister",
        "search-empty": reverse("initiatives:search"),
        "not-found": reverse("initiatives:agreement-list") + "no-such-agreement/",
    }


def html_errors(client, urls: dict[str, str], folder: Path) -> list[str]:
    """Render each page to a file, check them all in one run of the checker."""
    files = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = folder / f"{name}.html"
        path.write_bytes(response.content)
        files[str(path)] = url
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def test_every_kind_of_page_is_valid_html(client, tmp_path):
    world = f.portal_world(size=6)
    errors = html_errors(client, every_kind_of_page(world), tmp_path)
    assert not errors, "\n".join(errors)


def test_every_fixture_page_is_valid_html(client, portal_data, tmp_path):
    from initiatives.models import (
        Agreement,
        Council,
        Meeting,
        Ministry,
        Organization,
        Person,
        Program,
        Source,
        SupportCase,
    )

    urls = {"dashboard": reverse("initiatives:dashboard")}
    models = [Agreement, Ministry, Council, Meeting, SupportCase, Organization, Person]
    for model in [*models, Program, Source]:
        urls[f"{model.route_name}-list"] = reverse(f"initiatives:{model.route_name}-list")
        for record in model.objects.published():
            urls[f"{model.route_name}-{record.slug}"] = record.get_absolute_url()
    urls["region-list"] = reverse("initiatives:region-list")
    urls["region-europe"] = reverse("initiatives:region-detail", args=["europe"])
    errors = html_errors(client, urls, tmp_path)
    assert not errors, "\n".join(errors)
