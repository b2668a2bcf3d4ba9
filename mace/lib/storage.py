"""Where private files are kept: PRIVATE_MEDIA_ROOT, outside the static files and any web
server's root. The storage gives no file a URL: a file (a child's photograph, issue 20
point 3) is read only through a view that asks the access policy first
(`people.views.photograph`)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="mace.lib.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file system storage under PRIVATE_MEDIA_ROOT, read from the settings at each use (so
    the tests' own directory applies), that refuses to give any file a URL."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A child's photograph has no URL: it is served through the access check")
