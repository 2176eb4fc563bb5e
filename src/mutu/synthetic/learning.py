"""Level 1 and 2: reaction surveys, pre- and post-tests, self-efficacy.

Tests follow a three-parameter-like item-response model with guessing::

    P(correct | θ) = 0.25 + 0.75 · logistic(1.3 (θ − b_j))

where ``b_j`` is the item's difficulty (``instruments.py``) and the
participant's knowledge before the training is
``θ = −0.2 + 0.4·ability + 0.3·degree − 0.1·(age − 40)/10 + 0.8·z``.  After
the training it is ``θ + g`` with ``g = learning · U(0.5, 1.5)``.  The score is
100 × correct / items.  A participant's expected score is
``S(θ) = 100 · mean_j P(correct | θ)``, so the planted learning gain of one
participant is ``S(θ + g) − S(θ)`` — exactly zero when ``learning = 0``.

Who sits which test: the pre-test is taken at the first session by 97% of
those who come; the post-test at the last session by 90% of completers
present there (the rest are "missing post-tests").  Self-efficacy (E1-E5,
1-5) is asked at the same two moments; reaction (R1-R7) at the last session.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.instruments import (
    EFFICACY_ITEMS,
    OPTIONS,
    REACTION_ITEMS,
    REVERSE_ITEM,
    Instruments,
    TestVersion,
)
from mutu.synthetic.program import LINE_BY_CODE
from mutu.synthetic.responses import Batch, likert_answers, ordinal
from mutu.synthetic.util import dates, logistic

LIKERT_CUTS = (1.5, 2.5, 3.5, 4.5)
SUGGESTIONS = (
    "Waktu pelatihan perlu ditambah.",
    "Perbanyak praktik dan studi kasus.",
    "Materi sangat bermanfaat.",
    "Ruangan kurang nyaman.",
    "Mohon materi dibagikan dalam bentuk digital.",
    "Pelatihan sebaiknya diadakan di kecamatan.",
)


def expected_score(theta: npt.NDArray[np.float64], test: TestVersion) -> npt.NDArray[np.float64]:
    """Expected score (0-100) of each θ on a test version."""
    p = 0.25 + 0.75 * logistic(1.3 * (theta[:, None] - test.difficulty[None, :]))
    return np.asarray(100.0 * p.mean(axis=1), dtype=np.float64)


@dataclass(slots=True)
class Learning:
    """Response batches of the tests and the self-efficacy scale, with their latent table."""

    batches: list[Batch]
    #: Internal: one row per tested enrollment with latent and observed scores.
    table: pd.DataFrame


def _session_times(sessions: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    first = sessions[sessions["session_no"] == 1].set_index("activity")["starts_at"]
    last = sessions.sort_values(["activity", "session_no"]).groupby("activity")["ends_at"].last()
    return first, last


def tests_and_efficacy(
    config: WorldConfig,
    enrol: pd.DataFrame,
    people: pd.DataFrame,
    sessions: pd.DataFrame,
    inst: Instruments,
    rng: np.random.Generator,
) -> Learning:
    """Pre/post tests and self-efficacy for every enrollment of a tested line."""
    first, last = _session_times(sessions)
    batches: list[Batch] = []
    tables = []
    for line in ("PMPP", "TKPB"):
        e = enrol[enrol["line"] == line].reset_index(drop=True)
        n = len(e)
        p = people.iloc[e["person"].to_numpy()]
        age10 = (dates(e["start"]) - dates(p["birth"])).astype(np.int64) / 3652.5 - 4.0
        theta = (
            -0.2
            + 0.4 * p["ability"].to_numpy()
            + 0.3 * p["degree"].to_numpy(dtype=float)
            - 0.1 * age10
            + 0.8 * rng.standard_normal(n)
        )
        gain = config.effects.learning * rng.uniform(0.5, 1.5, n)
        take_pre = e["show"].to_numpy(dtype=bool) & (rng.random(n) < 0.97)
        take_post = (
            e["completed"].to_numpy(dtype=bool)
            & e["last_present"].to_numpy(dtype=bool)
            & (rng.random(n) < 0.90)
        )
        tv_idx = np.array([inst.test_version(line, int(y)).version for y in e["year"]])
        j_items = len(inst.test_version(line, config.first_year).codes)
        u_pre, u_post = rng.random((n, j_items)), rng.random((n, j_items))
        d_pre, d_post = rng.integers(1, 4, (n, j_items)), rng.integers(1, 4, (n, j_items))
        m_pre, m_post = rng.integers(5, 41, n), -rng.integers(10, 51, n)
        s_pre = np.full(n, np.nan)
        s_post = np.full(n, np.nan)
        exp_pre = np.full(n, np.nan)
        exp_post = np.full(n, np.nan)
        start1 = first.reindex(e["activity"]).to_numpy()
        end_last = last.reindex(e["activity"]).to_numpy()
        for tv in [t for t in inst.tests if t.line == line]:
            rows = np.flatnonzero(tv_idx == tv.version)
            exp_pre[rows] = expected_score(theta[rows], tv)
            exp_post[rows] = expected_score(theta[rows] + gain[rows], tv)
            for when, take, u, d, shift, scores, mins in (
                ("PRE", take_pre, u_pre, d_pre, 0.0, s_pre, m_pre),
                ("POST", take_post, u_post, d_post, 1.0, s_post, m_post),
            ):
                r = rows[take[rows]]
                th = theta[r] + shift * gain[r]
                prob = 0.25 + 0.75 * logistic(1.3 * (th[:, None] - tv.difficulty[None, :]))
                correct = u[r] < prob
                chosen = np.where(correct, tv.key[None, :], (tv.key[None, :] + d[r]) % 4)
                scores[r] = 100.0 * correct.mean(axis=1)
                base = start1[r] if when == "PRE" else end_last[r]
                at = base + mins[r].astype("timedelta64[m]")
                responses = pd.DataFrame(
                    {
                        "instrument": f"TEST-{line}-{when}",
                        "version": tv.version,
                        "activity": e["activity"].to_numpy()[r],
                        "unit": None,
                        "submitted_at": at.astype("datetime64[ms]"),
                        "respondent_role": "participant",
                        "occasion": when.lower(),
                        "subject_nip": None,
                        "respondent_nip": e["nip"].to_numpy()[r],
                    }
                )
                k = len(tv.codes)
                answers = pd.DataFrame(
                    {
                        "row": np.repeat(np.arange(len(r)), k),
                        "item": np.tile(np.asarray(tv.codes, dtype=object), len(r)),
                        "value": np.nan,
                        "option": np.asarray(OPTIONS, dtype=object)[chosen.reshape(-1)],
                        "text": None,
                    }
                )
                batches.append(Batch(responses, answers))
        batches.extend(_efficacy(config, e, p, take_pre, take_post, start1, end_last, rng))
        tables.append(
            pd.DataFrame(
                {
                    "activity": e["activity"].to_numpy(),
                    "nip": e["nip"].to_numpy(),
                    "line": line,
                    "year": e["year"].to_numpy(),
                    "pre": s_pre,
                    "post": s_post,
                    "expected_pre": exp_pre,
                    "expected_post": exp_post,
                }
            )
        )
    return Learning(batches, pd.concat(tables, ignore_index=True))


def _efficacy(
    config: WorldConfig,
    e: pd.DataFrame,
    p: pd.DataFrame,
    take_pre: npt.NDArray[np.bool_],
    take_post: npt.NDArray[np.bool_],
    start1: npt.NDArray[np.datetime64],
    end_last: npt.NDArray[np.datetime64],
    rng: np.random.Generator,
) -> list[Batch]:
    n = len(e)
    level = 3.0 + 0.25 * p["ability"].to_numpy() + 0.45 * rng.standard_normal(n)
    codes = [c for c, _ in EFFICACY_ITEMS]
    noise_pre = rng.standard_normal((n, len(codes)))
    noise_post = rng.standard_normal((n, len(codes)))
    u = rng.random((n, 2))
    out = []
    for when, take, noise, shift in (
        ("pre", take_pre & (u[:, 0] < 0.95), noise_pre, 0.0),
        ("post", take_post & (u[:, 1] < 0.95), noise_post, config.effects.confidence),
    ):
        r = np.flatnonzero(take)
        values = ordinal(level[r, None] + shift + 0.6 * noise[r], LIKERT_CUTS)
        at = (
            (start1[r] + np.timedelta64(2, "m"))
            if when == "pre"
            else (end_last[r] - np.timedelta64(5, "m"))
        )
        responses = pd.DataFrame(
            {
                "instrument": "EFIKASI",
                "version": 1,
                "activity": e["activity"].to_numpy()[r],
                "unit": None,
                "submitted_at": at.astype("datetime64[ms]"),
                "respondent_role": "participant",
                "occasion": when,
                "subject_nip": None,
                "respondent_nip": e["nip"].to_numpy()[r],
            }
        )
        out.append(Batch(responses, likert_answers(np.arange(len(r)), codes, values)))
    return out


def reaction(enrol: pd.DataFrame, sessions: pd.DataFrame, rng: np.random.Generator) -> Batch:
    """Anonymous reaction surveys at the last session of classical activities."""
    _first, last = _session_times(sessions)
    wants = np.array([LINE_BY_CODE[x].reaction for x in enrol["line"]], dtype=bool)
    e = enrol[wants].reset_index(drop=True)
    n = len(e)
    acts = np.asarray(sorted(e["activity"].unique()), dtype=object)
    act_effect = pd.Series(0.15 * rng.standard_normal(len(acts)), index=acts)
    level = 3.9 + act_effect.reindex(e["activity"]).to_numpy() + 0.45 * rng.standard_normal(n)
    codes = [c for c, *_ in REACTION_ITEMS]
    shift = np.array([s for *_, s in REACTION_ITEMS])
    noise = rng.standard_normal((n, len(codes)))
    answer = rng.random(n) < 0.85
    write = rng.random(n)
    pick = rng.integers(0, len(SUGGESTIONS), n)
    minutes = rng.integers(0, 31, n)
    r = np.flatnonzero(e["last_present"].to_numpy(dtype=bool) & answer)
    values = ordinal(level[r, None] + shift[None, :] + 0.6 * noise[r], LIKERT_CUTS)
    rev = codes.index(REVERSE_ITEM)
    values[:, rev] = 6 - values[:, rev]
    at = last.reindex(e["activity"].to_numpy()[r]).to_numpy() - minutes[r].astype("timedelta64[m]")
    responses = pd.DataFrame(
        {
            "instrument": "REAKSI",
            "version": 1,
            "activity": e["activity"].to_numpy()[r],
            "unit": None,
            "submitted_at": at.astype("datetime64[ms]"),
            "respondent_role": "participant",
            "occasion": "end",
            "subject_nip": None,
            "respondent_nip": None,
        }
    )
    answers = likert_answers(np.arange(len(r)), codes, values)
    says = np.flatnonzero(write[r] < 0.2)
    text = pd.DataFrame(
        {
            "row": says,
            "item": "R7",
            "value": np.nan,
            "option": None,
            "text": np.asarray(SUGGESTIONS, dtype=object)[pick[r][says]],
        }
    )
    answers = pd.concat([answers, text], ignore_index=True).sort_values(
        ["row", "item"], kind="stable"
    )
    return Batch(responses, answers)
