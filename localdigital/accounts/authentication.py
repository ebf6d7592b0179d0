"""API authentication by personal token: `Authorization: Bearer ldh_<prefix>_<secret>`."""

import hashlib
import hmac

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from localdigital.accounts.models import ApiToken

TOKEN_PREFIX = "ldh"  # noqa: S105 - a label, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("Bearer", "Token")

    def authenticate(self, request):  # noqa: ANN001, ANN201 - DRF's signature
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as 'Bearer <token>'.")
        raw = header[1]
        parts = raw.split("_")
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            raise exceptions.AuthenticationFailed("That API token is not valid.")
        token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        if (
            token is None
            or not token.is_active
            or not token.user.is_active
            or not hmac.compare_digest(token.key_hash, hash_token(raw))
        ):
            raise exceptions.AuthenticationFailed("That API token is not valid.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (token.user, token)

    def authenticate_header(self, request):  # noqa: ANN001, ANN201
        return "Bearer"


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """Describes personal tokens in the OpenAPI document as HTTP bearer authentication."""

    target_class = "localdigital.accounts.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201 - spectacular's API
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ldh_<prefix>_<secret>",
            "description": "A personal API token from your account page. It acts as you.",
        }
