from django.apps import AppConfig


class RetentionConfig(AppConfig):
    verbose_name = "Retention of records"
    name = "mace.retention"
    label = "retention"
