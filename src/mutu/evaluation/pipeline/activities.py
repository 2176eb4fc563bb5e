"""Activities, sessions and enrollments as the sections need them.

The stored ``activities`` frame has no year or line column: the year is the
year of the first day, and the *activity kind* — program and form of
development together — stands in for the recurring line (classes of one
kind share their attendance level).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["activity_table", "enrollment_table", "session_minutes"]


def activity_table(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per activity code: program, form, kind, jp, capacity, dates, year."""
    a = frames["activities"]
    out = pd.DataFrame(
        {
            "program": a["program"].to_numpy(dtype=object),
            "form": a["form"].to_numpy(dtype=object),
            "jp": pd.to_numeric(a["jp"], errors="coerce").to_numpy(dtype=float),
            "start_date": a["start_date"].to_numpy(),
            "end_date": a["end_date"].to_numpy(),
        },
        index=pd.Index(a["code"].to_numpy(dtype=object), name="activity"),
    )
    out["capacity"] = pd.to_numeric(
        a["capacity"] if "capacity" in a.columns else np.nan, errors="coerce"
    )
    out["year"] = pd.to_datetime(out["start_date"]).dt.year.astype("Int64")
    out["kind"] = out["program"].astype(str) + "/" + out["form"].astype(str)
    return out[~out.index.duplicated(keep="first")]


def session_minutes(frames: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Minutes of each session, indexed by (activity, session_no)."""
    s = frames["activity_sessions"]
    minutes = (s["ends_at"] - s["starts_at"]).dt.total_seconds() / 60.0
    return pd.Series(
        minutes.to_numpy(dtype=float),
        index=pd.MultiIndex.from_arrays(
            [s["activity"].to_numpy(dtype=object), s["session_no"].to_numpy()],
            names=["activity", "session_no"],
        ),
    )


def enrollment_table(
    frames: Mapping[str, pd.DataFrame], activities: pd.DataFrame, *, attendance_rule: str
) -> pd.DataFrame:
    """Nominations with their activity, registration, attendance and completion.

    ``attended``: present at the activity's first session (``attendance_rule =
    "first_session"``) or at any session; an enrollment without attendance
    rows counts as attended only when it was completed. ``registered``: a
    registration date is recorded or the person attended.
    """
    e = frames["enrollments"]
    out = pd.DataFrame(
        {
            "activity": e["activity"].to_numpy(dtype=object),
            "nip": e["nip"].to_numpy(dtype=object),
            "status": e["status"].to_numpy(dtype=object),
        }
    )
    known = out["activity"].isin(activities.index).to_numpy()
    out = out[known].reset_index(drop=True)
    for col in ("program", "form", "kind", "year", "jp", "start_date"):
        out[col] = activities[col].reindex(out["activity"]).to_numpy()
    out["year"] = out["year"].astype(float)
    out["completed"] = out["status"] == "completed"
    reg = e.loc[known, "registered_on"].notna().to_numpy() if "registered_on" in e.columns else None
    att = frames.get("attendance")
    if att is not None and len(att):
        rows = att[["activity", "nip", "session_no", "present"]]
        if attendance_rule == "first_session":
            first = rows.groupby("activity")["session_no"].transform("min")
            rows = rows[(rows["session_no"] == first).to_numpy()]
        present = rows.groupby(["activity", "nip"])["present"].any()
        key = pd.MultiIndex.from_arrays([out["activity"], out["nip"]])
        attended = present.reindex(key).to_numpy(dtype=object)
        missing = pd.isna(attended)
        out["attended"] = np.where(missing, out["completed"].to_numpy(), attended).astype(bool)
    else:
        out["attended"] = out["completed"].to_numpy(dtype=bool)
    out["registered"] = (
        (reg | out["attended"].to_numpy()) if reg is not None else out["attended"].to_numpy()
    )
    return out
