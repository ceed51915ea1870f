from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "newsdesk.trends"
    label = "trends"
