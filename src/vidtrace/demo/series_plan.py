"""The demo series as data: scene, place, camera, the sign that hints at the country, and where
the originals and copies end up.

Every series keeps its camera originals in one device folder and leaves edited, messenger and
downloaded copies in three "drops", often in other cases, which is how series come to overlap.
S13 is the conflict scene: shot in Salzburg (GPS), it shows a sign of a Bavarian shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vidtrace.demo import cameras, places, signs
from vidtrace.demo.cameras import Camera
from vidtrace.demo.cases import (
    B_IPHONE,
    B_TAKEOUT,
    B_USB,
    C_DESKTOP,
    C_MESSENGER,
    C_SD_A,
    C_SD_B,
    L_HOME,
    L_PHONE,
    L_SD,
)
from vidtrace.demo.image_files import ImageFormat
from vidtrace.demo.patterns import Pattern
from vidtrace.demo.places import Place
from vidtrace.demo.scene_clues import Spot
from vidtrace.demo.signs import ProductBarcode, Sign
from vidtrace.demo.variants import Edit


class NameStyle(StrEnum):
    """How a folder names what lands in it."""

    EDITED = "edited"  # the original's name with an editor's suffix
    WHATSAPP = "whatsapp"  # IMG-20230614-WA0007.jpg
    TELEGRAM = "telegram"  # photo_2023-06-14_10-15-00.jpg
    DOWNLOAD = "download"  # whatever the web page called it


@dataclass(frozen=True)
class Drop:
    folder: str
    style: NameStyle


@dataclass(frozen=True)
class SceneSource:
    """A generated room (two patterns) or a photo bundled with scikit-image.

    Bundled photos are small (600 px and up); ``enlarge`` scales them so that camera originals
    are over 1000 px wide, as a camera writes them, and a sign on them is legible. A room hangs
    its sign at a seeded spot on the wall; a photo at ``sign_spot`` (and ``barcode_spot``),
    shifted by ``other_shift`` (a fraction of the width) in the second photo of a stereo pair.
    """

    wallpaper: Pattern | None = None
    cover: Pattern | None = None
    photo: str | None = None  # file in skimage/data
    other_photo: str | None = None  # a real second shot of the same scene, if one ships
    enlarge: int = 1
    sign_spot: Spot | None = None
    barcode_spot: Spot | None = None
    other_shift: float = 0.0

    @property
    def label(self) -> str:
        if self.photo:
            return f"skimage:{self.photo}"
        return f"room:{self.wallpaper}-wallpaper/{self.cover}-cover"


@dataclass(frozen=True)
class SeriesPlan:
    id: str
    name: str
    scene: SceneSource
    place: Place
    camera: Camera
    origin: str  # folder of the camera originals
    edited: Drop
    messenger: Drop
    download: Drop
    copy_format: ImageFormat  # the format of the FORMAT_COPY member
    extras: tuple[Edit, Edit]  # two more edits, so that every kind of edit occurs in the demo
    sign: Sign | None = None
    barcode: ProductBarcode | None = None
    conflict: bool = False  # the sign points at another country than the GPS


def _room(wallpaper: Pattern, cover: Pattern) -> SceneSource:
    return SceneSource(wallpaper=wallpaper, cover=cover)


_WHATSAPP_L = Drop(L_PHONE + "/WhatsApp/Media/WhatsApp Images", NameStyle.WHATSAPP)
_WHATSAPP_B = Drop(B_USB + "/WhatsApp Images", NameStyle.WHATSAPP)
_TELEGRAM_C = Drop(C_MESSENGER + "/Telegram/Telegram Images", NameStyle.TELEGRAM)
_DOWNLOADS_L = Drop(L_HOME + "/Downloads", NameStyle.DOWNLOAD)
_DOWNLOADS_B = Drop(B_USB + "/Downloads", NameStyle.DOWNLOAD)
_DOWNLOADS_C = Drop(C_DESKTOP + "/Downloads", NameStyle.DOWNLOAD)
_EDITED_L = Drop(L_HOME + "/Pictures/Edited", NameStyle.EDITED)
_EDITED_B = Drop(B_USB + "/Fotos/bearbeitet", NameStyle.EDITED)
_EDITED_C = Drop(C_DESKTOP + "/Pictures/Retouches", NameStyle.EDITED)

SERIES_PLANS = (
    SeriesPlan(
        id="S01",
        name="Striped bedroom",
        scene=_room(Pattern.STRIPES, Pattern.CHECKS),
        place=places.AMSTERDAM,
        camera=cameras.CANON_80D,
        origin=L_SD + "/DCIM/100CANON",
        edited=_EDITED_L,
        messenger=_WHATSAPP_B,
        download=_DOWNLOADS_C,
        copy_format=ImageFormat.PNG,
        extras=(Edit.RESIZE, Edit.TEXT),
        sign=signs.BAKKERIJ,
    ),
    SeriesPlan(
        id="S02",
        name="Polka-dot bedroom",
        scene=_room(Pattern.DOTS, Pattern.CHEVRONS),
        place=places.BERLIN,
        camera=cameras.IPHONE_12,
        origin=B_IPHONE + "/DCIM/100APPLE",
        edited=_EDITED_B,
        messenger=_WHATSAPP_L,
        download=_TELEGRAM_C,
        copy_format=ImageFormat.WEBP,
        extras=(Edit.COLOUR_SHIFT, Edit.HFLIP),
        sign=signs.BAECKEREI,
    ),
    SeriesPlan(
        id="S03",
        name="Chequered bedroom",
        scene=_room(Pattern.CHECKS, Pattern.PLAID),
        place=places.MADRID,
        camera=cameras.GALAXY_S21,
        origin=L_PHONE + "/DCIM/Camera",
        edited=_EDITED_L,
        messenger=_WHATSAPP_L,
        download=_DOWNLOADS_B,
        copy_format=ImageFormat.HEIC,
        extras=(Edit.ROTATE90, Edit.REENCODE),
        sign=signs.PANADERIA,
    ),
    SeriesPlan(
        id="S04",
        name="Diamond-wallpaper bedroom",
        scene=_room(Pattern.DIAMONDS, Pattern.FLOWERS),
        place=places.SAO_PAULO,
        camera=cameras.NIKON_D5300,
        origin=C_SD_A + "/DCIM/100NIKON",
        edited=_EDITED_C,
        messenger=_TELEGRAM_C,
        download=_DOWNLOADS_L,
        copy_format=ImageFormat.WEBP,
        extras=(Edit.TEXT, Edit.COLOUR_SHIFT),
        sign=signs.PADARIA,
    ),
    SeriesPlan(
        id="S05",
        name="Wave-wallpaper bedroom",
        scene=_room(Pattern.WAVES, Pattern.STRIPES),
        place=places.BANGKOK,
        camera=cameras.PIXEL_7,
        origin=B_TAKEOUT + "/Photos from 2023",
        edited=_EDITED_B,
        messenger=_TELEGRAM_C,
        download=_DOWNLOADS_L,
        copy_format=ImageFormat.PNG,
        extras=(Edit.HFLIP, Edit.RESIZE),
        sign=signs.NOODLE_HOUSE,
    ),
    SeriesPlan(
        id="S06",
        name="Grid-wallpaper bedroom",
        scene=_room(Pattern.GRID, Pattern.DOTS),
        place=places.TORONTO,
        camera=cameras.SONY_A6000,
        origin=L_HOME + "/Pictures/Camera import",
        edited=_EDITED_L,
        messenger=_WHATSAPP_L,
        download=_DOWNLOADS_C,
        copy_format=ImageFormat.PNG,
        extras=(Edit.REENCODE, Edit.ROTATE90),
        sign=signs.HARDWARE,
    ),
    SeriesPlan(
        id="S07",
        name="Floral bedroom",
        scene=_room(Pattern.FLOWERS, Pattern.DIAMONDS),
        place=places.LYON,
        camera=cameras.FUJI_XT30,
        origin=C_DESKTOP + "/Pictures/X-T30",
        edited=_EDITED_C,
        messenger=_TELEGRAM_C,
        download=_DOWNLOADS_B,
        copy_format=ImageFormat.HEIC,
        extras=(Edit.TEXT, Edit.REENCODE),
        sign=signs.BOULANGERIE,
    ),
    SeriesPlan(
        id="S08",
        name="Coffee cup on a table",
        scene=SceneSource(
            photo="coffee.png",
            enlarge=2,
            sign_spot=Spot(0.7, 0.6),
            barcode_spot=Spot(0.86, 0.04),
        ),
        place=places.MILAN,
        camera=cameras.REDMI_NOTE_10,
        origin=B_USB + "/DCIM/Camera",
        edited=_EDITED_B,
        messenger=_WHATSAPP_L,
        download=_DOWNLOADS_C,
        copy_format=ImageFormat.WEBP,
        extras=(Edit.COLOUR_SHIFT, Edit.TEXT),
        sign=signs.CAFFE,
        barcode=signs.COFFEE_BEANS,
    ),
    SeriesPlan(
        id="S09",
        name="Rocket on the launch pad",
        scene=SceneSource(photo="rocket.jpg", enlarge=2, sign_spot=Spot(0.3, 0.56)),
        place=places.MEXICO_CITY,
        camera=cameras.PANASONIC_FZ300,
        origin=C_SD_B + "/DCIM/100_PANA",
        edited=_EDITED_C,
        messenger=_WHATSAPP_B,
        download=_DOWNLOADS_L,
        copy_format=ImageFormat.PNG,
        extras=(Edit.HFLIP, Edit.ROTATE90),
        sign=signs.MUSEO,
    ),
    SeriesPlan(
        id="S10",
        name="Motorcycle in a workshop",
        scene=SceneSource(
            photo="motorcycle_left.png",
            other_photo="motorcycle_right.png",
            enlarge=2,
            sign_spot=Spot(0.26, 0.04),
            other_shift=-0.015,
        ),
        place=places.KRAKOW,
        camera=cameras.OLYMPUS_EM10,
        origin=B_USB + "/Fotos/2023",
        edited=_EDITED_B,
        messenger=_WHATSAPP_L,
        download=_DOWNLOADS_C,
        copy_format=ImageFormat.WEBP,
        extras=(Edit.RESIZE, Edit.TEXT),
        sign=signs.WARSZTAT,
    ),
    SeriesPlan(
        id="S11",
        name="Chevron-wallpaper bedroom",
        scene=_room(Pattern.CHEVRONS, Pattern.GRID),
        place=places.BELGRADE,
        camera=cameras.POWERSHOT_SX620,
        origin=B_USB + "/Fotos/Beograd",
        edited=_EDITED_C,
        messenger=_WHATSAPP_B,
        download=_DOWNLOADS_L,
        copy_format=ImageFormat.PNG,
        extras=(Edit.REENCODE, Edit.HFLIP),  # no caption: Pillow's bundled font lacks Cyrillic
        sign=signs.PEKARA,
    ),
    SeriesPlan(
        id="S12",
        name="Plaid-wallpaper bedroom",
        scene=_room(Pattern.PLAID, Pattern.WAVES),
        place=places.ATHENS,
        camera=cameras.HUAWEI_P30_PRO,
        origin=C_DESKTOP + "/Pictures/Phone import",
        edited=_EDITED_L,
        messenger=_TELEGRAM_C,
        download=_DOWNLOADS_B,
        copy_format=ImageFormat.WEBP,
        extras=(Edit.COLOUR_SHIFT, Edit.RESIZE),  # no caption: the font lacks Greek
        sign=signs.FOURNOS,
    ),
    SeriesPlan(
        id="S13",
        name="Wood-panelled bedroom",
        scene=_room(Pattern.PLANKS, Pattern.DOTS),
        place=places.SALZBURG,
        camera=cameras.ONEPLUS_9,
        origin=L_HOME + "/Pictures/OnePlus",
        edited=_EDITED_C,
        messenger=_WHATSAPP_B,
        download=_DOWNLOADS_C,
        copy_format=ImageFormat.PNG,
        extras=(Edit.ROTATE90, Edit.TEXT),
        sign=signs.METZGEREI,
        conflict=True,
    ),
)
