"""`balai plan PROGRAM_SLUG --pemda SLUG --start YYYY-MM-DD --end YYYY-MM-DD [--wait]`.

Queues a plan run for the worker (like the staff plan form); with `--wait` it runs the planner
here and prints the result.
"""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from balai.organizations.models import Pemda
from balai.outreach.models import Program
from balai.outreach.services import plan_run_create
from balai.outreach.tasks import _progress_writer, plan_run_apply


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Plan a program's events for a period (queued for the worker, or --wait)."

    def add_arguments(self, parser):
        parser.add_argument("program", help="the program's slug")
        parser.add_argument("--pemda", required=True, help="the Pemda's slug")
        parser.add_argument("--start", required=True, type=_date)
        parser.add_argument("--end", required=True, type=_date)
        parser.add_argument("--weights", default="", help='JSON, e.g. {"remoteness": 1}')
        parser.add_argument("--wait", action="store_true", help="run here and print the result")

    def handle(self, *args, **options):
        program = (
            Program.objects.select_related("pemda")
            .filter(pemda__slug=options["pemda"], slug=options["program"])
            .first()
        )
        if program is None:
            if not Pemda.objects.filter(slug=options["pemda"]).exists():
                raise CommandError(f"No Pemda {options['pemda']}.")
            raise CommandError(f"No program {options['program']} in {options['pemda']}.")
        weights = None
        if options["weights"]:
            try:
                weights = json.loads(options["weights"])
            except json.JSONDecodeError as exc:
                raise CommandError("--weights must be a JSON object.") from exc
        try:
            run = plan_run_create(
                actor=None,
                program=program,
                period_start=options["start"],
                period_end=options["end"],
                weights=weights,
                enqueue=not options["wait"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not options["wait"]:
            self.stdout.write(f"Plan run {run.pk} queued for the worker.")
            return

        write = _progress_writer(run.pk)

        def progress(percent, message):
            write(percent, message)
            self.stdout.write(f"{percent:3d}% {message}")

        plan_run_apply(run, progress=progress)
        run.refresh_from_db()
        self.stdout.write(
            f"Plan run {run.pk}: {run.placed} events, {len(run.unplaced)} not placed, "
            f"solver {run.solver_status or '-'}, gap {run.gap or 0:.4f}, {run.wall_s or 0:.2f} s. "
            f"{run.message}"
        )
