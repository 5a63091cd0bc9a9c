from django.core.management.base import BaseCommand, CommandError

from actionplan.models import ActionPlan, Jurisdiction
from actionplan.planfile import export_jurisdiction


class Command(BaseCommand):
    help = (
        "Write a jurisdiction as a plan file (the format import_plan reads). Given a plan slug "
        "instead, write that plan's jurisdiction with only that plan and the stakeholder groups "
        "not tied to another plan. Output is deterministic: export, import, export gives the "
        "same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="jurisdiction slug, or a plan slug")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, slug, output, **options):
        jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
        plan = None
        if jurisdiction is None:
            plan = ActionPlan.objects.select_related("jurisdiction").filter(slug=slug).first()
            if plan is None:
                raise CommandError(f"no jurisdiction or plan with the slug {slug!r}")
            jurisdiction = plan.jurisdiction
        text = export_jurisdiction(jurisdiction, plan=plan)
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            scope = f"plan {plan.slug}" if plan else f"jurisdiction {jurisdiction.slug}"
            self.stdout.write(f"{output}: wrote {scope}")
        else:
            self.stdout.write(text, ending="")
