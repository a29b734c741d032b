"""Proposing an object: the sanitised rendering is made now, kept in the vault, and stored with
the proposal, so the reviewers approve exactly the bytes that would be published."""

from __future__ import annotations

import secrets

from vidtrace.domain.viewer import Viewer
from vidtrace.publish.crop_geometry import CropRegion
from vidtrace.publish.object_text import ObjectText
from vidtrace.publish.sanitiser import SanitiseError, sanitise_file
from vidtrace.store.object_proposals import ObjectDraft, ObjectError, ObjectProposals
from vidtrace.store.vault import Vault


class ObjectProposer:
    def __init__(self, proposals: ObjectProposals, vault: Vault) -> None:
        self.proposals = proposals
        self.vault = vault

    def propose(self, viewer: Viewer, sha256: str, text: ObjectText, region: CropRegion) -> int:
        """Render and store a proposal on media item ``sha256``; its id. ObjectNotFound when
        the viewer may not see the item; ObjectError or SanitiseError (the message is for
        the analyst) when it cannot be proposed."""
        source = self.proposals.picture_source(viewer, sha256)
        if not self.vault.exists(source.vault_sha256):
            raise ObjectError("no copy of this picture is kept in the vault to cut it from")
        try:
            crop = sanitise_file(
                self.vault.path_for(source.vault_sha256), source.mime, region, source.size
            )
        except SanitiseError as error:
            raise ObjectError(str(error)) from error
        image = self.vault.put_bytes(crop.webp)
        draft = ObjectDraft(
            media_sha256=sha256,
            title=text.title,
            description=text.description,
            questions=text.questions,
            category=text.category,
            box=region.box,
            polygon=region.polygon,
            outside=region.outside,
            image_sha256=image,
        )
        # Random, so nothing the public sees derives from the evidence (ADR 008).
        return self.proposals.propose(viewer, draft, secrets.token_hex(16))
