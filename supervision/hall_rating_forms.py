"""The forms of rating in the online hall: a case's rating (the levels of the scale in force,
best first, and an optional comment) and the applicant's rating of a rectification (the levels
of the scale the rating was given on). The rules are the services'; the forms collect the
input and show the services' refusals on their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .inputs import LONG_TEXT
from .scales import levels_of
from .urge_forms import ServiceErrorsMixin


class LevelForm(ServiceErrorsMixin, forms.Form):
    level = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, widget=forms.RadioSelect, required=True
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What went well, or what should be put right."),
    )

    def __init__(self, *args, scale: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels_of(scale)
        self.fields["level"].choices = [(level.value, level.label) for level in self.levels]
        self.fields["level"].error_messages["required"] = _("Choose one of the levels offered.")
        self.fields["level"].error_messages["invalid_choice"] = _(
            "Choose one of the levels offered."
        )

    def options(self) -> list[dict]:
        """The levels as the page draws them: big buttons with an icon, the chosen one checked."""
        chosen = str(self["level"].value() or "")
        return [
            {
                "value": level.value,
                "label": level.label,
                "icon": level.icon,
                "poor": level.poor,
                "id": f"{self['level'].auto_id}_{level.value}",
                "checked": chosen == str(level.value),
            }
            for level in self.levels
        ]


class RatingForm(LevelForm):
    """A case's rating, on the scale in force."""


class RectificationRatingForm(LevelForm):
    """The applicant's rating of the rectification, on the rating's own scale."""

    prefix = "rectification"

    def __init__(self, *args, scale: str, **kwargs) -> None:
        super().__init__(*args, scale=scale, **kwargs)
        self.fields["level"].label = _("How was the rectification?")
