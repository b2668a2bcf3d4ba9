from django.apps import AppConfig


class DisruptionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mace.disruption"
    verbose_name = "Disruption plans and outcomes"
