"""Shared sample sets for clue extraction, with their expected answers: used by the tests and by
``bench/clues.py``, so both measure against the same ground truth."""

from __future__ import annotations

from pathlib import Path

import skimage.data
from PIL import Image

from vidtrace.clues.extractors.base import ClueSubject, Picture
from vidtrace.clues.extractors.gps import GpsExtractor
from vidtrace.clues.extractors.visible_text import VisibleTextExtractor
from vidtrace.domain.clue import Clue
from vidtrace.domain.media import CameraExif
from vidtrace.signals.exif import camera_exif
from vidtrace.signals.exif_reader import read_tags

# The country of every file of the exif-py corpus whose GPS the project's EXIF reader returns,
# worked out from the coordinates in exif-py's dump.txt (degrees, minutes, seconds and N/S/E/W).
# dump.txt also lists jpg/mobile/HMD_Nokia_8.3_5G_hdr.jpg (60°59'N 24°25'E, Finland) and
# jpg/tests/46_UnicodeEncodeError.jpg (51°25'N 0°40'W, England); neither is in the shared copy.
EXIF_GPS_COUNTRIES = {
    "heic/mobile/HMD_Nokia_8.3_5G.heif": "ES",  # 40°47'N 4°00'W, Sierra de Guadarrama
    "heic/mobile/HMD_Nokia_8.3_5G_hdr.heif": "ES",  # 40°39'N 3°45'W, south of Madrid
    "jpg/Kodak_CX7530.jpg": "KE",  # 0°22'S 36°03'E, near Nakuru
    "jpg/gps/DSCN0010.jpg": "IT",  # 43°28'N 11°53'E, Arezzo (the whole gps/ series)
    "jpg/gps/DSCN0012.jpg": "IT",
    "jpg/gps/DSCN0021.jpg": "IT",
    "jpg/gps/DSCN0025.jpg": "IT",
    "jpg/gps/DSCN0027.jpg": "IT",
    "jpg/gps/DSCN0029.jpg": "IT",
    "jpg/gps/DSCN0038.jpg": "IT",
    "jpg/gps/DSCN0040.jpg": "IT",
    "jpg/gps/DSCN0042.jpg": "IT",
    "jpg/hdr/iphone_hdr_NO.jpg": "ES",  # 40°26'N 3°43'W, Madrid
    "jpg/hdr/iphone_hdr_YES.jpg": "ES",
    "jpg/mobile/HMD_Nokia_8.3_5G.jpg": "FI",  # 60°08'N 24°54'E, Helsinki
    "jpg/tests/67-0_length_string.jpg": "DE",  # 51°01'N 7°35'E, Bergisches Land
    "jpg/tests/87_OSError.jpg": "IT",  # 43°47'N 11°14'E, Florence
    "jpg/tests/nikon_D3100_TypeError.jpg": "IT",  # 44°25'N 8°56'E, Genoa
    "jxl/test_0001.jxl": "US",  # 44°04'N 121°19'W, Bend, Oregon
}


def exif_gps_countries(shared_data: Path) -> dict[str, str]:
    """exif-py file (relative path) -> the country the GPS extractor gives, for every file whose
    GPS the project's EXIF reader returns."""
    root = shared_data / "exif" / "exif-py"
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in {".txt", ".rst", ""}:
            continue
        try:
            point = camera_exif(read_tags(path)).gps
        except Exception:  # the corpus holds deliberately broken files
            continue
        if point is None:
            continue
        subject = ClueSubject(sha256=path.name, kind="image", camera=CameraExif(gps=point))
        GpsExtractor().run(subject)
        for clue in subject.clues:
            found[path.relative_to(root).as_posix()] = max(clue.countries, key=clue.countries.get)
    return found


# Only the photos bundled inside scikit-image are read; its fetchers may download.
BUNDLED_PHOTOS = Path(skimage.data.__file__).parent
# Photos the text-likely check must reject.
PHOTOS_WITHOUT_TEXT = [
    "astronaut.png",  # a "USA" badge too small to read at this size
    "camera.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "horse.png",
    "moon.png",
    "grass.png",
    "gravel.png",
    "hubble_deep_field.jpg",
    "ihc.png",
    "motorcycle_left.png",
    "retina.jpg",
    "clock_motion.png",
    "cell.png",
    "microaneurysms.png",
    "color.png",
]
# Known false alarms of the check, left to OCR's quality rule (coins lie in rows like letters;
# the courses of a brick wall look like lines of text).
TEXT_LIKE_PHOTOS = ["brick.png", "coins.png"]

# The shared single-line OCR samples (../shared/data/ocr/rapidocr): file, Tesseract script model,
# language, the text (from the samples' upstream test), and the countries the language's clue
# must name (the list; English names too many countries to list).
OCR_LINES = [
    ("cyrillic.png", "Cyrillic", "sr", "Време је лепо данас.", {"RS"}),
    ("devanagari_rec.png", "Devanagari", "hi", "आज मौसम अच्छा है।", {"IN"}),
    ("ta.png", "Tamil", "ta", "இன்னைக்கு வானிலை ராம்ப நல்லா இருக்கு.", {"IN", "LK"}),
    ("te.png", "Telugu", "te", "ఈరోజ వాతావరణం చాలా బాగుంది.", {"IN"}),
    ("arabic.png", "Arabic", "fa", "امروز هوا خوبه", {"IR"}),
    ("el_rec.jpg", "Greek", "el", "Ωραίος καιρός σήμερα.", {"GR", "CY"}),
    (
        "th_rec.jpg",
        "Thai",
        "th",
        "การแพทย์แผนจีนช่วยให้เด็กสมองพิการในคาซัคสถานกลับมาเดินได้",
        {"TH"},
    ),
    (
        "en_rec.jpg",
        "Latin",
        "en",
        "To facilitate the shot type analysis in videos, we collect MovieShots, a large-scale",
        set(),
    ),
]
# ../shared/data/ocr/tesseract/eurotext.tif: one sentence (or two) per language, in this order.
EUROTEXT_LANGUAGES = ("en", "de", "fr", "it", "es", "pt")


def read_language_clues(image: Image.Image, prefilter: bool = True) -> list[Clue]:
    """The language clues the text extractor proposes for one picture."""
    subject = ClueSubject(
        sha256="sample", kind="image", pictures=(Picture(load=lambda: image.copy()),)
    )
    VisibleTextExtractor(prefilter=prefilter).run(subject)
    return subject.clues
