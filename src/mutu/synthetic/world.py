"""Generate a whole world: :func:`generate_world` and the :class:`World` it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from mutu.rulebooks import BUILTIN_DIR, Rulebook, load
from mutu.synthetic import costs as costs_mod
from mutu.synthetic import learning, magang, participation, ratings, records, service_quality
from mutu.synthetic import ledger as ledger_mod
from mutu.synthetic.config import WorldConfig, make_config
from mutu.synthetic.instruments import build_instruments
from mutu.synthetic.organisation import build_organisation
from mutu.synthetic.program import partners_frame, plan_activities, programs_frames
from mutu.synthetic.raw_exports import raw_exports
from mutu.synthetic.responses import assemble
from mutu.synthetic.rng import Streams
from mutu.synthetic.schemas import conform
from mutu.synthetic.truth import build_truth
from mutu.synthetic.workforce import build_workforce

Format = Literal["parquet", "csv"]


@dataclass(frozen=True, slots=True)
class World:
    """A generated world.

    Attributes
    ----------
    seed, scenario, scale, years
        What it was generated from.
    frames
        The frames, in a fixed order, each conforming to
        :data:`mutu.synthetic.schemas.FRAME_SCHEMAS`.
    truth
        The planted truth (``truth.json``): estimands with their naive values,
        and the design.
    raw
        Raw export files (path under ``raw/`` → bytes), with planted faults.
    """

    seed: int
    scenario: str
    scale: str
    years: tuple[int, int]
    frames: dict[str, pd.DataFrame]
    truth: dict[str, Any]
    raw: dict[str, bytes]

    def files(self, fmt: Format = "parquet") -> dict[str, bytes]:
        """Every file of the world except the manifest: name → bytes."""
        from mutu.synthetic.output import world_files

        return world_files(self, fmt)

    def manifest(self, fmt: Format = "parquet") -> dict[str, Any]:
        """The manifest (seed, scenario, scale, row counts, file hashes, content hash)."""
        from mutu.synthetic.output import build_manifest

        return build_manifest(self, self.files(fmt), fmt)


def _books(config: WorldConfig) -> dict[str, Rulebook]:
    """The shipped rulebooks in force at the end of the window (never a local override)."""
    names = ("golongan", "jpm", "ip_asn", "discipline", "skm", "jp")
    return {n: load(n, config.as_of, search_path=[BUILTIN_DIR]) for n in names}


def generate_world(
    *,
    seed: int,
    scale: str | int = "kabupaten",
    scenario: str = "baseline",
    years: tuple[int, int] = (2023, 2026),
) -> World:
    """Generate a synthetic regency civil service with its program and planted truth.

    Parameters
    ----------
    seed
        Non-negative integer; the same seed (and arguments) gives the same
        world, byte for byte once written.
    scale
        ``"kabupaten"`` (about 6,000 ASN), ``"kecil"`` (about 1,500, for quick
        tests) or a number of ASN (at least 800).
    scenario
        ``"baseline"`` (plausible effects), ``"null"`` (every planted effect
        exactly zero, everything else identical) or ``"strong"`` (about
        double).
    years
        First and last year of the program window (inclusive), 2 to 8 years.

    Returns
    -------
    World
        Frames, truth and raw exports.  Write it with
        :func:`mutu.synthetic.write_world`.

    Raises
    ------
    mutu.domain.errors.MutuValueError
        For a negative seed, an unknown scale or scenario, or unsupported years.

    Notes
    -----
    The world is synthetic.  It must never be presented as data of
    Kabupaten Aceh Tenggara; see ``docs/synthetic-world.md``.

    Examples
    --------
    >>> w = generate_world(seed=1, scale="kecil", scenario="null")
    >>> w.truth["estimands"]["ikm_att"]["value"]
    0.0
    """
    config = make_config(seed=seed, scale=scale, scenario=scenario, years=years)
    streams = Streams(seed)
    books = _books(config)

    org = build_organisation(config, books["jpm"])
    wf = build_workforce(config, org, streams["workforce"], streams["names"], books["golongan"])
    people = wf.people
    performance = records.performance_records(config, wf, streams["records"], books["ip_asn"])
    discipline = records.discipline_records(config, wf, streams["records"], books["discipline"])
    centre = records.assessment_centre(config, wf, org.standards, streams["records"])
    prior = records.prior_skp(performance, config.first_year)
    prior_arr = prior.reindex(people["nip"].to_numpy()).to_numpy(dtype=float)
    skp_z = (prior_arr - np.nanmean(prior_arr)) / np.nanstd(prior_arr)

    adoption = service_quality.plan_adoption(config, org.units, org.kecamatan, streams["skm"])
    partners, agreements = partners_frame(config)
    programs, goals, program_comp = programs_frames(config)
    minutes_per_jp = books["jp"].integer("minutes_per_jp")
    activities, sessions = plan_activities(config, streams["program"], minutes_per_jp)

    noms = participation.nominate(
        config,
        people,
        skp_z,
        activities,
        adoption.years(),
        streams["nomination"],
        float(books["jp"].integer("pppk_max_jp_per_contract_year")),
    )
    pool = magang.young_pool(config, people, activities, streams["magang"])
    noms = pd.concat(
        [noms, magang.nominate_magang(config, pool, activities, streams["magang"])],
        ignore_index=True,
    )
    part = participation.simulate(
        config,
        people,
        noms,
        activities,
        sessions,
        streams["incentives"],
        streams["attendance"],
        streams["tokens"],
    )
    enrol = part.table
    mag = magang.magang_outcomes(config, pool, people, enrol, activities, streams["magang"])
    inst = build_instruments(config, streams["instruments"], books["skm"])
    learn = learning.tests_and_efficacy(config, enrol, people, sessions, inst, streams["tests"])
    react = learning.reaction(enrol, sessions, streams["reaction"])
    rate = ratings.supervisor_ratings(config, people, skp_z, enrol, streams["ratings"])
    elements = [str(e["code"]) for e in books["skm"].records("elements")]
    conversion = float(books["skm"].integer("conversion_factor"))
    skm = service_quality.skm_survey(config, adoption, elements, conversion, streams["skm"])
    responses, answers, identities = assemble(
        [*learn.batches, react, *rate.batches, skm.batch], streams["tokens"]
    )
    ledger = ledger_mod.jp_ledger(config, people, enrol, activities, streams["ledger"], books["jp"])
    budget, spending, time_costs, arithmetic = costs_mod.costs(
        config,
        people,
        activities,
        sessions,
        enrol,
        part.attendance,
        streams["costs"],
        books["jp"].integer("pns_min_jp_per_year"),
        minutes_per_jp,
    )
    program_units = pd.DataFrame(
        {
            "program": "PMPP",
            "unit": adoption.table["unit"].to_numpy(),
            "adoption_year": pd.array(
                [y if y > 0 else None for y in adoption.table["adoption_year"].tolist()],
                dtype="Int64",
            ),
        }
    )
    assessments = pd.concat([centre, mag.assessments], ignore_index=True)
    frames: dict[str, pd.DataFrame] = {
        "kecamatan": org.kecamatan,
        "units": org.units[
            ["code", "name", "kind", "parent", "kecamatan", "is_active", "service_unit", "workload"]
        ],
        "competencies": org.competencies,
        "positions": org.positions,
        "competency_standards": org.standards,
        "employees": wf.employees,
        "position_history": wf.position_history,
        "performance_records": performance,
        "discipline_records": discipline,
        "competency_assessments": assessments,
        "partners": partners,
        "partner_agreements": agreements,
        "programs": programs,
        "program_goals": goals,
        "program_competencies": program_comp,
        "program_units": program_units,
        "activities": activities,
        "activity_sessions": sessions,
        "budget_lines": budget,
        "expenditures": spending,
        "participant_time_costs": time_costs,
        "incentive_schemes": part.schemes,
        "incentive_offers": part.offers,
        "enrollments": part.enrollments,
        "attendance": part.attendance,
        "certificates": part.certificates,
        "jp_ledger": ledger,
        "internships": mag.internships,
        "internship_logs": mag.logs,
        "scales": inst.scales,
        "instruments": inst.instruments,
        "instrument_versions": inst.versions,
        "items": inst.items,
        "item_options": inst.options,
        "responses": responses,
        "answers": answers,
        "response_identities": identities,
        "skm_results": skm.results,
        "proficiency": mag.proficiency,
    }
    frames = conform(frames)
    truth = build_truth(
        config,
        learn=learn.table,
        rate=rate.table,
        skm=skm.table,
        enrol=enrol,
        magang=mag.table,
        adoption=adoption.table,
        budget=arithmetic,
        books=books,
    )
    raw = raw_exports(config, frames, learn.table, wf, streams["raw"])
    return World(
        seed=seed,
        scenario=config.scenario,
        scale=config.scale.name,
        years=config.years,
        frames=frames,
        truth=truth,
        raw=raw,
    )
