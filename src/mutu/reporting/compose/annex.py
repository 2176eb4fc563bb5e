"""The annex: methods with formulas and assumptions, full tables, data quality and
what is needed to reproduce the report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

import mutu
from mutu.reporting.compose.source import Results, sentence
from mutu.reporting.formatting import EFFECT_SIZE_SOURCE, active_lang
from mutu.reporting.model import (
    Block,
    Bullets,
    Cell,
    Column,
    Inline,
    Metadata,
    Number,
    Paragraph,
    Section,
    Table,
)


def methods(res: Results) -> Section:
    """A. Methods: the formula and assumption of each estimate, multiple testing, scales."""
    present = set((res.get("estimands") or {}).keys())
    entries: list[tuple[str, str, str]] = [
        (
            "learning_gain",
            _("Paired change (L2)"),
            _(
                "d_i = post_i − pre_i; t = mean(d) / (sd(d) / √n), df = n − 1; interval "
                "mean(d) ± t(0.975; n − 1) · sd(d) / √n; d_z = mean(d) / sd(d). Wilcoxon "
                "signed-rank as a check, following R's rules for ties and zeros."
            ),
        ),
        (
            "workplan_quality_att",
            _("Regression adjustment (L3)"),
            _(
                "A regression on the comparison group predicts each trained person's rating "
                "without training from the earlier rating, prior SKP, age, rank, distance, unit "
                "and year; the effect is the mean of observed minus predicted ratings over the "
                "trained (ATT). Assumes no unmeasured confounding."
            ),
        ),
        (
            "ikm_att",
            _("Difference-in-differences, staggered adoption (L4)"),
            _(
                "ATT(g, t) = E[Y_t − Y_(g−1) | G = g] − E[Y_t − Y_(g−1) | never adopting], "
                "for each adoption year g and year t (Callaway & Sant'Anna 2021), averaged "
                "over adopted unit-years and by years since adoption (event study). Assumes "
                "parallel trends; checked by the pre-adoption estimates."
            ),
        ),
        (
            "incentive_attendance_effect",
            _("Doubly robust comparison of attendance (incentives)"),
            _(
                "A logistic model of being offered and a linear model of attending on the "
                "comparison group are combined (Sant'Anna & Zhao 2020); the effect is the mean "
                "over offered nominations of attending with minus without the offer, in "
                "percentage points. Assumes offers are as good as random given the covariates."
            ),
        ),
        (
            "magang_months_to_proficiency_diff",
            _("Time to proficiency (internships)"),
            _(
                "Kaplan–Meier S(t) = Π (1 − d_j / n_j) for interns and for other young ASN "
                "weighted to resemble them (propensity odds); effect = difference of the median "
                "months; interval by a seeded bootstrap. Those not yet proficient are censored."
            ),
        ),
    ]
    blocks: list[Block] = [
        Paragraph((title + ". ", formula)) for key, title, formula in entries if key in present
    ]
    blocks.append(
        Paragraph(
            (
                _("Multiple testing. "),
                _(
                    "Holm: sort the m p-values, p_(1) ≤ … ≤ p_(m); adjusted p_(i) = "
                    "max over j ≤ i of min(1, (m − j + 1) · p_(j)). A result is significant "
                    "when its adjusted p-value is below the level and its interval excludes 0."
                ),
            )
        )
    )
    blocks.append(
        Paragraph(
            (
                _("Effect sizes. "),
                _(
                    "|d| < 0.2 negligible, 0.2–0.5 small, 0.5–0.8 medium, ≥ 0.8 large. Source: "
                    "%(source)s. In training research a mean d of about 0.6 is typical (Arthur "
                    "et al. 2003)."
                )
                % {"source": EFFECT_SIZE_SOURCE},
            )
        )
    )
    blocks.append(
        Paragraph(
            sentence(
                _(
                    "Privacy. A group with fewer than %(minimum)s people is withheld in every "
                    "table and chart."
                ),
                minimum=str(res.privacy_minimum),
            )
        )
    )
    notes = res.get("variant_notes")
    if isinstance(notes, dict) and notes:
        blocks.append(
            Paragraph(
                (
                    _(
                        "Technical notes of the evaluation, as it recorded them (in English, "
                        "the language of the statistical software):"
                    ),
                )
            )
        )
        blocks.append(Bullets(tuple((f"{key}: {text}",) for key, text in notes.items())))
    return Section("A", _("Methods"), tuple(blocks), id="s-a")


def _num(res: Results, section: str, table: str, i: int, key: str, **kw: Any) -> Number:
    return res.num(*res.table_path(section, table, i, key), **kw)


def _ikm_table(res: Results) -> Table | None:
    """IKM per unit (rows) and year (columns); a unit-year with too few respondents withheld."""
    panel = res.table("l4_results", "ikm_panel")
    if not panel:
        return None
    years = sorted({int(r["year"]) for _i, r in panel if isinstance(r.get("year"), int)})
    cells: dict[str, dict[int, Cell]] = {}
    for i, r in panel:
        path = res.table_path("l4_results", "ikm_panel", i)
        unit = str(r.get("unit"))
        row = cells.setdefault(unit, {})
        if res.small(*path, "respondents"):
            row[int(r["year"])] = res.count_or_suppressed(*path, "respondents")
        else:
            row[int(r["year"])] = res.num(*path, "ikm", digits=2)
    return Table(
        "tab-ikm-units",
        _("IKM per service unit and year"),
        (Column("unit", _("Unit")), *(Column(str(y), str(y), "decimal", 2) for y in years)),
        tuple((unit, *(row.get(y) for y in years)) for unit, row in sorted(cells.items())),
        res.path(*res.table_path("l4_results", "ikm_panel")),
        definitions=(
            (
                "IKM",
                _(
                    "Indeks Kepuasan Masyarakat: 25 × the mean of the nine SKM element scores "
                    "(scale 1–4), from 25 to 100."
                ),
            ),
        ),
        note=_("The number of respondents per unit and year is in the evaluation results."),
        sheet=_("IKM per unit"),
    )


def _balance_table(res: Results) -> Table | None:
    before = res.table("l3_behaviour", "balance_before")
    after = {str(r.get("covariate")): i for i, r in res.table("l3_behaviour", "balance_after")}
    if not before:
        return None
    rows: list[tuple[Cell, ...]] = []
    for i, r in before:
        name = str(r.get("covariate"))
        j = after.get(name)
        rows.append(
            (
                name,
                _num(res, "l3_behaviour", "balance_before", i, "smd", digits=3),
                _num(res, "l3_behaviour", "balance_after", j, "smd", digits=3)
                if j is not None
                else None,
            )
        )
    return Table(
        "tab-balance-l3",
        _(
            "Balance of the L3 comparison: standardised mean differences before and after "
            "adjustment"
        ),
        (
            Column("covariate", _("Covariate")),
            Column("before", _("SMD before"), "decimal", 3),
            Column("after", _("SMD after"), "decimal", 3),
        ),
        tuple(rows),
        res.path("sections", "l3_behaviour", "tables"),
        definitions=(
            (
                _("SMD before"),
                _(
                    "Difference of means between trained and comparison staff divided by the "
                    "trained group's standard deviation (MatchIt convention); |SMD| > 0.1 is "
                    "flagged."
                ),
            ),
        ),
        sheet=_("Balance L3"),
    )


def _learning_years(res: Results) -> Table | None:
    rows = res.table("l2_learning", "per_year")
    if not rows:
        return None
    return Table(
        "tab-learning-years",
        _("Pre- and post-test scores per year (0–100)"),
        (
            Column("year", _("Year")),
            Column("n", "n", "count"),
            Column("pre", _("Pre"), "decimal", 1),
            Column("post", _("Post"), "decimal", 1),
            Column("gain", _("Gain"), "decimal", 1),
            Column("ci_low", _("CI lower"), "decimal", 1),
            Column("ci_high", _("CI upper"), "decimal", 1),
        ),
        tuple(
            (
                str(r.get("year")),
                _num(res, "l2_learning", "per_year", i, "n", kind="count"),
                _num(res, "l2_learning", "per_year", i, "mean_pre", digits=1),
                _num(res, "l2_learning", "per_year", i, "mean_post", digits=1),
                _num(res, "l2_learning", "per_year", i, "mean_diff", digits=1, signed=True),
                _num(res, "l2_learning", "per_year", i, "ci_low", digits=1),
                _num(res, "l2_learning", "per_year", i, "ci_high", digits=1),
            )
            for i, r in rows
        ),
        res.path(*res.table_path("l2_learning", "per_year")),
        sheet=_("Learning per year"),
    )


def _funnel_programs(res: Results) -> Table | None:
    rows = res.table("participation", "funnel_by_program")
    if not rows:
        return None
    return Table(
        "tab-funnel-programs",
        _("Participation per program and year"),
        (
            Column("year", _("Year")),
            Column("program", _("Program")),
            Column("nominated", _("Nominated"), "count"),
            Column("attended", _("Attended"), "count"),
            Column("completed", _("Completed"), "count"),
            Column("rate", _("Completed (share)"), "percent", 0),
        ),
        tuple(
            (
                str(r.get("year")),
                str(r.get("program")),
                _num(res, "participation", "funnel_by_program", i, "nominated", kind="count"),
                _num(res, "participation", "funnel_by_program", i, "attended", kind="count"),
                _num(res, "participation", "funnel_by_program", i, "completed", kind="count"),
                _num(
                    res,
                    "participation",
                    "funnel_by_program",
                    i,
                    "completed_rate",
                    kind="percent",
                    digits=0,
                ),
            )
            for i, r in rows
        ),
        res.path(*res.table_path("participation", "funnel_by_program")),
        sheet=_("Participation per program"),
    )


def full_tables(res: Results) -> Section:
    """B. Full tables."""
    tables = [
        t
        for t in (_funnel_programs(res), _learning_years(res), _balance_table(res), _ikm_table(res))
        if t is not None
    ]
    blocks: list[Block] = [
        Paragraph(
            (
                _(
                    "The full tables behind the charts; the Excel annex holds every table of "
                    "this report."
                ),
            )
        ),
        *tables,
    ]
    return Section("B", _("Full tables"), tuple(blocks), id="s-b")


def _note_text(note: Any) -> str:
    if isinstance(note, dict):
        return str(note.get(active_lang()) or note.get("en") or note.get("text") or "")
    return str(note)


def data_quality(res: Results) -> Section:
    """C. Data quality: the evaluation's own notes, unconfirmed rules, withheld groups."""
    items: list[tuple[Inline, ...]] = []
    for name, section in (res.get("sections") or {}).items():
        if not isinstance(section, dict):
            continue
        if section.get("status") == "no_data":
            missing = ", ".join(str(m) for m in section.get("missing") or []) or "–"
            items.append(
                sentence(
                    _("%(section)s: no data (missing: %(missing)s)."),
                    section=name,
                    missing=missing,
                )
            )
        for note in section.get("notes") or []:
            items.append((f"{name}: {_note_text(note)}",))
    unconfirmed = res.get("indices", "unconfirmed")
    if isinstance(unconfirmed, list) and unconfirmed:
        items.append(
            sentence(
                _("Regulation values used but not yet confirmed: %(list)s."),
                list=", ".join(str(u) for u in unconfirmed),
            )
        )
    for note in res.get("indices", "fallbacks") or []:
        items.append((_note_text(note),))
    items.append(
        sentence(
            _("%(count)s groups below the privacy minimum of %(minimum)s were withheld."),
            count=str(len(res.suppressed)),
            minimum=str(res.privacy_minimum),
        )
    )
    return Section("C", _("Data quality"), (Bullets(tuple(items)),), id="s-c")


