"""Images for the photograph tests, made with Pillow in the test (nothing real)."""

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825


def jpeg(width: int = 1600, height: int = 1200, *, gps: bool = True, colour=(40, 120, 200)):
    """A JPEG of one colour, carrying EXIF with a camera and (by default) a GPS position."""
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[0x010F] = "Test Camera Maker"  # Make
    exif[0x0131] = "Test Software"  # Software
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png(width: int = 300, height: int = 400, *, mode: str = "RGBA") -> bytes:
    image = Image.new(mode, (width, height), (200, 30, 30, 128) if mode == "RGBA" else 0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def webp(width: int = 300, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 10)).save(out, format="WEBP")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (50, 50)).save(out, format="GIF")
    return out.getvalue()


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG file that says it is 50,000 pixels square (2.5 gigapixels): what a
    decompression bomb looks like before anyone decodes it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )
