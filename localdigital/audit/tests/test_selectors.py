import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from localdigital.accounts.tests.factories import UserFactory
from localdigital.audit.selectors import (
    AuditFilters,
    audit_event_get,
    audit_event_list,
    audit_log_access,
)
from localdigital.audit.tests.factories import make_event
from localdigital.organisations.tests.factories import OrganisationFactory


def test_events_come_newest_first(db):
    older = make_event(when=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    newer = make_event(when=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    assert list(audit_event_list()) == [newer, older]


def test_action_filter_matches_from_the_start_so_an_area_finds_all_its_actions(db):
    approve = make_event(action="membership.approve")
    decline = make_event(action="membership.decline")
    make_event(action="organisation.create")
    found = set(audit_event_list(filters=AuditFilters(action="membership")))
    assert found == {approve, decline}


def test_person_filter_matches_part_of_the_email_address_in_any_case(db):
    ada = UserFactory(email="ada.lovelace@hackney.gov.uk")
    grace = UserFactory(email="grace.hopper@camden.gov.uk")
    mine = make_event(actor=ada)
    make_event(actor=grace)
    found = list(audit_event_list(filters=AuditFilters(actor_email="LOVELACE@HACKNEY")))
    assert found == [mine]


def test_organisation_filter_matches_the_code_exactly_in_any_case(council, other_council):
    ours = make_event(organisation=council)
    make_event(organisation=other_council)
    make_event(organisation=OrganisationFactory(code="HCKX"))
    assert list(audit_event_list(filters=AuditFilters(organisation_code="hck"))) == [ours]


def test_date_filters_include_whole_uk_days_at_both_ends(db):
    # 1 June is in British Summer Time: the day starts at 23:00 UTC on 31 May.
    make_event(when=dt.datetime(2026, 5, 31, 22, 59, tzinfo=dt.UTC))
    first = make_event(when=dt.datetime(2026, 5, 31, 23, 0, tzinfo=dt.UTC))
    last = make_event(when=dt.datetime(2026, 6, 2, 22, 59, tzinfo=dt.UTC))
    make_event(when=dt.datetime(2026, 6, 2, 23, 0, tzinfo=dt.UTC))
    filters = AuditFilters(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 2))
    assert list(audit_event_list(filters=filters)) == [last, first]


def test_only_programme_staff_may_read_the_log(member, org_admin, programme_staff):
    for user in (AnonymousUser(), member, org_admin):
        with pytest.raises(Http404):
            audit_log_access(user)
    audit_log_access(programme_staff)


def test_an_event_is_found_for_staff_and_missing_events_are_404(programme_staff, member):
    event = make_event()
    assert audit_event_get(user=programme_staff, pk=event.pk) == event
    with pytest.raises(Http404):
        audit_event_get(user=programme_staff, pk=event.pk + 1)
    with pytest.raises(Http404):
        audit_event_get(user=member, pk=event.pk)
