r"""Effectiveness weights per activity type, from the stored evaluation.

The plan values a need covered by an activity type ``t`` with a weight
:math:`w_t = \ell_t \cdot b_t` measured by the evaluation (the JSON of
``mutu evaluate``), never guessed:

* **Learning** :math:`\ell_t`.  From ``sections.l2_learning.tables.per_activity``
  (the evaluated year), the rows of the type's activities are pooled
  (``n``-weighted means of pre and post) into a class-average normalised gain
  :math:`\langle g\rangle_t = (\bar y_{post} - \bar y_{pre}) / (\max - \bar y_{pre})`
  (Hake 1998).  Without such rows, the ``per_program`` row of the type's
  program is used.  :math:`\ell_t = \max(0, \langle g\rangle_t) / \langle g\rangle`,
  with :math:`\langle g\rangle` the section's pooled ``normalized_gain``:
  1 means "as effective as the average tested activity".  When the section
  is missing, its pooled gain is not positive, or its interval includes zero,
  learning was not measured usefully and every :math:`\ell_t = 1`.
* **Behaviour** :math:`b_t`.  For the program of ``sections.l3_behaviour``
  (status ``ok``, interval above zero): :math:`b_t = 1 + \hat\tau /
  \bar y_{control}` — the ATT on the rating as a share of the comparison
  group's mean after-rating.  Otherwise :math:`b_t = 1`.
* **Neutral weight.**  A type with neither measurement gets
  :data:`NEUTRAL_WEIGHT` (1.0: "as the average") and a warning naming it.

References
----------
Hake, R. R. (1998). Interactive-engagement versus traditional methods.
*American Journal of Physics* 66(1), 64–74.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mutu.planning.catalogue import ActivityType, line_of

__all__ = ["NEUTRAL_WEIGHT", "TypeWeight", "effectiveness_weights"]

#: Weight of a type the evaluation did not measure ("as effective as the average").
NEUTRAL_WEIGHT = 1.0


@dataclass(frozen=True)
class TypeWeight:
    """The weight of one activity type and where it came from."""

    code: str
    weight: float
    learning: float
    behaviour: float
    gain: float | None
    source: str
    measured: bool


def _section(evaluation: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    sections = evaluation.get("sections")
    if not isinstance(sections, Mapping):
        return None
    sec = sections.get(key)
    if not isinstance(sec, Mapping) or sec.get("status") != "ok":
        return None
    return sec


def _table(section: Mapping[str, Any], name: str) -> pd.DataFrame:
    tables = section.get("tables")
    rows = tables.get(name) if isinstance(tables, Mapping) else None
    return pd.DataFrame(rows if isinstance(rows, list) else [])


def _pooled_gain(rows: pd.DataFrame) -> float | None:
    need = {"n", "mean_pre", "mean_post", "max_score"}
    if rows.empty or not need <= set(rows.columns):
        return None
    n = rows["n"].astype(float).to_numpy()
    if n.sum() <= 0:
        return None
    pre = float(np.average(rows["mean_pre"].astype(float), weights=n))
    post = float(np.average(rows["mean_post"].astype(float), weights=n))
    top = float(rows["max_score"].astype(float).max())
    if top - pre <= 0:
        return None
    return (post - pre) / (top - pre)


def effectiveness_weights(
    evaluation: Mapping[str, Any] | None, types: Sequence[ActivityType]
) -> tuple[dict[str, TypeWeight], list[str]]:
    """Weight per activity type code, and the warnings (types without a measurement).

    See the module docstring for the exact derivation.
    """
    warnings: list[str] = []
    evaluation = evaluation or {}
    l2 = _section(evaluation, "l2_learning")
    ref_gain: float | None = None
    if l2 is not None:
        g = l2.get("normalized_gain")
        low = l2.get("ci_low")
        if isinstance(g, int | float) and g > 0 and isinstance(low, int | float) and low > 0:
            ref_gain = float(g)
        else:
            warnings.append(
                "L2: pembelajaran tidak terukur berbeda dari nol; bobot belajar netral. / "
                "L2: learning not measured as different from zero; neutral learning weights."
            )
    per_act = _table(l2, "per_activity") if l2 is not None and ref_gain else pd.DataFrame()
    per_prog = _table(l2, "per_program") if l2 is not None and ref_gain else pd.DataFrame()
    if not per_act.empty:
        per_act = per_act.assign(line=line_of(per_act["activity"]))

    l3 = _section(evaluation, "l3_behaviour")
    l3_program: str | None = None
    l3_factor = 1.0
    if l3 is not None:
        est, low, ctrl = l3.get("estimate"), l3.get("ci_low"), l3.get("mean_after_control")
        if (
            isinstance(est, int | float)
            and isinstance(low, int | float)
            and isinstance(ctrl, int | float)
            and low > 0
            and ctrl > 0
        ):
            l3_program = str(l3.get("program"))
            l3_factor = 1.0 + float(est) / float(ctrl)

    out: dict[str, TypeWeight] = {}
    for t in types:
        gain: float | None = None
        source = []
        if ref_gain:
            rows = per_act[per_act["line"] == t.code] if not per_act.empty else per_act
            gain = _pooled_gain(rows)
            if gain is not None:
                source.append(f"L2 per activity ({len(rows)} classes)")
            elif not per_prog.empty and "program" in per_prog.columns:
                gain = _pooled_gain(per_prog[per_prog["program"] == t.program])
                if gain is not None:
                    source.append(f"L2 per program {t.program}")
        learning = max(0.0, gain) / ref_gain if (gain is not None and ref_gain) else 1.0
        behaviour = l3_factor if l3_program is not None and t.program == l3_program else 1.0
        if behaviour != 1.0:
            source.append(f"L3 effect of {l3_program}")
        measured = bool(source)
        if not measured:
            weight = NEUTRAL_WEIGHT
            warnings.append(
                f"{t.code}: tidak ada ukuran efektivitas dari evaluasi; bobot netral "
                f"{NEUTRAL_WEIGHT:g}. / {t.code}: no effectiveness measured by the evaluation; "
                f"neutral weight {NEUTRAL_WEIGHT:g}."
            )
        else:
            weight = learning * behaviour
        out[t.code] = TypeWeight(
            code=t.code,
            weight=weight,
            learning=learning,
            behaviour=behaviour,
            gain=gain,
            source="; ".join(source) if source else "neutral",
            measured=measured,
        )
    return out, warnings
