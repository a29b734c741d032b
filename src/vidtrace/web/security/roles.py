"""Which role holds which permission. The one table every route check reads."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from vidtrace.domain.viewer import Permission, Role

PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.ADMIN: frozenset(Permission),
        Role.ANALYST: frozenset(
            {Permission.VIEW, Permission.REVEAL, Permission.ANNOTATE, Permission.DECIDE}
        ),
        Role.REVIEWER: frozenset(
            {Permission.VIEW, Permission.REVEAL, Permission.ANNOTATE, Permission.REVIEW_OBJECTS}
        ),
        Role.MODERATOR: frozenset({Permission.VIEW, Permission.MODERATE}),
        Role.READ_ONLY: frozenset({Permission.VIEW}),
    }
)


def allowed(role: Role, permission: Permission) -> bool:
    """Whether ``role`` may do ``permission``; an unknown role may do nothing."""
    return permission in PERMISSIONS.get(role, frozenset())
