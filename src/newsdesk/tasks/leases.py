"""Leases (one holder per key for a while) and the PostgreSQL advisory lock of clustering.

A lease is a row taken by INSERT, or by a conditional UPDATE of an expired one: whichever way,
one statement decides, so two workers never both hold it. It expires on its own, so a worker
killed while holding one blocks the work only for the lease's length.
"""

from __future__ import annotations

import os
import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from newsdesk.tasks.models import Lease


def holder() -> str:
    # Forked worker children inherit the module: the pid must be read now.
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire(key: str, seconds: float, who: str | None = None) -> bool:
    """Take the lease for `seconds` if it is free or expired (or already ours)."""
    who = who or holder()
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    taken = (
        Lease.objects.filter(key=key)
        .filter(expires_at__lt=now)
        .update(holder=who, expires_at=until)
    )
    if taken:
        return True
    if Lease.objects.filter(key=key, holder=who).update(expires_at=until):
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(key=key, holder=who, expires_at=until)
    except IntegrityError:
        # Held, and not expired; a holder on this machine that died (SIGKILL) is not waited on.
        current = Lease.objects.filter(key=key).values_list("holder", flat=True).first()
        if current is None or not _dead_here(current):
            return False
        return bool(
            Lease.objects.filter(key=key, holder=current).update(holder=who, expires_at=until)
        )
    return True


def _dead_here(who: str) -> bool:
    host, _, pid = who.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release(key: str, who: str | None = None) -> None:
    Lease.objects.filter(key=key, holder=who or holder()).delete()


@contextmanager
def lease(key: str, seconds: float) -> Iterator[bool]:
    """Hold the lease for the block if it can be had; yields whether it was."""
    got = acquire(key, seconds)
    try:
        yield got
    finally:
        if got:
            release(key)


def _lock_id(name: str) -> int:
    return zlib.crc32(f"newsdesk:{name}".encode())


@contextmanager
def advisory_lock(name: str, *, wait: bool = True) -> Iterator[bool]:
    """A PostgreSQL session advisory lock for the block; yields whether it was taken.

    Other databases have one writer at a time anyway (SQLite), so the block just runs. The
    lock dies with the connection: a killed worker never leaves it held.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_id(name)])
            got = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_id(name)])
            got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_id(name)])
            except DatabaseError:
                pass  # the connection died, and the lock with it


def transaction_lock(name: str) -> None:
    """Hold a PostgreSQL advisory lock until the current transaction ends (no-op elsewhere)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(name)])
