from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "mace.interviews"
    label = "interviews"
