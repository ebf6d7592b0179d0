"""`python manage.py seed_demo`: demo people for every role in four real councils, and their
demo data (the estate's generated systems, CAF cycles at every stage: see cyber/demo.py).

Safe to rerun: every record is looked up by a natural key and only changed when it differs.
Run it after `load_reference_data`, which creates the councils. Refuses production settings.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from localdigital.accounts import demo
from localdigital.accounts.models import User
from localdigital.audit.services import event_log
from localdigital.catalogue.seed import seed_catalogue
from localdigital.cyber.demo import seed_cyber_demo
from localdigital.declaration.seed import signatories_import
from localdigital.estate.demo import seed_estate_demo
from localdigital.estate.seed import seed_estate
from localdigital.organisations.models import Membership, Organisation, OrganisationDomain
from localdigital.pipeline.seed import seed_fund_projects

CYBER_ROLE_NAMES = {
    "lead": "CAF lead",
    "contributor": "CAF contributor",
    "approver": "CAF approver",
}


def refuse_production() -> None:
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if module.endswith(".production") or module.endswith("settings.production"):
        raise CommandError(
            "seed_demo creates people with a published password: it never runs under "
            "production settings."
        )


class Command(BaseCommand):
    help = "Create demo people for every role in a few real councils (local use only)."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_production()
        organisations = {
            o.code: o for o in Organisation.objects.filter(code__in=demo.DEMO_COUNCILS)
        }
        missing = sorted(set(demo.DEMO_COUNCILS) - set(organisations))
        if missing:
            raise CommandError(
                f"The councils {', '.join(missing)} are not in the database. "
                "Run `python manage.py load_reference_data` first, then seed_demo again."
            )
        with transaction.atomic():
            changes = self._seed(organisations)
            changes += signatories_import(warn=self.stderr.write).signings_created
            fund = seed_fund_projects()
            changes += fund.created + fund.updated
            catalogue = seed_catalogue()
            changes += catalogue.created + catalogue.updated
            # The real committee-management and planning-portal systems of every council.
            changes += seed_estate()["systems_created"]
            # Generated (is_demo) systems for the functions no public data covers.
            changes += sum(seed_estate_demo().values())
            # CAF cycles at every stage for the demo councils, on the systems above, and
            # generated (is_demo) cycles for about 60 other councils so the benchmark shows.
            changes += sum(seed_cyber_demo().values())
            if changes:
                event_log(
                    actor=None,
                    action="demo.seed",
                    summary=f"seed_demo made {changes} changes",
                    data={"changes": changes},
                )
        self._report(changes, organisations)

    def _seed(self, organisations: dict[str, Organisation]) -> int:
        changes = 0
        for code, domain in demo.DEMO_COUNCILS.items():
            organisation = organisations[code]
            if organisation.allow_automatic_joining:
                organisation.allow_automatic_joining = False
                organisation.save(update_fields=["allow_automatic_joining", "updated_at"])
                changes += 1
            record, created = OrganisationDomain.objects.get_or_create(
                domain=domain, defaults={"organisation": organisation}
            )
            changes += created
            if record.organisation_id != organisation.pk:
                self.stderr.write(
                    f"The domain {domain} belongs to {record.organisation}; left as it is."
                )
        for person in demo.DEMO_PEOPLE:
            changes += self._person(person, organisations)
        return changes

    def _person(self, person: demo.DemoPerson, organisations: dict[str, Organisation]) -> int:
        changes = 0
        user = User.objects.filter(email=person.email).first()
        wanted = {
            "full_name": person.full_name,
            "job_title": person.job_title,
            "is_programme_staff": person.programme_staff,
            "is_assessor": person.assessor,
            "is_active": True,
        }
        if user is None:
            user = User.objects.create_user(
                email=person.email,
                password=demo.DEMO_PASSWORD,
                email_verified_at=timezone.now(),
                **wanted,
            )
            changes += 1
        else:
            stale = [k for k, v in wanted.items() if getattr(user, k) != v]
            if user.email_verified_at is None:
                user.email_verified_at = timezone.now()
                stale.append("email_verified_at")
            if not user.check_password(demo.DEMO_PASSWORD):
                user.set_password(demo.DEMO_PASSWORD)
                stale.append("password")
            for key in stale:
                if key in wanted:
                    setattr(user, key, wanted[key])
            if stale:
                user.save(update_fields=stale)
                changes += 1
        if person.council:
            changes += self._membership(user, person, organisations[person.council])
        if person.needs_two_factor:
            changes += self._device(user)
        return changes

    def _membership(self, user: User, person: demo.DemoPerson, organisation: Organisation) -> int:
        status = Membership.Status.PENDING if person.pending else Membership.Status.ACTIVE
        wanted = {"role": person.role or Membership.Role.MEMBER, "status": status}
        if person.pending:
            wanted["request_note"] = "I work on the digital team and would like to join."
        membership = Membership.objects.filter(user=user, organisation=organisation).first()
        if membership is None:
            Membership.objects.create(
                user=user,
                organisation=organisation,
                decided_at=None if person.pending else timezone.now(),
                **wanted,
            )
            return 1
        stale = [k for k, v in wanted.items() if getattr(membership, k) != v]
        if not stale:
            return 0
        for key in stale:
            setattr(membership, key, wanted[key])
        membership.save(update_fields=[*stale, "updated_at"])
        return 1

    def _device(self, user: User) -> int:
        device = TOTPDevice.objects.filter(user=user, name=demo.DEMO_DEVICE_NAME).first()
        if device is None:
            TOTPDevice.objects.create(
                user=user, name=demo.DEMO_DEVICE_NAME, key=demo.DEMO_TOTP_KEY_HEX, confirmed=True
            )
            return 1
        if device.key != demo.DEMO_TOTP_KEY_HEX or not device.confirmed:
            device.key = demo.DEMO_TOTP_KEY_HEX
            device.confirmed = True
            device.save(update_fields=["key", "confirmed"])
            return 1
        return 0

    def _report(self, changes: int, organisations: dict[str, Organisation]) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({changes} changes)."))
        self.stdout.write(f"Every demo person's password (local use only): {demo.DEMO_PASSWORD}")
        self.stdout.write(
            "Two-factor key for people marked 2FA (add it to an authenticator app, or run "
            f"`python manage.py demo_totp <email>`): {demo.DEMO_TOTP_KEY_BASE32}"
        )
        for person in demo.DEMO_PEOPLE:
            if person.programme_staff:
                role = "programme staff"
            elif person.assessor:
                role = "assessor"
            elif person.pending:
                name = organisations[person.council].short_name
                role = f"asked to join {name} ({person.council}), waiting for approval"
            else:
                name = organisations[person.council].short_name
                role = f"{person.role} of {name} ({person.council})"
            if person.cyber_role:
                role += f", {CYBER_ROLE_NAMES.get(person.cyber_role, person.cyber_role)}"
            flag = "  [2FA]" if person.needs_two_factor else ""
            self.stdout.write(f"  {person.email:40} {role}{flag}")
