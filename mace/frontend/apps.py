from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "mace.frontend"
    label = "frontend"
