"""The three demo cases, their agencies and the evidence items (folders and archives) in each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CasePlan:
    name: str
    agency: str
    folder: str  # relative to the output folder
    evidence: tuple[str, ...]  # evidence items inside ``folder``: device folders and archives
    country: str | None = None  # the agency's country (ISO 3166-1 alpha-2)

    def item(self, evidence: str) -> str:
        """The output-relative path of one evidence item."""
        if evidence not in self.evidence:
            raise KeyError(evidence)
        return f"{self.folder}/{evidence}"


LANTERN = CasePlan(
    "Operation Lantern",
    "Agency NL",
    "operation-lantern",
    ("sd-card-01", "laptop-export", "phone-export.zip"),
    "NL",
)
BIRCH = CasePlan(
    "Case Birch",
    "Agency DE",
    "case-birch",
    ("iphone-backup", "usb-stick", "cloud-takeout.tar.gz"),
    "DE",
)
CEDAR = CasePlan(
    "Case Cedar",
    "Agency FR",
    "case-cedar",
    ("desktop", "sd-card-a", "sd-card-b", "messenger-export.zip"),
    "FR",
)
CASES = (LANTERN, BIRCH, CEDAR)

# Folders the series plan and the clutter drop files into. Members of an archive are addressed
# as "<archive>!/<member>", the notation the ground truth uses too.
L_SD = LANTERN.item("sd-card-01")
L_HOME = LANTERN.item("laptop-export") + "/Users/mark"
L_PHONE = LANTERN.item("phone-export.zip") + "!"
B_IPHONE = BIRCH.item("iphone-backup")
B_USB = BIRCH.item("usb-stick")
B_TAKEOUT = BIRCH.item("cloud-takeout.tar.gz") + "!/Takeout/Google Photos"
C_DESKTOP = CEDAR.item("desktop")
C_SD_A = CEDAR.item("sd-card-a")
C_SD_B = CEDAR.item("sd-card-b")
C_MESSENGER = CEDAR.item("messenger-export.zip") + "!"

ARCHIVES = (
    LANTERN.item("phone-export.zip"),
    BIRCH.item("cloud-takeout.tar.gz"),
    CEDAR.item("messenger-export.zip"),
)
