"""Performance (SKP), discipline and assessment-centre records of the employees.

- SKP: one record per employee per year from three years before the window
  (the history the selection models look at) to its last year, for years
  the employee was in service by 30 June.  The score is
  ``84 + 5.5 (0.8 ability + 0.6 noise)``, clipped to 45-99.5; the predikat
  follows the score bands of the ``ip_asn`` rulebook, category by category
  (Sangat Baik ≥ 91, Baik ≥ 76, Butuh Perbaikan ≥ 61, Kurang ≥ 51).
- Discipline: a rare event, likelier for low latent ability; the sanction
  kinds come from the ``discipline`` rulebook (never a dismissal, so every
  employee stays in the registry).
- Assessment centre: managerial positions are assessed once, in the
  window's second year, on the eight manajerial competencies and perekat
  bangsa.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mutu.rulebooks import Rulebook
from mutu.synthetic.config import WorldConfig
from mutu.synthetic.organisation import MANAJERIAL, SOSIAL_KULTURAL
from mutu.synthetic.util import dates, day, days_to_datetime, logistic, year_of
from mutu.synthetic.workforce import Workforce

HISTORY_YEARS = 3


def performance_records(
    config: WorldConfig, wf: Workforce, rng: np.random.Generator, ip_asn: Rulebook
) -> pd.DataFrame:
    """SKP predikat and score per employee and year (history before the window included)."""
    people = wf.people
    years = np.arange(config.first_year - HISTORY_YEARS, config.last_year + 1)
    n, k = len(people), len(years)
    noise = rng.standard_normal((n, k))
    raw = 84.0 + 5.5 * (0.8 * people["ability"].to_numpy(dtype=float)[:, None] + 0.6 * noise)
    score = np.round(np.clip(raw, 45.0, 99.5), 2)
    in_service = dates(people["tmt"])[:, None] <= day(years, 6, 30)[None, :]
    rows, cols = np.nonzero(in_service)
    cats = ip_asn.records("kinerja.categories")
    preds = ip_asn.records("kinerja.skp_predikat")
    mins = np.array([float(str(c["min"])) for c in cats])
    codes = np.array([str(p["code"]) for p in preds], dtype=object)
    s = score[rows, cols]
    # Categories are listed best first; the predikat of the same rank applies.
    which = np.argmax(s[:, None] >= mins[None, :], axis=1)
    return pd.DataFrame(
        {
            "nip": people["nip"].to_numpy()[rows],
            "year": years[cols].astype(np.int64),
            "predikat": codes[which],
            "score": s,
        }
    )


def prior_skp(performance: pd.DataFrame, first_year: int) -> pd.Series:
    """Mean SKP score over the years before the window, per NIP (observed covariate)."""
    before = performance[performance["year"] < first_year]
    return before.groupby("nip", sort=True)["score"].mean()


def discipline_records(
    config: WorldConfig, wf: Workforce, rng: np.random.Generator, book: Rulebook
) -> pd.DataFrame:
    """A few disciplinary sanctions inside the window."""
    people = wf.people
    n = len(people)
    p = logistic(-5.3 - 0.9 * people["ability"].to_numpy())
    hit = rng.random(n) < p
    level_u = rng.random(n)
    pick_u = rng.random(n)
    day_u = rng.random(n)
    idx = np.flatnonzero(hit)
    start_window = np.datetime64(f"{config.first_year}-01-15", "D")
    span = (np.datetime64(f"{config.last_year}-10-31", "D") - start_window).astype(np.int64)
    decided = start_window + (day_u[idx] * span).astype(np.int64)
    decided = np.maximum(decided, dates(people["tmt"])[idx] + 60)
    level = np.where(level_u[idx] < 0.7, "ringan", np.where(level_u[idx] < 0.9, "sedang", "berat"))
    sanction = np.empty(len(idx), dtype=object)
    months = np.zeros(len(idx), dtype=np.int64)
    for lv in ("ringan", "sedang", "berat"):
        options = [
            r for r in book.records(f"sanctions.{lv}") if "pemberhentian" not in str(r["code"])
        ]
        mask = level == lv
        choice = np.minimum((pick_u[idx][mask] * len(options)).astype(int), len(options) - 1)
        sanction[mask] = [str(options[c]["label_id"]) for c in choice]
        months[mask] = [int(str(options[c].get("months", 0))) for c in choice]
    start = decided + 7
    end = np.where(
        months > 0,
        (start.astype("datetime64[M]") + months.astype("timedelta64[M]")).astype("datetime64[D]"),
        np.datetime64("NaT"),
    )
    year = year_of(decided)
    return pd.DataFrame(
        {
            "nip": people["nip"].to_numpy()[idx],
            "level": level,
            "sanction": sanction,
            "decided_on": days_to_datetime(decided),
            "start": days_to_datetime(start),
            "end": days_to_datetime(end),
            "decree_number": [
                f"800.1.6.4/{100 + i * 7}/BKPSDM/{y}" for i, y in enumerate(year.tolist())
            ],
        }
    )


def assessment_centre(
    config: WorldConfig, wf: Workforce, standards: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Assessment-centre levels of managerial holders on the general competencies."""
    people = wf.people
    managerial = people["kind"].isin(("jpt_pratama", "administrator", "pengawas")).to_numpy(
        dtype=bool
    ) & (dates(people["tmt"]) < np.datetime64(f"{config.first_year}-01-01", "D"))
    idx = np.flatnonzero(managerial)
    comps = [c for c, _ in MANAJERIAL] + [c for c, _ in SOSIAL_KULTURAL]
    std = standards[standards["competency"] == comps[0]].set_index("position")["required_level"]
    base = std.reindex(people["position"].to_numpy()[idx]).to_numpy(dtype=float)
    ability = people["ability"].to_numpy()[idx]
    noise = rng.standard_normal((len(idx), len(comps)))
    level = np.clip(np.round(base[:, None] - 0.3 + 0.6 * ability[:, None] + 0.7 * noise), 1, 5)
    year = config.first_year + 1
    when = day(year, 6, 1) + rng.integers(0, 90, len(idx))
    return pd.DataFrame(
        {
            "nip": np.repeat(people["nip"].to_numpy()[idx], len(comps)),
            "competency": np.tile(np.asarray(comps, dtype=object), len(idx)),
            "level": level.reshape(-1).astype(np.int64),
            "assessed_on": days_to_datetime(np.repeat(when, len(comps))),
            "method": "assessment_center",
            "assessor": "Assessment Center Pemerintah Aceh",
        }
    )
