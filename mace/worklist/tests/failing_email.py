"""An email backend that always fails, as a mail server that refuses every message does:
for the tests of what MACE records when an email cannot be sent (issue 18)."""

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise smtplib.SMTPException("refused for someone@example.org")
