from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mace.people"
    label = "people"
