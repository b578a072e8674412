"""Grey "radiographs" for the demo's charts, written as 8-bit greyscale PNGs by hand (zlib and
struct; reportlab makes no images and the app ships no imaging library): a periapical film of
three teeth with crowns, roots, canals, the ligament space and one filling, and a chest film
with lungs, ribs, heart, spine and clavicles. Pictures are built a row at a time from spans
(where each shape crosses the row), so one costs a few tens of milliseconds in plain Python,
and each variant is made once per process and shared."""

from __future__ import annotations

import math
import random
import struct
import zlib
from functools import cache

# Clamps any value from -256 to 511 to a byte, by table: cheaper than min/max per pixel.
_CLAMP = bytes([0] * 256 + list(range(256)) + [255] * 256)


def _png(width: int, rows: list[list[int]]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 0, 0, 0, 0)  # 8-bit greyscale
    clamp = _CLAMP
    raw = b"".join(b"\x00" + bytes(clamp[v + 256] for v in row) for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def _texture(
    rng: random.Random, width: int, height: int, cell: int, amplitude: int
) -> list[list[int]]:
    """Smooth blotches (bone trabeculae, film grain): random values on a coarse grid,
    interpolated between grid rows and columns."""
    columns = width // cell + 2
    grid = [
        [rng.randint(-amplitude, amplitude) for _ in range(columns)]
        for _ in range(height // cell + 2)
    ]
    wide = []
    for values in grid:
        line = []
        for x in range(width):
            k, f = divmod(x, cell)
            line.append(values[k] + (values[k + 1] - values[k]) * f // cell)
        wide.append(line)
    rows = []
    for y in range(height):
        k, f = divmod(y, cell)
        rows.append([a + (b - a) * f // cell for a, b in zip(wide[k], wide[k + 1], strict=True)])
    return rows


def _smooth(rows: list[list[int]], rng: random.Random, grain: int) -> list[list[int]]:
    """Softens edges (a 3-tap blur across and a 2-row blur down) and adds film grain, taken
    from one strip of noise at a random offset per row (a random number per pixel costs more
    than the rest of the picture)."""
    width = len(rows[0])
    noise = [rng.randint(-grain, grain) for _ in range(width * 3)]
    result: list[list[int]] = []
    previous: list[int] | None = None
    for row in rows:
        blurred = [
            row[0],
            *((a + 2 * b + c) >> 2 for a, b, c in zip(row, row[1:], row[2:], strict=False)),
            row[-1],
        ]
        if previous is not None:
            blurred = [(a + b) >> 1 for a, b in zip(blurred, previous, strict=True)]
        previous = blurred
        offset = rng.randrange(width * 2)
        result.append([v + n for v, n in zip(blurred, noise[offset : offset + width], strict=True)])
    return result


def _paint(row: list[int], start: float, end: float, value: int) -> None:
    for x in range(max(0, math.ceil(start)), min(len(row), math.floor(end) + 1)):
        row[x] = value


def _tooth_half(t: float) -> float:
    """Half-width of a tooth at relative height t: a rounded crown, the neck, a tapering root."""
    if t < 0.06:
        return 0.0
    if t < 0.16:
        return 30 * math.sqrt((t - 0.06) / 0.1)
    if t < 0.3:
        return 30.0
    if t < 0.38:
        return 30 - 7 * (t - 0.3) / 0.08
    if t < 0.92:
        return 23 - 20 * (t - 0.38) / 0.54
    return 0.0


@cache
def periapical_png(variant: int) -> bytes:
    rng = random.Random(variant)
    width, height = 240, 180
    centres = [cx + rng.randint(-5, 5) for cx in (48, 120, 192)]
    filled = rng.randrange(3)
    texture = _texture(rng, width, height, 9, 14)
    rows: list[list[int]] = []
    for y in range(height):
        t = y / height
        # Soft tissue above the alveolar crest, bone below it.
        bone = 48 if t < 0.34 else 48 + int(min(1.0, (t - 0.34) / 0.08) * 52)
        row = [bone + v for v in texture[y]]
        for index, cx in enumerate(centres):
            half = _tooth_half(t)
            if half <= 0:
                continue
            if t >= 0.38:
                _paint(row, cx - half - 4, cx + half + 4, bone + 30)  # lamina dura
                _paint(row, cx - half - 2, cx + half + 2, bone - 22)  # ligament space
            crown = t < 0.34
            _paint(row, cx - half, cx + half, 172 + (38 if crown else 0))
            if crown:
                _paint(row, cx - half + 6, cx + half - 6, 176)  # dentine under the enamel
            if 0.2 <= t < 0.38:
                _paint(row, cx - 8, cx + 8, 112)  # pulp chamber
            elif 0.38 <= t < 0.88:
                _paint(row, cx - 2, cx + 2, 108)  # root canal
            if index == filled and 0.07 <= t < 0.2:
                _paint(row, cx - 15, cx + 12, 252)  # a composite filling
        rows.append(row)
    rows = _smooth(rows, rng, 5)
    for y in (0, 1, 2, height - 3, height - 2, height - 1):  # the film's rounded corners
        inset = (3 - min(y, height - 1 - y)) * 3
        rows[y][:inset] = [8] * inset
        rows[y][width - inset :] = [8] * inset
    return _png(width, rows)


def _ellipse(cx: float, cy: float, rx: float, ry: float, y: float) -> tuple[float, float] | None:
    d = 1 - ((y - cy) / ry) ** 2
    if d <= 0:
        return None
    half = rx * math.sqrt(d)
    return cx - half, cx + half


@cache
def chest_png(variant: int) -> bytes:
    """Posteroanterior view: the heart bulges to the image's right (the patient's left)."""
    rng = random.Random(1000 + variant)
    width, height = 240, 260
    mid = width / 2 + rng.randint(-3, 3)
    texture = _texture(rng, width, height, 12, 8)
    rows: list[list[int]] = []
    for y in range(height):
        row = [14 + v // 2 for v in texture[y]]
        body = _ellipse(mid, 150, 118, 190, y)
        if body:
            _paint(row, *body, 118)
        for side in (-1, 1):
            lung = _ellipse(mid + side * 52, 122, 40, 92, y)
            if lung:
                start, end = lung
                for x in range(max(0, math.ceil(start)), min(width, math.floor(end) + 1)):
                    edge = min(x - start, end - x)
                    row[x] = 46 + texture[y][x] + max(0, 18 - int(edge)) * 2
                # Posterior ribs: arcs that fall away from the spine.
                for k in range(9):
                    top = 48 + 19 * k
                    high = (y + 3 - top) / 0.006
                    if high <= 0:
                        continue
                    near, far = math.sqrt(max((y - 3 - top) / 0.006, 0)), math.sqrt(high)
                    a, b = sorted((mid + side * near, mid + side * far))
                    if max(a, start) < min(b, end):
                        _paint(row, max(a, start), min(b, end), 96 + texture[y][int(a) % width])
        if 40 < y < 200:
            _paint(row, mid - 16, mid + 16, 128)  # mediastinum
        heart = _ellipse(mid + 22, 182, 54, 40, y)
        if heart:
            _paint(row, heart[0], heart[1], 142)
        if 26 < y < 240:
            spine = 150 if heart and heart[0] < mid < heart[1] else 158
            _paint(row, mid - 9, mid + 9, spine + (10 if y % 14 < 10 else 0))  # vertebrae
        # Clavicles: thin bands rising away from the midline.
        low, high = (46 - 2 - y) / 0.12, (46 + 2 - y) / 0.12
        near, far = max(low, 12.0), min(high, 86.0)
        if near < far:
            _paint(row, mid + near, mid + far, 150)
            _paint(row, mid - far, mid - near, 150)
        rows.append(row)
    return _png(width, _smooth(rows, rng, 6))
