"""The evaluation's linear algebra runs on one BLAS thread, whatever the machine's cores."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from mutu.evaluation.pipeline.determinism import one_blas_thread
from mutu.evaluation.pipeline.evaluate import evaluate


def _blas_threads() -> list[int]:
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_inside_the_evaluation_blas_has_one_thread_and_the_caller_keeps_its_own() -> None:
    np.dot(np.ones((2, 2)), np.ones((2, 2)))  # numpy's BLAS is loaded
    assert _blas_threads(), "no BLAS library found to limit"

    @one_blas_thread
    def inside() -> list[int]:
        return _blas_threads()

    with threadpool_limits(limits=2, user_api="blas"):
        assert inside() == [1] * len(_blas_threads())
        assert set(_blas_threads()) == {2}  # restored for the caller


def test_the_pipeline_entry_point_is_limited() -> None:
    assert getattr(evaluate, "__wrapped__", None) is not None
