"""What an uploaded file must be before we store it: a document or an image, small enough, and
really of the type its name claims.

Shared by the catalog (material templates and samples) and the applicants' case uploads. Only
documents and images are accepted: archives (.zip, .rar) could carry anything past the check,
and executables never belong in an application file. OFD is accepted because it is the national
format for electronic licences and official documents (GB/T 33190).
"""

import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
# Word 97–2003 and Excel 97–2003 files are OLE2 compound documents.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    label: str
    magic: bytes
    # For ZIP-based formats: a member every genuine file of the kind has, so that a plain .zip
    # renamed to .docx is refused too.
    zip_member_prefix: str = ""


KINDS = {
    "pdf": FileKind("PDF", PDF),
    "jpg": FileKind("JPEG", JPEG),
    "jpeg": FileKind("JPEG", JPEG),
    "png": FileKind("PNG", PNG),
    "doc": FileKind("Word", OLE2),
    "xls": FileKind("Excel", OLE2),
    "docx": FileKind("Word", ZIP, "word/"),
    "xlsx": FileKind("Excel", ZIP, "xl/"),
    "ofd": FileKind("OFD", ZIP, "OFD.xml"),
}
ALLOWED_EXTENSIONS = tuple(KINDS)
# For the file input's ``accept`` attribute: the browser offers only these files.
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


# Control and format characters: C0/C1 controls (Cc); bidi embeddings, overrides and isolates
# (U+202A–U+202E, U+2066–U+2069), zero-width characters and the BOM (Cf); line and paragraph
# separators. Invisible in a name, they make "invoice\u202egnp.pdf" read as "invoicefdp.png"
# and can break a header.
UNSAFE_NAME_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def clean_file_name(name: str, *, default_stem: str) -> str:
    """``name`` without control and format characters or surrounding blanks.

    A name with nothing left before its extension becomes ``default_stem`` with that extension.
    """

    def strip(text: str) -> str:
        kept = "".join(ch for ch in text if unicodedata.category(ch) not in UNSAFE_NAME_CATEGORIES)
        return kept.strip()

    cleaned = strip(name)
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    if not stem.strip(" ."):
        stem = strip(default_stem) or "file"
    return f"{stem}.{extension.strip()}" if extension.strip() else stem


def validate_upload(file, *, max_bytes: int | None = None) -> None:
    """Refuse ``file`` unless its extension is allowed, its size is within the limit and its
    first bytes match its extension.

    ``max_bytes`` defaults to ``settings.CATALOG_MAX_UPLOAD_BYTES``. Raises ``ValidationError``
    with a message that names the file; the file's read position is left at the start.
    """
    name = clean_file_name(os.path.basename(getattr(file, "name", "") or ""), default_stem="file")
    limit = settings.CATALOG_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    kind = KINDS.get(extension)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted types: %(types)s.")
            % {"name": name, "types": ", ".join(ext.upper() for ext in ALLOWED_EXTENSIONS)},
            code="file_type",
        )

    size = file.size
    if not size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )

    if not _content_matches(file, kind):
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a %(type)s file, whatever its name says. "
                "Save it again as %(type)s and upload that."
            )
            % {"name": name, "type": kind.label},
            code="file_content",
        )


def _content_matches(file, kind: FileKind) -> bool:
    file.seek(0)
    try:
        if file.read(len(kind.magic)) != kind.magic:
            return False
        if not kind.zip_member_prefix:
            return True
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                return any(n.startswith(kind.zip_member_prefix) for n in archive.namelist())
        except (zipfile.BadZipFile, EOFError, ValueError):
            return False
    finally:
        file.seek(0)
