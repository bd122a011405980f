"""API tokens: django-rest-knox's, which stores only a hash of each token and lets it expire
(``REST_KNOX["TOKEN_TTL"]``, from API_TOKEN_TTL_HOURS), with a refusal that says what to do.

Kept apart from the views: DRF imports the authentication classes while it defines its own
``APIView``, before any of our views can be imported.
"""

from django.utils.translation import gettext_lazy
from knox import auth as knox_auth
from rest_framework import exceptions


class _InactiveUser(exceptions.AuthenticationFailed):
    pass


class TokenAuthentication(knox_auth.TokenAuthentication):
    """``Authorization: Token <token>``; an unknown, expired or revoked token is a 401.

    knox deletes an expired token when it meets it, so by then expired and revoked look alike;
    the answer names both and the way to a new token.
    """

    refused = gettext_lazy(
        "This API token is not valid: it has expired, was revoked or was never issued. "
        "Request a new one with your username and password."
    )

    def authenticate_credentials(self, token: bytes):
        try:
            return super().authenticate_credentials(token)
        except _InactiveUser:
            raise
        except exceptions.AuthenticationFailed:
            raise exceptions.AuthenticationFailed(self.refused) from None

    def validate_user(self, auth_token):
        try:
            return super().validate_user(auth_token)
        except exceptions.AuthenticationFailed as error:
            raise _InactiveUser(error.detail) from None
