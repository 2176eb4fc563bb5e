"""The JP ledger: JP from completed activities, and JP earned elsewhere.

Each completed enrollment earns the activity's JP, converted by the form's
factor in the ``jp`` rulebook (every form used here has factor 1.0), dated at
the activity's end and approved.  Besides, about a third of PNS report
development done elsewhere each year (webinars, online courses, ministry
bimtek) — 1 to 3 entries of 2-16 JP, most approved, some pending or rejected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mutu.domain.jp import converted_jp
from mutu.rulebooks import Rulebook
from mutu.synthetic.config import WorldConfig
from mutu.synthetic.util import dates, day, days_to_datetime

EXTERNAL = (
    ("Webinar Manajemen Talenta ASN", "BKN"),
    ("Kursus daring Penulisan Naskah Dinas", "LAN"),
    ("Bimbingan Teknis Aplikasi SIPD", "Kementerian Dalam Negeri"),
    ("Webinar Keterbukaan Informasi Publik", "Komisi Informasi Aceh"),
    ("Kursus daring Literasi Data", "Kementerian Komunikasi dan Digital"),
    ("Bimbingan Teknis Penyusunan Laporan Kinerja", "Kementerian PANRB"),
    ("Pelatihan daring Pelayanan Prima", "BPSDM Aceh"),
)
EXTERNAL_JP = np.array([2.0, 4.0, 8.0, 10.0, 16.0])


def jp_ledger(
    config: WorldConfig,
    people: pd.DataFrame,
    enrol: pd.DataFrame,
    activities: pd.DataFrame,
    rng: np.random.Generator,
    jp_book: Rulebook,
) -> pd.DataFrame:
    """Ledger entries: one per completed enrollment, plus external development."""
    act = activities.set_index("code")
    done = enrol[enrol["completed"]]
    forms = act.loc[done["activity"], "form"].to_numpy()
    jp = act.loc[done["activity"], "jp"].to_numpy()
    factor = {f: float(converted_jp(1, f, rulebook=jp_book)) for f in sorted(set(forms.tolist()))}
    credited = np.round(jp * np.array([factor[f] for f in forms]), 2)
    activity_rows = pd.DataFrame(
        {
            "nip": done["nip"].to_numpy(),
            "date": dates(done["end"]),
            "jp": credited,
            "source": "activity",
            "activity": done["activity"].to_numpy(),
            "title": act.loc[done["activity"], "title"].to_numpy(),
            "organiser": act.loc[done["activity"], "organiser"].to_numpy(),
            "approval_status": "approved",
        }
    )

    pns = np.flatnonzero(people["status_code"].to_numpy() == 0)
    ability = people["ability"].to_numpy()
    parts = []
    for year in config.year_list:
        active = pns[dates(people["tmt"])[pns] <= day(year, 3, 1)]
        p_report = 0.25 + 0.1 * (ability[active] > 0)
        reports = active[rng.random(len(active)) < p_report]
        k = rng.integers(1, 4, len(reports))
        who = np.repeat(reports, k)
        m = len(who)
        pick = rng.integers(0, len(EXTERNAL), m)
        status_u = rng.random(m)
        status = np.where(
            status_u < 0.85, "approved", np.where(status_u < 0.95, "rejected", "pending")
        )
        if year < config.last_year:
            status = np.where(status == "pending", "approved", status)
        parts.append(
            pd.DataFrame(
                {
                    "nip": people["nip"].to_numpy()[who],
                    "date": day(year, 1, 1) + rng.integers(0, 365, m),
                    "jp": EXTERNAL_JP[rng.integers(0, len(EXTERNAL_JP), m)],
                    "source": "external",
                    "activity": None,
                    "title": np.asarray([EXTERNAL[i][0] for i in pick], dtype=object),
                    "organiser": np.asarray([EXTERNAL[i][1] for i in pick], dtype=object),
                    "approval_status": status,
                }
            )
        )
    ledger = pd.concat([activity_rows, *parts], ignore_index=True)
    when = dates(ledger["date"])
    ledger["date"] = days_to_datetime(when)
    ledger.insert(0, "ref", [f"JPL-{i + 1:06d}" for i in range(len(ledger))])
    ledger.insert(3, "year", when.astype("datetime64[Y]").astype(np.int64) + 1970)
    ledger["minutes"] = pd.array([None] * len(ledger), dtype="Int64")
    return ledger[
        ["ref", "nip", "date", "year", "jp", "minutes", "source", "activity", "title",
         "organiser", "approval_status"]
    ]  # fmt: skip
