"""The zh-hans catalog stays complete: every user-facing string of the code has a translation."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv/*", "tests/*", "bench/*", "staticfiles/*", "media/*", "node_modules/*"]


def _untranslated(po_text: str) -> list[str]:
    """The msgids of entries whose translation is missing or fuzzy (the header excluded)."""
    missing = []
    for entry in re.split(r"\n\s*\n", po_text):
        if not re.search(r'^msgid "', entry, re.M):
            continue
        flags = "\n".join(line for line in entry.splitlines() if line.startswith("#,"))
        entry = "\n".join(line for line in entry.splitlines() if not line.startswith("#"))
        whole_id = "".join(re.findall(r'"(.*)"', entry.split("msgid_plural")[0].split("msgstr")[0]))
        if not whole_id:
            continue  # the header
        strings = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', entry, re.M)
        texts = ["".join(re.findall(r'"(.*)"', block)) for block in strings]
        if "fuzzy" in flags or not texts or any(not text for text in texts):
            missing.append(whole_id)
    return missing


def test_the_committed_catalog_translates_every_entry():
    assert _untranslated(PO.read_text(encoding="utf-8")) == []


def test_every_string_in_the_code_is_in_the_catalog_and_translated(settings, tmp_path, monkeypatch):
    # makemessages writes into the tree it scans, so it scans a copy of the sources.
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "media", "staticfiles", "vendor", "*.sqlite3", "__pycache__"
        ),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=["zh_Hans"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0
    )
    fresh = (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert _untranslated(fresh) == [], "run `make messages` and translate the new entries"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_the_compiled_catalog_matches_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages`"
