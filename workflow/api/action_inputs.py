"""The bodies of the case actions in the API, one serializer per action.

The action registry (``workflow/actions.py``) names each action's serializer beside its
workbench form; the names of the fields are the names the registry's handlers read.
"""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from workflow.models import Decision, DeliveryMethod, SpecialProcedure

# Ids are 64-bit; a larger number is refused as input instead of overflowing the database.
MAX_ID = 2**63 - 1


class ActionSerializer(serializers.Serializer):
    expected_revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_ID,
        help_text=gettext_lazy(
            "The case's revision as you read it; the action is refused (409) if it changed."
        ),
    )


class WithdrawSerializer(ActionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class SupplementItemSerializer(serializers.Serializer):
    material = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("A material id of the case's item.")
    )
    reason = serializers.CharField(required=False, allow_blank=True)


class RequestSupplementSerializer(ActionSerializer):
    items = SupplementItemSerializer(
        many=True,
        help_text=gettext_lazy("Every missing or defective material, all at once (Art. 32)."),
    )


# The texts the services refuse blank are refused blank here too, with the service's message:
# the schema then says so (minLength 1). Those required only with another field's value (the
# licence number of an approval, the reasons of a denial…) stay optional here; the service
# answers their absence with a 400 of the same shape.


def _required_text(message) -> serializers.CharField:
    return serializers.CharField(error_messages={"blank": message})


class RejectSerializer(ActionSerializer):
    reason = _required_text(gettext_lazy("Give the reason the application is not accepted."))


class AcceptSerializer(ActionSerializer):
    deferred_due_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("When optional materials are still missing: the day they are due."),
    )


class StepActionSerializer(ActionSerializer):
    step = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("A step id of the case; by default the case's open step."),
    )


class CompleteStepSerializer(StepActionSerializer):
    opinion = _required_text(gettext_lazy("Write your opinion before you complete the step."))


class ReturnStepSerializer(StepActionSerializer):
    reason = _required_text(gettext_lazy("Say why the step goes back."))


class SuspendSerializer(ActionSerializer):
    procedure = serializers.ChoiceField(choices=SpecialProcedure.choices)
    reason = _required_text(gettext_lazy("Give the reason for the suspension."))
    expected_days = serializers.IntegerField(help_text=gettext_lazy("Working days."))


class RequestExtensionSerializer(ActionSerializer):
    days = serializers.IntegerField(help_text=gettext_lazy("Working days."))
    reason = _required_text(
        gettext_lazy("Give the reason for the extension; the applicant is told.")
    )


class ApproveExtensionSerializer(ActionSerializer):
    extension = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("An extension id of the case; by default the pending one."),
    )
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True)


class DecideSerializer(ActionSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    opinion = serializers.CharField(required=False, allow_blank=True)
    licence_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    valid_until = serializers.DateField(required=False, allow_null=True)
    reasons = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("Required for a denial.")
    )


class RecordFeeSerializer(ActionSerializer):
    fee_name = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    receipt_number = serializers.CharField(
        max_length=60, error_messages={"blank": gettext_lazy("Give the receipt number.")}
    )
    deviation_reason = serializers.CharField(required=False, allow_blank=True)


class ChooseDeliverySerializer(ActionSerializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    recipient = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=gettext_lazy("By post: who receives it."),
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=gettext_lazy("By post: the recipient's phone."),
    )
    address = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=gettext_lazy("By post: the full postal address."),
    )


class DeliverSerializer(ActionSerializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
