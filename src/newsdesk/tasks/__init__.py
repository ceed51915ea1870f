"""The pipeline's stages as Celery tasks on one Redis queue per stage (see docs/deployment.md).

Nothing here is imported by the embedded desk unless it is asked to run through the queue: the
Celery app is loaded lazily (``dispatch``), so ``newsdesk demo`` and ``newsdesk run`` need no
Redis and pay nothing for it.
"""
