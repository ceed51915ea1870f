"""How the pipeline tells a person what it is doing, without knowing about terminals."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class StageProgress(Protocol):
    def advance(self, amount: int = 1) -> None: ...


class Progress(Protocol):
    def stage(self, name: str, total: int) -> AbstractContextManager[StageProgress]: ...


class _SilentStage:
    def advance(self, amount: int = 1) -> None:
        pass

    def __enter__(self) -> _SilentStage:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class SilentProgress:
    def stage(self, name: str, total: int) -> _SilentStage:
        return _SilentStage()
