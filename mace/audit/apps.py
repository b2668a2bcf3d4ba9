from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mace.audit"
    label = "audit"
