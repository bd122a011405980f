"""The texts the supervision office's services take: stripped, required where the record needs
them, and kept to a length a notice can carry. The refusals name the input field, so that a
form shows them next to it and the API under ``fields``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from workflow.exceptions import InvalidInput

# What an urge notice, an answer, a finding or an appeal may hold.
LONG_TEXT = 4000
# A name, or a closing note.
SHORT_TEXT = 100


def text_input(value: str | None, *, field: str, required: str | None, limit: int) -> str:
    """``value`` stripped; ``InvalidInput`` naming ``field`` when it is empty (unless
    ``required`` is None: the text is optional) or longer than ``limit``."""
    text = (value or "").strip()
    if not text and required is not None:
        raise InvalidInput(required).with_fields({field: [required]})
    if len(text) > limit:
        message = _("Keep it to %(limit)s characters; it has %(length)s.") % {
            "limit": limit,
            "length": len(text),
        }
        raise InvalidInput(message).with_fields({field: [message]})
    return text
