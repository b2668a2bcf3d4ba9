from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "mace.worklist"
    label = "worklist"
