"""Stage timing of an evaluation run: wall seconds and peak memory per stage.

:class:`Stopwatch` is handed to :func:`mutu.evaluation.pipeline.evaluate` (and to
``mutu evaluate``) to record how long each stage took (``time.perf_counter``)
and the process's peak resident memory when it ended (``resource.getrusage``:
``ru_maxrss``, kibibytes on Linux), and the process CPU seconds it used
(``time.process_time``: less disturbed than wall time on a busy machine).
Without one, nothing is recorded and the evaluation costs the same.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["Stage", "Stopwatch", "peak_rss_mib", "stage"]


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (``ru_maxrss``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # ru_maxrss is in kibibytes on Linux and in bytes on macOS.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass(frozen=True)
class Stage:
    """One timed stage: name, wall seconds, process CPU seconds, peak RSS (MiB) at its end."""

    name: str
    seconds: float
    peak_rss_mib: float
    cpu_seconds: float = 0.0


@dataclass
class Stopwatch:
    """Collects :class:`Stage` records in the order the stages ran.

    >>> watch = Stopwatch()
    >>> with watch.stage("read"):
    ...     pass
    >>> [s.name for s in watch.stages]
    ['read']
    """

    stages: list[Stage] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as stage ``name`` (recorded even when the block raises)."""
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            wall = time.perf_counter() - started
            used = time.process_time() - cpu
            self.stages.append(Stage(name, wall, peak_rss_mib(), used))

    def total_seconds(self) -> float:
        """Sum of the recorded stages' seconds."""
        return sum(s.seconds for s in self.stages)

    def total_cpu_seconds(self) -> float:
        """Sum of the recorded stages' process CPU seconds."""
        return sum(s.cpu_seconds for s in self.stages)

    def as_dicts(self) -> list[dict[str, float | str]]:
        """The stages as ``{name, seconds, cpu_seconds, peak_rss_mib}`` dictionaries."""
        return [
            {
                "name": s.name,
                "seconds": s.seconds,
                "cpu_seconds": s.cpu_seconds,
                "peak_rss_mib": s.peak_rss_mib,
            }
            for s in self.stages
        ]


@contextmanager
def stage(watch: Stopwatch | None, name: str) -> Iterator[None]:
    """``watch.stage(name)``, or nothing when ``watch`` is ``None``."""
    if watch is None:
        yield
    else:
        with watch.stage(name):
            yield
