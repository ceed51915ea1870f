from django.apps import AppConfig


class TaggingConfig(AppConfig):
    name = "newsdesk.tagging"
    label = "tagging"
