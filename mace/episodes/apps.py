from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "mace.episodes"
    label = "episodes"
