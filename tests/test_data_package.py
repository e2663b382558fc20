"""/en/data/: the whole published dataset as one Data Package (zip) that frictionless
validates, rebuilt when the data change."""

import csv
import io
import json
import zipfile

import frictionless
import pytest
from django.test import Client
from django.urls import reverse

from initiatives.models import Agreement
from initiatives.registry import COLLECTIONS


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


def download(client=None):
    response = (client or Client()).get(reverse("initiatives:data-package"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return response


def archive_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def table(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode(), newline="")))


def test_data_page_describes_and_links_the_download(portal_data):
    response = Client().get(reverse("initiatives:data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("initiatives:data-package") in page
    assert "agreements-parties.csv" in page and "datapackage.json" in page


def test_the_package_passes_frictionless_validation(portal_data, tmp_path):
    path = tmp_path / "data.zip"
    path.write_bytes(download().content)
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "package")
    report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "message"])


def test_every_collection_and_list_has_a_file_and_every_field_a_description(portal_data):
    archive = archive_of(download())
    descriptor = json.loads(archive.read("datapackage.json"))
    paths = {resource["path"] for resource in descriptor["resources"]}
    assert set(archive.namelist()) == paths | {"datapackage.json", "data.json"}
    for collection in COLLECTIONS:
        assert f"{collection.segment}.csv" in paths
    assert {"countries.csv", "agreements-parties.csv", "meetings-participants.csv"} <= paths
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields], resource["path"]
        for described in fields:
            assert described["type"] and described["description"].strip(), described


def test_tables_hold_what_the_api_publishes(portal_data):
    archive = archive_of(download())
    everything = json.loads(archive.read("data.json"))
    agreements = {row["slug"]: row for row in table(archive, "agreements.csv")}
    api = Client().get("/api/agreements/", {"page_size": 100}).json()["results"]
    assert set(agreements) == {record["slug"] for record in api}
    assert [r["slug"] for r in everything["agreements"]] == [r["slug"] for r in api]
    belgium = agreements["korea-belgium-sme-startup-mou-2026"]
    assert (belgium["signed_on"], belgium["signed_on_precision"]) == ("2026", "year")
    parties = [
        row
        for row in table(archive, "agreements-parties.csv")
        if row["agreement_slug"] == "korea-belgium-sme-startup-mou-2026"
    ]
    assert [(p["position"], p["ministry"], p["country"], p["signatory"]) for p in parties] == [
        ("1", "mss", "kr", "roh-yong-seok"),
        ("2", "belgium-ministry-middle-classes-self-employed-smes", "be", "eleonore-simonet"),
    ]


def test_the_package_is_rebuilt_when_the_data_change(portal_data):
    before = download()
    assert download().content == before.content  # the same data, the same bytes
    agreement = Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026")
    agreement.name = "Korea–Belgium MOU, renamed"
    agreement.save()
    names = {row["slug"]: row["name"] for row in table(archive_of(download()), "agreements.csv")}
    assert names["korea-belgium-sme-startup-mou-2026"] == "Korea–Belgium MOU, renamed"


def test_a_repeated_download_with_its_etag_is_not_sent_again(portal_data):
    first = download()
    again = Client().get(reverse("initiatives:data-package"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert first["Content-Disposition"].startswith("attachment; filename=")
