"""Camera bodies and phones the demo series are "shot" with, and the file names they write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Camera:
    """One capture device. ``serial`` is None for phones, which do not write BodySerialNumber;
    ``writes_gps`` is False for cameras without a GPS receiver (most compacts and many system
    cameras), whose originals then carry no position.

    ``name_pattern`` is a ``str.format`` pattern with ``n`` (the shutter counter) and ``t`` (the
    capture time), e.g. ``"IMG_{n:04d}.JPG"``; ``dcim_folder`` is where the device stores it.
    """

    make: str
    model: str
    serial: str | None
    lens: str
    software: str
    dcim_folder: str
    name_pattern: str
    writes_heic: bool = False
    writes_gps: bool = True

    def file_name(self, counter: int, taken: datetime, extension: str | None = None) -> str:
        name = self.name_pattern.format(n=counter, t=taken)
        if extension is None:
            return name
        return name.rsplit(".", 1)[0] + "." + extension

    @property
    def is_phone(self) -> bool:
        return self.serial is None


CANON_80D = Camera(
    "Canon",
    "Canon EOS 80D",
    "083021004517",
    "EF-S18-135mm f/3.5-5.6 IS USM",
    "Firmware Version 1.0.3",
    "DCIM/100CANON",
    "IMG_{n:04d}.JPG",
)
IPHONE_12 = Camera(
    "Apple",
    "iPhone 12",
    None,
    "iPhone 12 back dual wide camera 4.2mm f/1.6",
    "16.5.1",
    "DCIM/100APPLE",
    "IMG_{n:04d}.JPG",
    writes_heic=True,
)
GALAXY_S21 = Camera(
    "samsung",
    "SM-G991B",
    None,
    "Samsung Galaxy S21 Rear Camera",
    "G991BXXU5CWE1",
    "DCIM/Camera",
    "{t:%Y%m%d_%H%M%S}.jpg",
)
NIKON_D5300 = Camera(
    "NIKON CORPORATION",
    "NIKON D5300",
    "6093512",
    "18.0-55.0 mm f/3.5-5.6",
    "Ver.1.03",
    "DCIM/100NIKON",
    "DSC_{n:04d}.JPG",
)
PIXEL_7 = Camera(
    "Google",
    "Pixel 7",
    None,
    "Pixel 7 back camera 6.81mm f/1.85",
    "HDR+ 1.0.540104767zd",
    "DCIM/Camera",
    "PXL_{t:%Y%m%d_%H%M%S}{n:03d}.jpg",
)
SONY_A6000 = Camera(
    "SONY",
    "ILCE-6000",
    "3720981",
    "E PZ 16-50mm F3.5-5.6 OSS",
    "ILCE-6000 v3.21",
    "DCIM/100MSDCF",
    "DSC{n:05d}.JPG",
)
FUJI_XT30 = Camera(
    "FUJIFILM",
    "X-T30",
    "9AB54712",
    "XC15-45mmF3.5-5.6 OIS PZ",
    "Digital Camera X-T30 Ver2.00",
    "DCIM/100_FUJI",
    "DSCF{n:04d}.JPG",
)
REDMI_NOTE_10 = Camera(
    "Xiaomi",
    "Redmi Note 10",
    None,
    "Redmi Note 10 Rear Camera",
    "sunny_global-user 13",
    "DCIM/Camera",
    "IMG_{t:%Y%m%d_%H%M%S}.jpg",
)
PANASONIC_FZ300 = Camera(
    "Panasonic",
    "DMC-FZ300",
    "WD7LB002341",
    "LUMIX G VARIO 25-600mm F2.8",
    "Ver.2.3",
    "DCIM/100_PANA",
    "P10{n:05d}.JPG",
)
OLYMPUS_EM10 = Camera(
    "OLYMPUS IMAGING CORP.",
    "E-M10",
    "BHP512038",
    "OLYMPUS M.14-42mm F3.5-5.6 EZ",
    "Version 1.4",
    "DCIM/100OLYMP",
    "P{t.month:X}{t:%d}{n:04d}.JPG",
    writes_gps=False,
)
POWERSHOT_SX620 = Camera(
    "Canon",
    "Canon PowerShot SX620 HS",
    "432051002187",
    "4.5-112.5 mm",
    "Firmware Version 1.0.0.0",
    "DCIM/100CANON",
    "IMG_{n:04d}.JPG",
    writes_gps=False,
)
HUAWEI_P30_PRO = Camera(
    "HUAWEI",
    "VOG-L29",
    None,
    "HUAWEI P30 Pro Rear Main Camera",
    "VOG-L29 12.0.0.168(C432E11R1P2)",
    "DCIM/Camera",
    "IMG_{t:%Y%m%d_%H%M%S}.jpg",
)
ONEPLUS_9 = Camera(
    "OnePlus",
    "LE2113",
    None,
    "OnePlus 9 back camera 5.58mm f/1.8",
    "LE2113_11_F.17",
    "DCIM/Camera",
    "IMG{t:%Y%m%d%H%M%S}.jpg",
)
