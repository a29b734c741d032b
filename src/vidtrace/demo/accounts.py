"""The demo's workbench accounts and the taskforce operation its three agencies share.

The passwords are printed by ``vidtrace demo``: they guard a synthetic benign case on the
user's own machine, never real evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from vidtrace.bootstrap import App
from vidtrace.domain.viewer import Role

OPERATION = "Demo Taskforce"
ACTOR = "vidtrace-demo"


@dataclass(frozen=True)
class DemoLogin:
    name: str
    password: str
    role: Role
    agency: str | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "password": self.password,
            "role": self.role.value,
            "agency": self.agency,
        }


# Trace an Object: two reviewers approve what the analyst proposes (four eyes); the moderator
# works the tips from the public.
REVIEWERS = ("reviewer1", "reviewer2")


def demo_logins(first_agency: str) -> tuple[DemoLogin, ...]:
    return (
        DemoLogin("analyst", "demo-analyst-pass", Role.ANALYST, first_agency),
        DemoLogin("admin", "demo-admin-pass", Role.ADMIN, None),
        *(DemoLogin(name, "demo-reviewer-pass", Role.REVIEWER, first_agency) for name in REVIEWERS),
        DemoLogin("moderator", "demo-moderator-pass", Role.MODERATOR, first_agency),
    )


def set_up_demo_accounts(app: App, cases: list[tuple[str, str]]) -> tuple[DemoLogin, ...]:
    """Share every ``(case, agency)`` with the taskforce operation, every agency taking part,
    and create the demo logins that are missing (an existing account is left as it is)."""
    sharing = app.sharing()
    sharing.add_operation(OPERATION, ACTOR)
    for case, agency in cases:
        sharing.join(OPERATION, agency, ACTOR)
        sharing.share_case(case, OPERATION, ACTOR)
    users = app.users()
    existing = {user["name"] for user in users.list()}
    logins = demo_logins(cases[0][1])
    for login in logins:
        if login.name not in existing:
            users.add(login.name, login.password, login.role, login.agency, ACTOR)
    return logins
