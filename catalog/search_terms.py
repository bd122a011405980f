"""What the hall's search matches an item by besides its name: the name's pinyin.

Computed once, when a version is published (``catalog.versions.item_version_publish``), and
stored on the version, so a search never converts text at query time.
"""

from pypinyin import Style, lazy_pinyin

# The guide pages are cached until an item is next published; publishing sets a new value here
# in the shared cache (Redis in production), so every process sees it on its next read.
GUIDES_VERSION_KEY = "catalog:guides-version"


def name_pinyin(name: str) -> str:
    """``name``'s full pinyin and its initials, lower case, e.g. "yingyezhizhao yyzz" for 营业执照.

    Letters and digits in the name are kept as they are (lower-cased); punctuation is dropped.
    Polyphonic characters take pypinyin's reading in context (its phrase dictionary).
    """
    syllables = [
        part.lower()
        for part in lazy_pinyin(name, style=Style.NORMAL, errors=lambda text: list(text))
        if part.strip() and part.isalnum()
    ]
    full = "".join(syllables)
    initials = "".join(syllable[0] for syllable in syllables)
    return f"{full} {initials}"[:800]
