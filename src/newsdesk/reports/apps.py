from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "newsdesk.reports"
    label = "reports"
