"""A client that calls the API with a real token, as a program would."""

from knox.models import AuthToken
from rest_framework.test import APIClient

from mace.accounts.models import User


def api_client(user: User) -> APIClient:
    _, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client
