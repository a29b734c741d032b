"""Files that belong to no series: noise, gradients, documents, a spreadsheet export."""

from __future__ import annotations

import numpy as np
from PIL import Image

from vidtrace.demo.image_files import ImageFormat, encode_image


def noise_image(rng: np.random.Generator, size: tuple[int, int]) -> Image.Image:
    """Coloured noise, blurred into blotches so it is not a pure-entropy file."""
    small = rng.integers(0, 256, size=(size[1] // 16, size[0] // 16, 3), dtype=np.uint8)
    blotches = Image.fromarray(small, "RGB").resize(size, Image.Resampling.BICUBIC)
    grain = rng.normal(0, 18, size=(size[1], size[0], 3))
    pixels = np.clip(np.asarray(blotches, dtype=np.float64) + grain, 0, 255)
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def gradient_image(rng: np.random.Generator, size: tuple[int, int]) -> Image.Image:
    """A diagonal two-colour gradient, like a phone wallpaper."""
    width, height = size
    a, b = rng.integers(0, 256, size=3), rng.integers(0, 256, size=3)
    y, x = np.mgrid[0:height, 0:width]
    t = ((x / width + y / height) / 2)[..., None]
    pixels = a * (1 - t) + b * t
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def distractor_images(rng: np.random.Generator) -> list[tuple[str, bytes]]:
    """(file name, bytes) for the image distractors."""
    wallpaper = gradient_image(rng, (1080, 1920))
    return [
        ("wallpaper_gradient.jpg", encode_image(wallpaper, ImageFormat.JPEG, 90)),
        ("noise_01.png", encode_image(noise_image(rng, (640, 480)), ImageFormat.PNG)),
        ("texture.jpg", encode_image(noise_image(rng, (800, 600)), ImageFormat.JPEG, 80)),
        ("background.webp", encode_image(gradient_image(rng, (1280, 720)), ImageFormat.WEBP, 80)),
    ]


def shopping_list() -> bytes:
    return b"Shopping list\n- bread\n- milk\n- light bulbs (E27)\n- batteries AA\n"


def expenses_csv() -> bytes:
    rows = [
        "date,description,amount,currency",
        "2023-06-02,Train ticket,23.40,EUR",
        "2023-06-09,Groceries,61.15,EUR",
        "2023-06-17,Bookshop,18.90,EUR",
        "2023-07-01,Phone bill,25.00,EUR",
    ]
    return ("\n".join(rows) + "\n").encode()


def minimal_pdf(title: str, line: str) -> bytes:
    """A small, valid one-page PDF with two lines of text (Helvetica), cross-reference included."""
    text = f"BT /F1 18 Tf 72 760 Td ({title}) Tj 0 -28 Td /F1 12 Tf ({line}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return bytes(out)
