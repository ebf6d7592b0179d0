"""The Django admin shows frameworks but never changes them."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from localdigital.accounts.tests.factories import UserFactory
from localdigital.frameworks.models import Framework, Node, Profile


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Framework, Node, Profile])
def test_the_admin_can_view_frameworks_but_not_add_change_or_delete_them(model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}
