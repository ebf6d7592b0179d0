"""Assigning a cycle's independent assurer: programme staff only, never someone from the same
council, who is told by notification and email."""

from typing import Any

from django.db import transaction
from django.urls import reverse

from localdigital.audit.services import event_log
from localdigital.core.access import is_programme_staff
from localdigital.core.exceptions import ApplicationError
from localdigital.cyber.models import Assessment, Cycle
from localdigital.notifications.services import notification_create
from localdigital.organisations.models import Membership

NOT_STAFF = "Only programme staff can assign an assurer"
ASSURER_REQUIRED = "Enter the email address of someone with an account on the Hub"
SAME_COUNCIL = (
    "{person} is a member of {council}, or has asked to join it: choose an assurer from "
    "outside the council"
)
ALREADY_ASSURER = "{person} is already the assurer of this cycle"
INACTIVE = "{person}’s account is not active: choose someone else"


@transaction.atomic
def cycle_assign_assurer(*, actor: Any, cycle: Cycle, assurer: Any) -> Cycle:
    """Assign (or change) the cycle's independent assurer and notify them.

    Refused when the person is an active or pending member of the cycle's council."""
    if not is_programme_staff(actor):
        raise ApplicationError(NOT_STAFF)
    if assurer is None:
        raise ApplicationError(ASSURER_REQUIRED, field="email")
    cycle = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("organisation", "assurer")
        .get(pk=cycle.pk)
    )
    person = assurer.email
    if not assurer.is_active:
        raise ApplicationError(INACTIVE.format(person=person), field="email")
    if cycle.assurer_id == assurer.pk:
        raise ApplicationError(ALREADY_ASSURER.format(person=person), field="email")
    related = Membership.objects.filter(
        user=assurer,
        organisation=cycle.organisation,
        status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING],
    ).exists()
    if related:
        raise ApplicationError(
            SAME_COUNCIL.format(person=person, council=cycle.organisation.short_name),
            field="email",
        )
    previous = cycle.assurer
    cycle.assurer = assurer
    cycle.assurer_assigned_by = actor
    cycle.save(update_fields=["assurer", "assurer_assigned_by", "updated_at"])
    event_log(
        actor=actor,
        action="cyber.assign_assurer",
        summary=f"Assigned {person} as the assurer of {cycle}",
        obj=cycle,
        organisation=cycle.organisation,
        data={
            "assurer": person,
            "previous_assurer": previous.email if previous else "",
        },
    )
    first = (
        Assessment.objects.filter(cycle=cycle)
        .order_by("kind", "pk")  # the organisation assessment first
        .values_list("pk", flat=True)
        .first()
    )
    url = reverse("cyber:workflow", kwargs={"pk": first}) if first else ""
    notification_create(
        recipient=assurer,
        kind="cyber.assurer_assigned",
        title=f"You are the independent assurer of {cycle.organisation.short_name}’s "
        f"{cycle.year}/{(cycle.year + 1) % 100:02d} CAF cycle",
        body="When the council submits an assessment, review each outcome and say whether "
        "you agree with the council’s judgement.",
        url=url,
        organisation=cycle.organisation,
    )
    return cycle
