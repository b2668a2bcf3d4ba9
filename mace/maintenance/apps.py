from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mace.maintenance"
    label = "maintenance"
    verbose_name = "Backup and restore"