def metadata(res: Results) -> Metadata:
    """What the reader needs to reproduce the report, from the results."""
    rulebooks: list[tuple[str, str]] = []
    for entry in res.get("rulebooks") or []:
        if isinstance(entry, dict):
            rulebooks.append((str(entry.get("name")), str(entry.get("version"))))
        else:
            name, _sep, version = str(entry).rpartition(" ")
            rulebooks.append((name or str(entry), version))
    seed = res.get("plan", "seed")
    data_hash = res.get("data_hash") or res.get("data", "hash") or ""
    plan: list[tuple[str, str]] = []
    for key in ("level", "min_n", "bootstrap_resamples", "did_control", "attendance_rule"):
        if res.get("plan", key) is not None:
            plan.append((f"plan.{key}", str(res.get("plan", key))))
    return Metadata(
        data_hash=str(data_hash),
        rulebooks=tuple(rulebooks),
        software_version=str(res.get("mutu_version") or mutu.__version__),
        seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        plan=tuple(plan),
    )


def reproducibility(res: Results, meta: Metadata) -> Section:
    """D. Reproducibility."""
    rows: list[tuple[Cell, ...]] = [
        (_("Data hash (SHA-256)"), meta.data_hash or "–"),
        (_("Software version"), f"Mutu {meta.software_version}" if meta.software_version else "–"),
        (_("Seed"), str(meta.seed) if meta.seed is not None else "–"),
    ]
    rows += [(_("Rulebook %(name)s") % {"name": name}, version) for name, version in meta.rulebooks]
    rows += list(meta.plan)
    table = Table(
        "tab-reproducibility",
        _("What was used to produce this report"),
        (Column("item", _("Item")), Column("value", _("Value"))),
        tuple(rows),
        "",
        sheet=_("Reproducibility"),
    )
    text = Paragraph(
        (
            _(
                "The same data (same hash), the same rulebook versions, the same software "
                "version and seed give the same results and the same report."
            ),
        )
    )
    return Section("D", _("Reproducibility"), (text, table), id="s-d")
