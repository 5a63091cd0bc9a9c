from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actionplan.models import ActionPlan, Institution
from portal.accounts import create_demo_accounts


class Command(BaseCommand):
    help = (
        "Create the demo accounts admin, coordinator, staff, staff2, board and monitor, all with "
        "the password 'demo', for a plan loaded by import_plan. Only with DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="ap-og-24-26", help="slug of the plan")
        parser.add_argument(
            "--staff-institution",
            default="participation-innovation-department",
            help="slug of the institution `staff` works for",
        )
        parser.add_argument(
            "--staff2-institution",
            default="city-architect-office",
            help="slug of the institution `staff2` works for",
        )

    def handle(self, *args, plan, staff_institution, staff2_institution, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create accounts with the known password 'demo' while DEBUG is off."
            )
        try:
            plan = ActionPlan.objects.select_related("jurisdiction").get(slug=plan)
        except ActionPlan.DoesNotExist:
            raise CommandError(f"No plan {plan!r}: run import_plan first.") from None
        institutions = []
        for slug in (staff_institution, staff2_institution):
            try:
                institutions.append(plan.jurisdiction.institutions.get(slug=slug))
            except Institution.DoesNotExist:
                raise CommandError(f"No institution {slug!r} in {plan.jurisdiction}.") from None
        results = create_demo_accounts(plan, *institutions)
        created = [name for name, new in results if new]
        self.stdout.write(
            f"Demo accounts for {plan.code} (password 'demo'): "
            + ", ".join(name for name, _new in results)
            + (f"; created {len(created)}." if created else "; all existed and were reset.")
        )
