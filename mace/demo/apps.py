from django.apps import AppConfig


class DemoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mace.demo"
    label = "demo"
    verbose_name = "Demonstration data"
