#!/usr/bin/env python3
# Writes icon.png, the NuGet package icon: 128 x 128, a 4 x 4 pool of rounded blocks, some taken (dark) and some
# free (light), on a transparent background, beside this script. Python 3 standard library only (zlib for PNG):
#   python3 assets/make-icon.py
import os
import struct
import zlib

SIZE, GRID, BLOCK, GAP, RADIUS, SS = 128, 4, 24, 6, 5, 4   # SS: supersampling per axis, for smooth corners
MARGIN = (SIZE - GRID * BLOCK - (GRID - 1) * GAP) / 2
TAKEN, FREE = (21, 101, 192), (144, 202, 249)              # blue 800 and blue 200
TAKEN_CELLS = {(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (0, 2), (3, 3)}


def inside(x, y):
    """The colour of the block covering (x, y) in pixel units, or None between blocks."""
    for column in range(GRID):
        for row in range(GRID):
            left, top = MARGIN + column * (BLOCK + GAP), MARGIN + row * (BLOCK + GAP)
            if left <= x < left + BLOCK and top <= y < top + BLOCK:
                dx = max(left + RADIUS - x, 0, x - (left + BLOCK - RADIUS))
                dy = max(top + RADIUS - y, 0, y - (top + BLOCK - RADIUS))
                if dx * dx + dy * dy <= RADIUS * RADIUS:
                    return TAKEN if (column, row) in TAKEN_CELLS else FREE
    return None


rows = []
for py in range(SIZE):
    row = bytearray([0])                                   # PNG filter type 0 for the row
    for px in range(SIZE):
        hits = [inside(px + (i + 0.5) / SS, py + (j + 0.5) / SS) for i in range(SS) for j in range(SS)]
        covered = [h for h in hits if h is not None]
        if not covered:
            row += bytes(4)
            continue
        rgb = [round(sum(c[k] for c in covered) / len(covered)) for k in range(3)]
        row += bytes(rgb + [round(255 * len(covered) / len(hits))])
    rows.append(bytes(row))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb") as f:
    f.write(png)
