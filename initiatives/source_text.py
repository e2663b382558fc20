"""The text of an uploaded document: a web page (HTML), a PDF or plain text.

HTML goes through trafilatura, which keeps the article and drops menus and footers;
PDF through pypdf, page by page. Both run locally, with no network access.
"""

import hashlib
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A press release is a few kilobytes; a long report a few megabytes.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED = ".html, .htm, .pdf, .txt, .md"


def content_hash(text: str) -> str:
    """SHA-256 of the text as UTF-8: for a fixture text, the hash of its file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_text(name: str, data: bytes, content_type: str = "") -> str:
    """The text of the document ``name`` whose bytes are ``data``; ValidationError when
    it is too large, of a kind not read, or holds no text."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    suffix = Path(name or "").suffix.lower()
    if suffix == ".pdf" or content_type == "application/pdf" or data[:5] == b"%PDF-":
        text = _pdf_text(data)
    elif suffix in {".html", ".htm"} or content_type == "text/html":
        text = _html_text(data)
    elif suffix in {".txt", ".md", ""} or content_type.startswith("text/"):
        text = _decoded(data)
    else:
        raise ValidationError(
            _("Upload an HTML page, a PDF or a plain-text file (%(accepted)s).")
            % {"accepted": ACCEPTED},
            code="unsupported",
        )
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(
            _("No text could be read from this file; paste the document's text instead."),
            code="empty",
        )
    return text + "\n"


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text; save it as UTF-8 or paste its text."),
            code="encoding",
        ) from error


def _html_text(data: bytes) -> str:
    import trafilatura

    text = trafilatura.extract(
        data,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        with_metadata=False,
    )
    return text or ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise ValidationError(_("This PDF could not be read."), code="bad_pdf") from error
    return "\n\n".join(page.strip() for page in pages if page.strip())
