from django.apps import AppConfig


class WritingConfig(AppConfig):
    name = "newsdesk.writing"
    label = "writing"
