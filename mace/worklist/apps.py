from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "mace.worklist"
    label = "worklist"

    def ready(self) -> None:
        from mace.worklist import checks  # noqa: F401 - registers the system checks
