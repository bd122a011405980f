"""API tokens: obtain one with a username and password, revoke the one in use or all of yours.

A token is django-rest-knox's: the database keeps only its SHA-512 digest (and its first 15
characters, to find the row), and it expires ``REST_KNOX["TOKEN_TTL"]`` after it was issued
(API_TOKEN_TTL_HOURS, a working day by default); using it does not extend it.
"""

import re

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approval_center.lockout import lockout_message
from approval_center.throttling import TokenRequestThrottle
from workflow.api.authentication import TokenAuthentication
from workflow.api.cases import ERROR_RESPONSES, CaseErrorSerializer, invalid_input


class TokenScheme(KnoxTokenScheme):
    """The schema's security scheme for our subclass of knox's authentication."""

    target_class = "workflow.api.authentication.TokenAuthentication"
    name = "apiToken"


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy('Send it as the header "Authorization: Token <token>".')
    )
    expiry = serializers.DateTimeField(
        help_text=gettext_lazy(
            "When the token stops working; after that, request a new one. Using it does not "
            "extend it."
        )
    )


class TokenRequestSerializer(AuthTokenSerializer):
    """A user name and password; an applicant of the online hall may give the mobile phone
    number the account logs in with instead of a user name."""

    username = serializers.CharField(
        write_only=True,
        required=False,
        max_length=150,
        help_text=gettext_lazy("Staff: the user name. Not needed when phone is given."),
    )
    phone = serializers.CharField(
        write_only=True,
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "An applicant of the online hall: the mobile phone number the account logs in with."
        ),
    )

    def validate(self, attrs):
        attrs["username"] = token_username(attrs)
        if not attrs["username"] or not attrs.get("password"):
            raise serializers.ValidationError(
                gettext_lazy(
                    "Give your user name, or as an applicant your mobile phone number, and your "
                    "password."
                ),
                code="authorization",
            )
        return super().validate(attrs)


def token_username(data) -> str:
    """The user name a token request is for: the one given, else the account of the phone.

    As at the hall's log-in form, a phone number is turned into its account's user name before
    authentication, so that django-axes counts and locks one name however the account was
    named. A phone no account has stays as given (it is refused as wrong credentials).
    """
    username = str(data.get("username") or "").strip()
    if username:
        return username
    phone = re.sub(r"[\s-]", "", str(data.get("phone") or ""))
    if not phone:
        return ""
    # The hall's accounts keep their phone in the hall's own profile: the hall names the
    # function that finds them (settings.APPLICANT_USERNAME_FOR_PHONE), workflow reads nothing
    # of the hall's models.
    account = import_string(settings.APPLICANT_USERNAME_FOR_PHONE)(phone)
    return account or phone


class TokenView(APIView):
    """A new API token for a username and password, valid until its expiry."""

    throttle_classes = [TokenRequestThrottle]
    # The password is the credential here; a session cookie or a token sent along must not
    # matter.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Obtain an API token"),
        description=gettext_lazy(
            "Each request issues a new token, which expires after a working day unless the "
            "site is configured otherwise. Revoke it with auth/logout/ when done. Staff give "
            "their user name; applicants of the online hall their mobile phone number."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: ERROR_RESPONSES[400],
            429: OpenApiResponse(
                CaseErrorSerializer,
                description=gettext_lazy(
                    "Too many failed log-ins, or too many token requests from this address or "
                    "for this user name; wait and retry."
                ),
            ),
        },
        tags=["auth"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        # A locked-out user name gets the reason, not "wrong credentials" (django-axes counts
        # the failures here as at the log-in forms).
        data = request.data if isinstance(request.data, dict) else {}
        credentials = {"username": token_username(data)}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        parsed = TokenRequestSerializer(data=request.data, context={"request": request})
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        user = parsed.validated_data["user"]
        # knox removes a user's expired tokens only when one of them is used; a client that
        # only ever asks for new ones would pile them up.
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        instance, token = AuthToken.objects.create(user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


NO_VALID_TOKEN = OpenApiResponse(
    CaseErrorSerializer,
    description=gettext_lazy("No valid API token: none was sent, or it expired or was revoked."),
)


class _RevokeView(APIView):
    # Only the token itself proves who is revoking it: not a session cookie.
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]


class LogoutView(_RevokeView):
    @extend_schema(
        summary=gettext_lazy("Revoke the API token of this request"),
        request=None,
        responses={
            204: OpenApiResponse(description=gettext_lazy("Revoked.")),
            401: NO_VALID_TOKEN,
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(_RevokeView):
    @extend_schema(
        summary=gettext_lazy("Revoke every API token of your account"),
        description=gettext_lazy(
            "For a token that may have leaked: every token issued to you stops working, the "
            "one of this request included."
        ),
        request=None,
        responses={
            204: OpenApiResponse(description=gettext_lazy("All revoked.")),
            401: NO_VALID_TOKEN,
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        AuthToken.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
