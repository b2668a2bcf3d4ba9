from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "mace.subject_access"
    label = "subject_access"
    verbose_name = "Subject access"
