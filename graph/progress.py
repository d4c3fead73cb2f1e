"""A progress bar on stderr for the long commands (build, train): the library functions take
a ``progress`` callable, called once per document, and this makes one with rich."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger("newsgraph")


@contextlib.contextmanager
def progress_bar(what: str) -> Iterator[Callable[[Any], None] | None]:
    """A rich progress bar on stderr (documents done, current one) when stderr is a terminal and
    logging is not set to errors only; else None (the library then reports nothing)."""
    if not sys.stderr.isatty() or log.level >= logging.ERROR:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Documents per second (rich's speed columns are for bytes)."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} docs/s" if speed else "", style="progress.data.speed")

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               RateColumn(), TimeElapsedColumn(), TextColumn("{task.fields[current]}", style="dim"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=None, current="")

        def advance(item: Any) -> None:
            bar.update(task, advance=1, current=str(getattr(item, "key", ""))[-50:])

        yield advance


__all__ = ["progress_bar"]
