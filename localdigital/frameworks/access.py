"""Access to framework pages. Framework structures are public; target profiles defined in the
Hub are written by programme staff only. (Helpers to move into core/access.py later.)"""

from typing import Any

from django.http import Http404

from localdigital.core.access import is_programme_staff
from localdigital.frameworks import selectors
from localdigital.frameworks.models import Framework, Profile


def access_framework(framework_id: str, version: str) -> Framework:
    """A framework version by id and version, for anyone; 404 when there is none."""
    framework = selectors.framework_get(framework_id, version)
    if framework is None:
        raise Http404("No such framework version")
    return framework


def access_framework_for_profile_staff(user: Any, framework_id: str, version: str) -> Framework:
    """A framework version whose profiles the person may define: programme staff only (404 for
    anyone else, as for other staff pages)."""
    if not is_programme_staff(user):
        raise Http404("No such page")
    return access_framework(framework_id, version)


def access_profile_for_staff(user: Any, framework: Framework, profile_id: str) -> Profile:
    """A profile defined in the Hub, for programme staff to change; 404 for anyone else and for
    a profile shipped in the framework file (which never changes)."""
    if not is_programme_staff(user):
        raise Http404("No such page")
    profile = framework.profiles.filter(profile_id=profile_id, origin=Profile.Origin.HUB).first()
    if profile is None:
        raise Http404("No such profile")
    return profile
