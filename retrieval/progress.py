"""Progress bars on stderr for the CLI: `with ProgressPrinter() as progress: ws.ingest(..., progress=progress)`."""

from __future__ import annotations

import sys
from typing import Any


class ProgressPrinter:
    """Callable as progress(stage, done, total); one tqdm bar per stage (reading files, embedding chunks, writing)."""

    def __init__(self, file: Any = None, disable: bool | None = None) -> None:
        self.file = file or sys.stderr
        self.disable = disable  # None: bars only when stderr is a terminal
        self._bars: dict[str, Any] = {}

    def __enter__(self) -> ProgressPrinter:
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            for other in self._bars.values():  # a new stage finishes the previous ones
                other.close()
            bar = tqdm(
                total=total, desc=stage, file=self.file, disable=self.disable, leave=True, dynamic_ncols=True
            )
            self._bars = {stage: bar}
        if bar.total != total:
            bar.total = total
        bar.update(max(0, done - bar.n))

    def __exit__(self, *exc: object) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars = {}
