"""A whole collection's CSV or Excel file is kept on disk until the data change, and
sent from there (initiatives/kept_files.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from initiatives import kept_files
from initiatives.models import Agreement


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


@pytest.fixture
def kept_dir(settings, tmp_path):
    settings.KEPT_FILES_DIR = str(tmp_path / "files")
    return tmp_path / "files"


def agreements(file_format: str, **filters) -> bytes:
    response = Client().get(
        reverse("initiatives:agreement-list"), {"format": file_format, **filters}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def kept(directory) -> list:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_whole_collection_is_sent_from_its_kept_file_until_an_edit(
    portal_data, kept_dir, file_format
):
    first = agreements(file_format)
    (name,) = kept(kept_dir)
    assert name.startswith("agreement-en-") and name.endswith(f".{file_format}")
    assert (kept_dir / name).read_bytes() == first
    # What is sent next is the file itself: a mark written into it is sent too.
    (kept_dir / name).write_bytes(first + b"kept")
    assert agreements(file_format) == first + b"kept"

    Agreement.objects.published().first().save()  # an editor's save: a new data version
    fresh = agreements(file_format)
    assert not fresh.endswith(b"kept")
    (newer,) = kept(kept_dir)  # the older version's file is deleted
    assert newer != name


def test_the_kept_csv_is_the_file_a_request_writes_as_it_streams(portal_data, kept_dir):
    first = agreements("csv")
    (name,) = kept(kept_dir)
    (kept_dir / name).unlink()
    assert agreements("csv") == first


def test_filtered_files_are_not_kept(portal_data, kept_dir):
    agreements("csv", country="be")
    agreements("xlsx", country="be")
    assert kept(kept_dir) == []


def test_each_language_has_its_own_kept_file(portal_data, kept_dir):
    english = agreements("csv")
    with translation.override("ko"):
        response = Client().get(reverse("initiatives:agreement-list"), {"format": "csv"})
        korean = b"".join(response.streaming_content)
    assert korean != english
    assert [name.split("-")[1] for name in kept(kept_dir)] == ["en", "ko"]


def test_a_file_stopped_half_way_is_not_kept(tmp_path):
    path = tmp_path / "files" / "agreement-en-site-1.csv"
    chunks = kept_files.kept_while_sent(iter(["header\n", "row\n", "row\n"]), path)
    assert next(chunks) == "header\n"
    chunks.close()  # the reader left: the server closes the response
    assert list(path.parent.iterdir()) == []  # neither the file nor its part written
    assert list(kept_files.kept_while_sent(iter(["header\n", "row\n"]), path)) == [
        "header\n",
        "row\n",
    ]
    assert path.read_text() == "header\nrow\n"


def test_signed_in_readers_get_the_file_written_for_them(portal_data, kept_dir):
    user = get_user_model().objects.create_user("reader", password="a long passphrase 1")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("initiatives:agreement-list"), {"format": "csv"})
    b"".join(response.streaming_content)
    assert kept(kept_dir) == []


def test_files_are_sent_when_the_directory_cannot_keep_them(portal_data, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    settings.KEPT_FILES_DIR = str(tmp_path / "a-file" / "files")
    assert agreements("csv").startswith("\ufeff".encode())
    assert agreements("xlsx").startswith(b"PK")  # a zip archive: the workbook
