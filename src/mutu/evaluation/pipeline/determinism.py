"""Figures that do not depend on how many cores the machine has.

OpenBLAS (numpy's and scipy's linear algebra) splits a matrix product over
as many threads as there are cores, and a sum split differently rounds
differently: on the regency world 139 of the evaluation's 55,673 figures
changed in their last digits (about 1e-15 relative) between one and two
threads. A report must give the same figures for the same data on any
machine, and its data hash promises as much, so the evaluation runs its
linear algebra on one thread (through ``threadpoolctl``, which sets the
limit of the BLAS libraries already loaded and restores it afterwards). On
the regency world that is also faster on a busy two-core machine (L3 0.75 s
against 0.13 s), as the threads no longer wait for each other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from threadpoolctl import threadpool_limits

P = ParamSpec("P")
T = TypeVar("T")


def one_blas_thread(func: Callable[P, T]) -> Callable[P, T]:
    """Run ``func`` with the BLAS libraries limited to one thread."""

    @functools.wraps(func)
    def limited(*args: P.args, **kwargs: P.kwargs) -> T:
        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return limited
