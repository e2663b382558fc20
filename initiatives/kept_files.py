"""A whole collection's CSV or Excel file, kept on disk until the data change.

``/support-cases/?format=csv`` with no filter is the same file for every reader of one
language until an edit, and at scale it is the costliest thing the portal sends: two
million support cases are about two minutes of a worker's time as CSV, and an Excel
file is written whole before its first byte is sent (bench/analysis.md, "Exports
at speed"). So the first request after an edit writes the file as it sends it, and
the requests after it are sent that file, at the speed of a static one.

A kept file is named by the collection, the format, the language, the site it was
asked from (its addresses are absolute) and the data version (``cache.data_version``,
bumped by every edit): a file is never sent once any record has changed since it was
written. It is written under a temporary name and renamed when complete, so a reader
never gets half a file, and a request that stops half-way (the reader left) leaves
nothing behind; the file of an older version is deleted when the next one is kept.

Only the whole collection is kept (the file address with ``format`` alone, for a
reader not signed in): filtered files are as many as the filters' combinations.
Files are kept only where every web process shares the data version (Redis, or a
development server: ``KEEP_FIGURES``), in ``KEPT_FILES_DIR``; an empty setting, or
the cache not telling the version (Redis down), sends every file as it is written.
"""

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import translation

from . import cache

logger = logging.getLogger(__name__)


def kept_path(request, collection: str, file_format: str) -> Path | None:
    """Where the whole ``collection`` as ``file_format`` is kept for this request, or
    None when this request's file is not one kept."""
    directory = settings.KEPT_FILES_DIR
    if not (directory and settings.KEEP_FIGURES):
        return None
    if list(request.GET.lists()) != [("format", [file_format])] or cache.signed_in(request):
        return None
    version = cache.data_version()
    if version is None:
        return None
    site = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:12]
    language = translation.get_language() or settings.LANGUAGE_CODE
    return Path(directory) / f"{collection}-{language}-{site}-{version}.{file_format}"


def opened(path: Path | None):
    """The kept file open for reading, or None when there is none (or it was just
    replaced by a newer one)."""
    try:
        return open(path, "rb") if path else None  # noqa: SIM115  (the response closes it)
    except FileNotFoundError:
        return None
    except OSError:  # the directory unreadable, or not one
        logger.exception("Cannot read %s", path)
        return None


def writing(path: Path):
    """A temporary file beside ``path`` to write it in, or None (logged) when the
    directory cannot take one: the file is then sent without being kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=path.parent, prefix=".writing-", delete=False)  # noqa: SIM115
    except OSError:
        logger.exception("Cannot keep %s", path)
        return None


def discard(file) -> None:
    file.close()
    Path(file.name).unlink(missing_ok=True)


def put(file, path: Path) -> None:
    """The written file at ``path``, and the older versions of it deleted."""
    file.close()
    os.replace(file.name, path)
    stem, _sep, _version = path.stem.rpartition("-")
    for older in path.parent.glob(f"{stem}-*{path.suffix}"):
        if older != path:  # a process sending it keeps it open, and sends it whole
            older.unlink(missing_ok=True)


def kept(path: Path | None, write):
    """The file ``write(file)`` writes, kept at ``path`` and open for reading (opened
    before it is renamed, so a newer version kept meanwhile cannot take it away); with
    no ``path``, or one that cannot be kept, in a temporary file deleted once closed."""
    file = writing(path) if path else None
    if file is None:
        file = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
        write(file)
        file.seek(0)
        return file
    try:
        write(file)
        file.flush()
        written = open(file.name, "rb")  # noqa: SIM115  (the response closes it)
        put(file, path)
    except BaseException:
        discard(file)
        raise
    return written


def kept_while_sent(chunks, path: Path):
    """The chunks of a streamed response, each also written to a file kept at ``path``
    once the last is sent. If the response stops before (the reader left, the database
    failed), or the disk refuses a write, nothing is kept."""
    file = writing(path)
    try:
        for chunk in chunks:
            if file is not None:
                try:
                    file.write(chunk.encode() if isinstance(chunk, str) else chunk)
                except OSError:
                    logger.exception("Cannot keep %s", path)
                    discard(file)
                    file = None
            yield chunk
    except BaseException:  # GeneratorExit too: the response was closed half-way
        if file is not None:
            discard(file)
        raise
    if file is not None:
        put(file, path)
