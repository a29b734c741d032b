"""Publishing approved objects to the portal and withdrawing them (ADR 008).

On the second approval the sanitised rendering kept in the vault (the bytes the reviewers saw)
is sent with the public text. The object is ``published`` only once the portal accepted it;
when the portal cannot be reached it stays ``approved``, the attempt is audited, and a later
:meth:`Publisher.publish` (the "retry publication" button, ``vidtrace objects publish``) sends
it again: the portal's PUT is idempotent. A withdrawal asks the portal first and is recorded
only once the portal removed the object.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from vidtrace.domain.viewer import Viewer
from vidtrace.publish.portal_client import PortalClient, PortalError, PublicObject
from vidtrace.store.models import utcnow
from vidtrace.store.object_proposals import ObjectError, ObjectProposals
from vidtrace.store.object_queries import ObjectQueries
from vidtrace.store.vault import Vault

log = logging.getLogger(__name__)

PortalFactory = Callable[[], PortalClient]
"""Makes a client of the portal's sync API (the workbench's ``WebServices.portal``); tests
hand in one over a fake transport."""


class WithdrawError(RuntimeError):
    """The portal could not remove the object: it is still published. The message says why."""


@dataclass(frozen=True)
class Publication:
    """The outcome of an approval or a publication attempt."""

    object_id: int
    # proposed (one approval so far), approved (publication pending), published; or
    # "unchanged" for a retry that found the object no longer approved
    status: str
    error: str | None = None  # why the portal did not take it

    @property
    def pending(self) -> bool:
        return self.status == "approved"


class Publisher:
    def __init__(self, proposals: ObjectProposals, vault: Vault, portal: PortalFactory) -> None:
        self.proposals = proposals
        self.vault = vault
        self.portal = portal

    def approve(self, viewer: Viewer, object_id: int) -> Publication:
        """Record the viewer's approval; the second one publishes."""
        status = self.proposals.approve(viewer, object_id)
        if status != "approved":
            return Publication(object_id, status)
        return self.publish(object_id, viewer.name)

    def publish(self, object_id: int, actor: str) -> Publication:
        """Send an approved object to the portal. A portal that cannot be reached (or
        refuses) leaves it approved: the outcome says why. ObjectError when it is not
        approved."""
        item = self.proposals.publishable(object_id)
        if not self.vault.exists(item.image_sha256):
            raise ObjectError(f"object {object_id}'s rendering is missing from the vault")
        image = self.vault.read_bytes(item.image_sha256)
        if hashlib.sha256(image).hexdigest() != item.image_sha256:
            raise ObjectError(f"the vault copy of object {object_id}'s rendering is damaged")
        at = utcnow()
        public = PublicObject(
            public_id=item.public_id,
            title=item.title,
            description=item.description,
            questions=item.questions,
            category=item.category,
            image_webp=image,
            published_at=at,
        )
        try:
            with self.portal() as client:
                client.publish(public)
        except PortalError as error:
            self.proposals.record_publish_failure(object_id, actor, str(error))
            return Publication(object_id, "approved", str(error))
        try:
            self.proposals.mark_published(object_id, actor, at)
        except ObjectError:
            # Rejected or withdrawn while it was on its way: take it straight back down.
            self._take_down(item.public_id)
            raise
        return Publication(object_id, "published")

    def publish_pending(self, actor: str) -> list[Publication]:
        """Retry every approved object the portal has not taken yet."""
        outcomes = []
        for object_id in ObjectQueries(self.proposals.engine).awaiting_publication():
            try:
                outcomes.append(self.publish(object_id, actor))
            except ObjectError as error:  # changed status meanwhile
                outcomes.append(Publication(object_id, "unchanged", str(error)))
        return outcomes

    def withdraw(self, viewer: Viewer, object_id: int, reason: str) -> None:
        """Remove an object from the portal, then mark it withdrawn with ``reason``.
        WithdrawError when the portal cannot be reached: nothing changes."""
        if not reason.strip():
            raise ObjectError("say why you withdraw it: the reason is kept with the object")
        public_id = self.proposals.check_withdrawable(viewer, object_id)
        try:
            with self.portal() as client:
                client.withdraw(public_id)
        except PortalError as error:
            raise WithdrawError(f"{error}; object {object_id} is still on the portal") from error
        self.proposals.withdraw(viewer, object_id, reason)

    def _take_down(self, public_id: str) -> None:
        try:
            with self.portal() as client:
                client.withdraw(public_id)
        except PortalError:
            log.exception("object %s could not be taken back down from the portal", public_id)
