"""A synthetic, benign demo evidence set with an exact ground truth.

``build_demo_evidence(out_dir, seed)`` writes three cases of generated rooms and photos that ship
inside scikit-image (with their edited copies, EXIF, videos, archives, exact duplicates, corrupt
files and distractors) plus ``ground-truth.json``, and returns a :class:`DemoManifest`.
"""

from vidtrace.demo.builder import DemoCase, DemoCounts, DemoManifest, build_demo_evidence

__all__ = ["DemoCase", "DemoCounts", "DemoManifest", "build_demo_evidence"]
