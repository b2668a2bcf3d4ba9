from io import StringIO

import pytest
from django.core.management import call_command

from mace.accounts.models import User


@pytest.fixture
def demonstration(db: None) -> User:
    """A year of the demonstration authority's records (fictional); its manager."""
    call_command("seed_demo", "--children", "200", "--years", "1", stdout=StringIO())
    return User.objects.get(username="manager")
