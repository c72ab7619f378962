"""Draw the app icons of the web app manifest (site_src/assets/icons/*.png), standard library only.

    python tools/make_icons.py

A white check mark in a white ring on the site's teal: icon-192.png and icon-512.png (rounded
square, transparent corners) and icon-maskable-512.png (full bleed, the mark inside the 80 %
safe zone). Shapes are drawn from signed distances with one pixel of anti-aliasing; the PNGs are
committed, so the build needs no image library.
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "site_src" / "assets" / "icons"
TEAL = (0, 150, 136)  # #009688, Material's teal (the header, THEME_COLOR of site_src/hooks/offline.py, is #00796b)
WHITE = (255, 255, 255)
CHECK = ((0.33, 0.52), (0.45, 0.64), (0.68, 0.38))
CHECK_WIDTH = 0.075
RING_RADIUS, RING_WIDTH = 0.31, 0.045
CORNER = 0.2


def _segment(px, py, a, b) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _rounded_square(px, py, r) -> float:
    qx, qy = abs(px - 0.5) - (0.5 - r), abs(py - 0.5) - (0.5 - r)
    return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - r


def _mark(px, py) -> float:
    """Signed distance (unit square) to the white mark: the ring and the check."""
    ring = abs(math.hypot(px - 0.5, py - 0.5) - RING_RADIUS) - RING_WIDTH / 2
    check = min(_segment(px, py, CHECK[0], CHECK[1]), _segment(px, py, CHECK[1], CHECK[2])) - CHECK_WIDTH / 2
    return min(ring, check)


def draw(size: int, maskable: bool) -> bytes:
    scale = 0.8 if maskable else 1.0  # maskable: the mark inside the safe zone
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            px, py = (x + 0.5) / size, (y + 0.5) / size
            bg = 1.0 if maskable else max(0.0, min(1.0, 0.5 - _rounded_square(px, py, CORNER) * size))
            mx, my = 0.5 + (px - 0.5) / scale, 0.5 + (py - 0.5) / scale
            fg = max(0.0, min(1.0, 0.5 - _mark(mx, my) * size * scale))
            colour = [round(t + (w - t) * fg) for t, w in zip(TEAL, WHITE)]
            row += bytes(colour + [round(255 * bg)])
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        data = draw(size, maskable)
        (OUT / name).write_bytes(data)
        print(f"{OUT / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
