"""Assembling responses, answers and identities from batches of one instrument each.

A batch is built by one generator (tests, reaction, ratings, SKM) without
tokens; :func:`assemble` gives every response a token (drawn from the
``tokens`` stream, batch by batch in a fixed order), turns the answers into
the long ``answers`` frame and keeps who answered in ``response_identities``
for non-anonymous instruments only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mutu.synthetic.util import tokens

RESPONSE_COLUMNS = (
    "instrument",
    "version",
    "activity",
    "unit",
    "submitted_at",
    "respondent_role",
    "occasion",
    "subject_nip",
)


@dataclass(slots=True)
class Batch:
    """Responses of one instrument version and their answers.

    ``responses`` has :data:`RESPONSE_COLUMNS` plus ``respondent_nip`` (None
    for anonymous instruments); ``answers`` has ``row`` (the response's
    position in ``responses``), ``item``, ``value``, ``option`` and ``text``.
    """

    responses: pd.DataFrame
    answers: pd.DataFrame


def likert_answers(
    rows: npt.NDArray[np.int64], items: list[str], values: npt.NDArray[np.int64]
) -> pd.DataFrame:
    """Long answers for rating items: ``values`` is (responses × items)."""
    n, k = values.shape
    return pd.DataFrame(
        {
            "row": np.repeat(rows, k),
            "item": np.tile(np.asarray(items, dtype=object), n),
            "value": values.reshape(-1).astype(float),
            "option": None,
            "text": None,
        }
    )


def ordinal(latent: npt.NDArray[np.float64], cuts: tuple[float, ...]) -> npt.NDArray[np.int64]:
    """1 + the number of cut points below each latent value."""
    out = np.ones(latent.shape, dtype=np.int64)
    for c in cuts:
        out += latent > c
    return out


def assemble(
    batches: list[Batch], rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Responses (with tokens), answers (long) and response identities."""
    resp_parts, ans_parts, id_parts = [], [], []
    for b in batches:
        r = b.responses.reset_index(drop=True)
        tok = np.asarray(tokens(rng, len(r)), dtype=object)
        out = pd.DataFrame({"token": tok})
        for c in RESPONSE_COLUMNS:
            out[c] = r[c].to_numpy()
        resp_parts.append(out)
        a = b.answers
        ans_parts.append(
            pd.DataFrame(
                {
                    "token": tok[a["row"].to_numpy(dtype=np.int64)],
                    "item": a["item"].to_numpy(),
                    "value": a["value"].to_numpy(dtype=float),
                    "option": a["option"].to_numpy(dtype=object),
                    "text": a["text"].to_numpy(dtype=object),
                }
            )
        )
        who = r["respondent_nip"].to_numpy(dtype=object)
        has = np.array([isinstance(x, str) for x in who], dtype=bool)
        id_parts.append(pd.DataFrame({"token": tok[has], "nip": who[has]}))
    responses = pd.concat(resp_parts, ignore_index=True)
    answers = pd.concat(ans_parts, ignore_index=True)
    identities = pd.concat(id_parts, ignore_index=True)
    return responses, answers, identities
