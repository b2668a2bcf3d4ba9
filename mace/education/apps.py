from django.apps import AppConfig


class EducationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mace.education"
    label = "education"
    verbose_name = "Children missing education"
