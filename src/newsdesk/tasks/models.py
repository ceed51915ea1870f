"""Leases: a key held by one worker for a while, so that two workers never do the same work."""

from __future__ import annotations

from django.db import models


class Lease(models.Model):
    key = models.CharField(max_length=200, unique=True)
    holder = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} held by {self.holder} until {self.expires_at:%H:%M:%S}"
