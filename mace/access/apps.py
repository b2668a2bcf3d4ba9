from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "mace.access"
    label = "access"
