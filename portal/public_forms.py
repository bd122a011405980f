"""The forms of the hall's public pages: tracking a case, searching the granted licences."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TrackForm(forms.Form):
    """A case number and its query code, as printed on the acceptance receipt."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("As printed on the acceptance receipt, e.g. 3301-20261116-SCJ-0001."),
    )
    code = forms.CharField(
        label=_("Query code"),
        max_length=12,
        help_text=_("The query code printed next to the case number."),
    )


class ResultSearchForm(forms.Form):
    q = forms.CharField(label=_("Item, company or licence number"), max_length=100, required=False)
