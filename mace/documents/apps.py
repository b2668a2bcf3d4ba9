from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "mace.documents"
    label = "documents"
