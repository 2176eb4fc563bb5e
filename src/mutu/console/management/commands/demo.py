"""``mutu demo``: build the demo database and run the main job.

Steps: migrate; load the reference data; generate the synthetic baseline
world with a fixed seed (``MUTU_HOME/world``) and load it unless this very
world is already loaded; print a summary of the regency; evaluate, write the
report, print the demo accounts and open forms for the demo participant
(their latest activity's reaction survey and post-test, with the links
printed); then, on a terminal and without ``--no-serve``,
serve the demo on http://127.0.0.1:8000 until Ctrl-C.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from mutu import rulebooks
from mutu.accounts.models import Role, RoleAssignment
from mutu.accounts.services import demo_accounts_create
from mutu.console.management.commands.world import parse_scale
from mutu.console.world_load import WorldLoadError, describe, loaded_world, world_load
from mutu.domain.errors import MutuValueError
from mutu.evaluation.result import format_number
from mutu.instruments.demo_forms import demo_forms_open
from mutu.instruments.management.commands.links import link_url
from mutu.instruments.models import LinkRole
from mutu.instruments.selectors import LinkState, person_links
from mutu.people.selectors import employee_counts_frame
from mutu.programs.selectors import activity_counts_frame, budget_frame, jp_delivered_frame
from mutu.reference.services import reference_data_load
from mutu.synthetic import generate_world, write_world

DEMO_SEED = 11
DEMO_URL = "http://127.0.0.1:8000"


def should_serve(*, no_serve: bool, stdout: Any) -> bool:
    """Serve the demo at the end only for a person at a terminal (CI has none) who did not opt out.

    ``stdout`` is the command's own output: a test that captures it never starts a server.
    """
    return not no_serve and sys.stdin.isatty() and bool(stdout.isatty())


def _n(x: float, digits: int = 0) -> str:
    """Indonesian number format: 1.234.567,8."""
    return format_number(x, digits, "id")


class Command(BaseCommand):
    help = (
        "Siapkan basis data demo (dunia sintetis) dan jalankan pekerjaan utama. / "
        "Build the demo database (a synthetic world) and run the main job."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument(
            "--scale", default="kabupaten", help="kabupaten (default) or kecil (for quick checks)"
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Do not serve the demo at the end (it is served only on a terminal anyway).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.MUTU_HOME.mkdir(parents=True, exist_ok=True)
        db = settings.DATABASES["default"]
        self.stdout.write(
            f"Basis data / database: {connection.vendor} ({db.get('HOST') or db['NAME']})"
        )
        call_command("migrate", interactive=False, verbosity=0)
        for table, change in reference_data_load().items():
            self.stdout.write(f"  {table:<18} {change}")
        self._rulebooks()
        self._world(options["seed"], options["scale"], verbose=options["verbosity"] > 1)
        self._summary()
        results = self._evaluate()
        self._indices(results)
        self._report()
        self._accounts()
        self.stdout.write(self.style.SUCCESS("Demo siap / demo ready."))
        if should_serve(no_serve=options["no_serve"], stdout=self.stdout):
            self.stdout.write(
                f"\nBuka / open {DEMO_URL} dan masuk dengan salah satu akun di atas / "
                "and sign in with one of the accounts above."
            )
            call_command("serve", host="127.0.0.1", port="8000")

    def _accounts(self) -> None:
        self.stdout.write("\nAkun demo (hanya untuk demo) / demo accounts (demo only):")
        for account in demo_accounts_create():
            self.stdout.write(
                f"  {account.role:<14} {account.username:<14} {account.password}  {account.covers}"
            )
        self._participant_forms()

    def _participant_forms(self) -> None:
        """Open forms for the demo participant (links only, no answers) and print their links."""
        employee_id = (
            RoleAssignment.objects.filter(role=Role.PARTICIPANT, is_demo=True)
            .values_list("employee_id", flat=True)
            .first()
        )
        if employee_id is None:
            return
        today = timezone.localdate()
        try:
            demo_forms_open(employee_id=employee_id, today=today)
        except MutuValueError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(
            "\nIsian terbuka untuk demo-peserta (tautan pribadi) / "
            "open forms for demo-peserta (personal links):"
        )
        for link in person_links(employee_id, today):
            if link.state == LinkState.OPEN and link.role == LinkRole.PARTICIPANT:
                self.stdout.write(
                    f"  {link.instrument} · {link.activity}, s.d./until "
                    f"{link.closes_on:%Y-%m-%d}\n    {link_url(DEMO_URL, link.token)}"
                )

    def _rulebooks(self) -> None:
        today = date.today()
        self.stdout.write(f"Rulebook yang berlaku / rulebooks in force on {today.isoformat()}:")
        for name in sorted({b.name for b in rulebooks.available()}):
            book = rulebooks.load(name, today)
            self.stdout.write(
                f"  {book.label:<18} {len(book.keys()):>3} nilai/values, "
                f"{len(book.unconfirmed_keys()):>3} belum terkonfirmasi/unconfirmed"
            )

    def _world(self, seed: int, scale: str, *, verbose: bool) -> None:
        folder = settings.MUTU_HOME / "world"
        world = generate_world(seed=seed, scale=parse_scale(scale), scenario="baseline")
        write_world(world, folder)
        self.stdout.write(
            f"Dunia sintetis / synthetic world (seed {seed}, {scale}, baseline) → {folder}\n"
            "  DATA CONTOH, BUKAN DATA NYATA ACEH TENGGARA / SYNTHETIC, NOT ACEH TENGGARA'S DATA"
        )
        if loaded_world(folder) is not None:
            self.stdout.write("  sudah dimuat / already loaded")
            return
        try:
            report = world_load(directory=folder)
        except WorldLoadError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(
            f"  dimuat / loaded: {_n(report.total_rows)} baris/rows, {report.seconds:.1f} s"
        )
        if verbose:
            for line in describe(report):
                self.stdout.write(line)

    def _evaluate(self) -> dict[str, Any]:
        out = settings.MUTU_HOME / "output"
        path = out / "evaluasi.json"
        call_command("evaluate", json=path, stdout=StringIO())
        results: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.stdout.write(f"\nEvaluasi / evaluation → {path}")
        self.stdout.write("Estimasi utama (IK 95%) / headline estimates (95% CI):")
        for name, label in ESTIMAND_LABELS.items():
            e = results["estimands"].get(name) or {}
            if e.get("estimate") is None:
                self.stdout.write(f"  {label}: tidak ada data / no data")
                continue
            mark = " *" if e.get("significant") else ""
            self.stdout.write(
                f"  {label}: {_n(e['estimate'], 2)} [{_n(e['ci_low'], 2)}; {_n(e['ci_high'], 2)}]"
                f"{mark}"
            )
        self.stdout.write("  * signifikan setelah koreksi Holm / significant after Holm correction")
        return results

    def _indices(self, results: dict[str, Any]) -> None:
        indices = results.get("indices") or {}
        regency = indices.get("regency") or {}
        if not regency:
            return
        year = max(regency, key=int)
        this = regency[year]
        ip = this.get("ip_asn") or {}
        jp = this.get("jp") or {}
        self.stdout.write(f"\nIndeks ASN {year} / ASN indices {year}:")
        if ip.get("mean_total") is not None:
            self.stdout.write(
                f"  IP ASN rata-rata / mean: {_n(ip['mean_total'], 2)} ({ip.get('band_label')})"
            )
        if jp.get("share_pns_compliant") is not None:
            self.stdout.write(
                "  PNS memenuhi 20 JP / PNS meeting 20 JP: "
                f"{_n(100 * jp['share_pns_compliant'], 1)}%"
            )
        by_kind = (indices.get("skm_by_unit_kind") or {}).get(year) or {}
        for kind, row in sorted(by_kind.items()):
            self.stdout.write(
                f"  IKM {kind}: {_n(row['ikm'], 2)} ({row.get('grade')}, n = {row.get('n')})"
            )

    def _report(self) -> None:
        out = settings.MUTU_HOME / "output"
        self.stdout.write("\nLaporan / report:")
        for lang in ("id", "en"):
            buffer = StringIO()
            call_command("report", lang=lang, out=out, stdout=buffer)
            for line in buffer.getvalue().splitlines():
                if line.startswith(str(out)):
                    self.stdout.write(f"  {line}")

    def _summary(self) -> None:
        out = self.stdout.write
        counts = employee_counts_frame()
        out("\nASN menurut status dan jenis unit / ASN by status and kind of unit:")
        counts["group"] = counts["status"] + counts["employment_type"].map(
            {"": "", "full_time": " penuh waktu", "part_time": " paruh waktu"}
        )
        table = counts.pivot_table(index="unit_kind", columns="group", values="n", aggfunc="sum")
        table = table.fillna(0).astype(int)
        table["jumlah"] = table.sum(axis=1)
        out(_indent(table.to_string()))
        out(f"  jumlah ASN / total ASN: {_n(counts['n'].sum())}")

        acts = activity_counts_frame()
        out("\nKegiatan menurut bentuk pengembangan / activities by form of development:")
        by_form = acts.pivot_table(index="form", columns="year", values="n", aggfunc="sum")
        out(_indent(by_form.fillna(0).astype(int).to_string()))

        jp = jp_delivered_frame()
        out("\nJP yang diakui (disetujui) / JP credited (approved), per tahun / per year:")
        table = jp.pivot_table(index="year", columns="source", values="jp", aggfunc="sum").fillna(0)
        out(_indent(table.map(_n).to_string()))

        money = budget_frame()
        out("\nAnggaran / budget (Rp): rencana / planned, realisasi / spent, serapan / absorption")
        for year, planned, spent, absorption in zip(
            money["year"], money["planned"], money["spent"], money["absorption"], strict=True
        ):
            out(f"  {year}: Rp {_n(planned)}  ·  Rp {_n(spent)}  ·  {_n(100 * absorption, 1)}%")


ESTIMAND_LABELS = {
    "learning_gain": "Peningkatan nilai tes (poin 0–100) / learning gain (points)",
    "workplan_quality_att": "Efek pada kualitas rencana kerja (1–5) / work-plan quality effect",
    "ikm_att": "Efek pada IKM (poin) / effect on the IKM (points)",
    "incentive_attendance_effect": "Efek insentif pada kehadiran (poin %) / incentive effect (pp)",
    "magang_months_to_proficiency_diff": "Selisih bulan hingga kompeten (magang) / months diff",
}


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
