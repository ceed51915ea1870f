"""Progress bars in the terminal, one per stage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBars


class _Stage:
    def __init__(self, bars: RichBars, task: int) -> None:
        self._bars = bars
        self._task = task

    def advance(self, amount: int = 1) -> None:
        self._bars.advance(self._task, amount)  # type: ignore[arg-type]


class BarsProgress:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[_Stage]:
        with RichBars(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        ) as bars:
            task = bars.add_task(name, total=max(total, 0))
            yield _Stage(bars, task)
