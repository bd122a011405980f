"""The forms of consultations: the applicant's question, the staff member's answer and the wording
published to the item's FAQ. The rules are the services' (``portal.consultations``); the forms
collect the input and show the services' refusals on their fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.exceptions import WorkflowError

from .models.consultations import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH


class ServiceErrorsMixin:
    def add_service_error(self, error: WorkflowError) -> None:
        """The service's refusal on the fields it names, else on the form."""
        named = False
        for name, messages in error.fields.items():
            if name in self.fields:  # type: ignore[attr-defined]
                for text in messages:
                    self.add_error(name, text)  # type: ignore[attr-defined]
                named = True
        if not named:
            self.add_error(None, str(error.message))  # type: ignore[attr-defined]


class AskForm(ServiceErrorsMixin, forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ask about this item: its conditions, materials, fees or procedure. Leave out your "
            "ID number and other personal details; the department answers within %(days)s "
            "working days."
        ),
        error_messages={"required": _("Write your question.")},
    )

    def __init__(self, *args, answer_workdays: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        field.help_text = str(field.help_text) % {"days": answer_workdays}


class AnswerForm(ServiceErrorsMixin, forms.Form):
    prefix = "answer"
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The applicant is told by SMS and reads the answer under their questions in the "
            "online hall."
        ),
        error_messages={"required": _("Write the answer.")},
    )


class PublishForm(ServiceErrorsMixin, forms.Form):
    prefix = "faq"
    question = forms.CharField(
        label=_("Question as published"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Remove names, numbers, addresses and anything else that identifies a person."),
        error_messages={"required": _("Write the question as it will be published.")},
    )
    answer = forms.CharField(
        label=_("Answer as published"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the answer as it will be published.")},
    )
