"""Forms of the supervision pages: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import ACKNOWLEDGEMENT_MAX_LENGTH


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        help_text=_("What has been seen and what is being done; kept with the alert."),
        # The service says what is missing, in the same words for every caller.
        required=False,
        max_length=ACKNOWLEDGEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
