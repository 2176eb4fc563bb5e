"""SQL push-down on PostgreSQL equals moving the rows equals the Parquet fast path.

Tagged ``database``: ``make test-postgres`` (``scripts/with_postgres.py``)
runs it on a throw-away PostgreSQL server, where the comparison runs on a new
database. On the SQLite suite the same test checks instead that the bench
refuses ``--database postgres`` in both languages and writes nothing — it
never skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast import pushdown
from mutu.evaluation.fast.bench import _iter_national, run_bench
from mutu.evaluation.fast.evaluate import (
    jp_per_asn,
    learning_change,
    pre_post_pairs,
    reaction_alpha,
)
from mutu.synthetic.national import generate_national
from tests.postgres_support import new_postgres_database

pytestmark = pytest.mark.database

RULE = pushdown.JpRule(year=2025, floor_jp=20.0, ceiling_jp=24.0, minutes_per_jp=45.0)
TOLERANCE = 1e-9


@pytest.fixture
def postgres_url() -> Iterator[str | None]:
    """A new PostgreSQL database on the suite's server, or None on the SQLite suite."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield None
        return
    with new_postgres_database("mutu_pushdown") as url:
        yield url


def _fast(folder: Path) -> dict[str, pd.DataFrame]:
    alpha, change, jp = [], [], []
    for frames in _iter_national(folder):
        alpha.append(reaction_alpha(frames))
        change.append(learning_change(pre_post_pairs(frames)))
        jp.append(
            jp_per_asn(
                frames["employees"],
                frames["jp_ledger"],
                year=RULE.year,
                floor_jp=RULE.floor_jp,
                ceiling_jp=RULE.ceiling_jp,
                minutes_per_jp=RULE.minutes_per_jp,
            )
        )
    return {
        "alpha": pd.concat(alpha, ignore_index=True),
        "change": pd.concat(change, ignore_index=True),
        "jp": pd.concat(jp, ignore_index=True),
    }


def test_sql_pushdown_equals_moving_rows_equals_the_fast_path(
    postgres_url: str | None, tmp_path: Path
) -> None:
    if postgres_url is None:  # the SQLite suite: the comparison is refused, not faked
        target = tmp_path / "x.json"
        with pytest.raises(CommandError) as err:
            call_command(
                "bench", "--scale", "25000", "--database", "postgres", "--json", str(target),
                stdout=StringIO(),
            )  # fmt: skip
        assert "butuh DATABASE_URL" in str(err.value)
        assert "needs DATABASE_URL pointing at PostgreSQL" in str(err.value)
        assert not target.exists()
        return
    import psycopg

    folder = tmp_path / "w"
    generate_national(seed=7, scale=30_000, out=folder)  # 3 instansi
    fast = _fast(folder)
    with psycopg.connect(postgres_url) as conn:
        loaded = pushdown.load_national(conn, folder)
        conn.autocommit = True
        stored = conn.execute(f"SELECT count(*) FROM {pushdown.SCHEMA}.answers").fetchone()
        assert stored is not None and stored[0] == loaded.rows["answers"]
        # every row sits in its instansi's partition, none in the default one
        default = conn.execute(
            f'SELECT count(*) FROM {pushdown.SCHEMA}."answers_default"'
        ).fetchone()[0]
        assert default == 0 and len(loaded.instansi) >= 2
        sql = pushdown.pushdown(conn, RULE)
        rows = pushdown.move_rows(conn, loaded.chunks, RULE)
        assert pushdown.explain_l1(conn)  # aggregated partition by partition
        pushdown.drop_schema(conn)
        left = conn.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s",
            (pushdown.SCHEMA,),
        ).fetchone()[0]
    assert left == 0
    for a, b in ((sql, rows), (sql, fast), (rows, fast)):
        diffs = pushdown.max_abs_diff(a, b)
        assert all(d <= TOLERANCE for d in diffs.values()), diffs
    # one row per activity leaves the database with push-down; every answer when moving rows
    assert sql.rows_out["L1 reliability"] == len(fast["alpha"]) > 100
    assert sql.rows_out["L2 pre/post"] == len(fast["change"]) > 10
    assert rows.rows_out["answers"] == loaded.rows["answers"] > 50 * len(fast["alpha"])
    assert sql.alpha["ok"].sum() > 0.9 * len(sql.alpha)
    assert 0.5 < float(sql.alpha["alpha"].median()) < 0.95
    assert float(sql.change["mean_diff"].mean()) > 0  # the planted gain


def test_a_disagreement_is_reported_not_hidden() -> None:
    a = {
        "alpha": pd.DataFrame(
            {
                "activity": ["A"],
                "instrument": ["R"],
                "n": [5],
                "alpha": [0.8],
                "alpha_standardized": [0.8],
                "ci_low": [0.5],
                "ci_high": [0.9],
            }
        ),
        "change": pd.DataFrame({"activity": ["A"], **{f: [1.0] for f in pushdown.L2_FIGURES}}),
        "jp": pd.DataFrame({"nip": ["1"], "jp": [20.0], "compliant": [True]}),
    }
    b = {name: frame.copy() for name, frame in a.items()}
    b["alpha"]["alpha"] = 0.8 + 1e-6
    b["change"] = pd.concat([b["change"], b["change"].assign(activity="B")])
    diffs = pushdown.max_abs_diff(a, b)
    assert diffs["L1 reliability"] == pytest.approx(1e-6)
    assert diffs["L2 pre/post"] == float("inf")  # an activity only one way has
    assert diffs["indices (JP per ASN)"] == 0.0


def test_the_comparison_needs_a_national_world() -> None:
    with pytest.raises(MutuValueError) as err:
        run_bench(scale="kecil", postgres_url="postgresql://unused/none")
    assert "hanya untuk dunia nasional" in err.value.message_id
    assert "national worlds only" in err.value.message_en


def test_an_unknown_database_choice_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    with pytest.raises(CommandError, match="only postgres"):
        call_command("bench", "--database", "mysql", "--json", str(target), stdout=StringIO())
    assert not target.exists()
