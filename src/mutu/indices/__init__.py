"""The regulators' yardsticks: IKM, JP compliance, IP ASN, job-person match, 9-box.

Pure core (no Django): DataFrames in, frozen results out.  Every number comes
from a rulebook (``skm``, ``jp``, ``ip_asn``, ``jpm``, ``nine_box``), chosen by
the date of what is measured; each result names the version it used
(``rulebook``) and the unconfirmed values it relied on (``unconfirmed``).
See ``docs/indices.md`` for the input frames and the rules.
"""

from __future__ import annotations

from mutu.indices._common import IndexInputError
from mutu.indices.frames import skm_wide, training_history
from mutu.indices.ip_asn import IpAsnResult, ip_asn
from mutu.indices.jp_compliance import JpComplianceResult, jp_compliance
from mutu.indices.jpm import JobPersonMatchResult, job_person_match
from mutu.indices.overview import indices_overview, with_position_kind
from mutu.indices.skm import SkmResult, skm
from mutu.indices.talent import TalentBoxResult, talent_box
from mutu.indices.trends import TrendResult, index_trend, skm_trend

__all__ = [
    "IndexInputError",
    "IpAsnResult",
    "JobPersonMatchResult",
    "JpComplianceResult",
    "SkmResult",
    "TalentBoxResult",
    "TrendResult",
    "index_trend",
    "indices_overview",
    "ip_asn",
    "job_person_match",
    "jp_compliance",
    "skm",
    "skm_trend",
    "skm_wide",
    "talent_box",
    "training_history",
    "with_position_kind",
]
