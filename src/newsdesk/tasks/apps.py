from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "newsdesk.tasks"
    label = "tasks"
