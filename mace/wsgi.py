"""WSGI entry point: `gunicorn mace.wsgi`."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mace.settings")

application = get_wsgi_application()
# Fail at start-up, not at the first request, when SECRET_KEY is not set: Django raises
# ImproperlyConfigured on reading an empty key.
settings.SECRET_KEY  # noqa: B018
