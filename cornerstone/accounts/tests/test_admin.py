"""The Django admin is for operators only: user management, never the ledger."""

import pytest
from django.contrib import admin

from cornerstone.core.testing.factories import UserFactory
from cornerstone.projects.models import Project


@pytest.mark.django_db
def test_region_admin_is_not_let_into_django_admin(client, cast):
    client.force_login(cast.province_admin)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_superuser_manages_users_with_role_and_region(client, cast):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get(f"/admin/accounts/user/{cast.xiaodian_admin.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="role"' in content and 'name="region"' in content


def test_the_ledger_is_not_editable_in_django_admin():
    # Projects change only through services, which check scope and write the audit trail.
    assert not admin.site.is_registered(Project)
