from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "mace.imports"
    label = "imports"
