from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "newsdesk.metrics"
    label = "metrics"

    def ready(self) -> None:
        # Celery is only there in a deployment with workers; the embedded desk times its
        # stages in the runner instead.
        try:
            import celery.signals  # noqa: F401
        except ImportError:
            return
        from newsdesk.metrics.task_signals import connect

        connect()
