"""Steps the browser tests share."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from cornerstone.core.testing.factories import PASSWORD


def log_in(page: Any, username: str) -> None:
    """Log in through the login page, as a person does, and wait for the menu bar."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("whoami")).to_be_visible()
