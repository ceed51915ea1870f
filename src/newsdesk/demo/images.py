"""Generated lead images for demo articles.

Pictures are drawn with Pillow from the report's slug and motif, so the corpus ships
no binary files and the same report always gets the same picture.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw

from newsdesk.demo.corpus import CorpusReport

WIDTH, HEIGHT = 640, 360
CONTENT_TYPE = "image/jpeg"

RGB = tuple[int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, random.Random], None]

# Top and bottom colours of the background gradient, then accent colours.
PALETTES: dict[str, tuple[RGB, RGB, tuple[RGB, ...]]] = {
    "storm": ((38, 48, 66), (92, 108, 128), ((200, 210, 225), (150, 165, 185), (60, 80, 110))),
    "election": ((236, 236, 240), (200, 205, 220), ((30, 60, 140), (190, 40, 50), (250, 250, 250))),
    "finance": ((12, 28, 48), (20, 60, 80), ((60, 200, 120), (230, 80, 80), (240, 200, 80))),
    "space": ((2, 2, 12), (20, 16, 48), ((255, 255, 240), (180, 120, 60), (90, 140, 220))),
    "health": ((235, 248, 248), (190, 225, 230), ((20, 140, 140), (230, 80, 90), (255, 255, 255))),
    "sport": ((40, 130, 60), (30, 100, 45), ((245, 245, 245), (240, 200, 40), (20, 60, 30))),
    "nature": ((140, 200, 240), (220, 240, 250), ((60, 120, 60), (90, 150, 70), (250, 210, 80))),
    "diplomacy": ((70, 60, 55), (150, 130, 110), ((210, 190, 150), (120, 30, 40), (30, 50, 90))),
    "city": ((250, 170, 110), (90, 80, 140), ((40, 40, 60), (70, 65, 90), (255, 230, 140))),
    "generic": ((60, 70, 90), (150, 160, 180), ((230, 120, 60), (80, 160, 200), (240, 240, 240))),
}


def render_image(report: CorpusReport) -> bytes:
    """JPEG bytes of the report's lead image (memoised per slug and motif)."""
    return image_bytes(report.slug, report.motif)


@lru_cache(maxsize=256)
def image_bytes(slug: str, motif: str) -> bytes:
    seed = int.from_bytes(hashlib.sha256(f"{motif}:{slug}".encode()).digest()[:8], "big")
    rng = random.Random(seed)
    top, bottom, _ = PALETTES.get(motif, PALETTES["generic"])
    image = _gradient(_jitter(top, rng), _jitter(bottom, rng))
    draw = ImageDraw.Draw(image)
    PAINTERS.get(motif, _paint_generic)(draw, rng)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _jitter(colour: RGB, rng: random.Random, spread: int = 18) -> RGB:
    r, g, b = (max(0, min(255, c + rng.randint(-spread, spread))) for c in colour)
    return (r, g, b)


def _gradient(top: RGB, bottom: RGB) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), top)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    return image


def _accents(motif: str) -> tuple[RGB, ...]:
    return PALETTES[motif][2]


def _paint_storm(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    light, mid, dark = _accents("storm")
    cx, cy = rng.randint(200, 440), rng.randint(120, 220)
    for radius in range(30, 260, 22):  # the spiral bands of a cyclone seen from above
        start = rng.randint(0, 360)
        box = (cx - radius, cy - radius * 0.8, cx + radius, cy + radius * 0.8)
        draw.arc(box, start, start + rng.randint(120, 260), fill=light, width=6)
    for _ in range(140):
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        draw.line([(x, y), (x - 8, y + 22)], fill=mid, width=1)
    draw.rectangle([(0, HEIGHT - 40), (WIDTH, HEIGHT)], fill=dark)


def _paint_election(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    blue, red, white = _accents("election")
    stripe = rng.randint(30, 60)
    for i, colour in enumerate((blue, white, red)):
        draw.rectangle([(0, i * stripe), (WIDTH, (i + 1) * stripe)], fill=colour)
    x = rng.randint(180, 320)
    draw.rectangle([(x, 170), (x + 200, 330)], fill=(245, 245, 245), outline=(40, 40, 60), width=4)
    draw.rectangle([(x + 60, 160), (x + 140, 175)], fill=(40, 40, 60))  # the ballot slot
    draw.line([(x + 70, 250), (x + 95, 280), (x + 140, 215)], fill=blue, width=10)


def _paint_finance(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    up, down, gold = _accents("finance")
    for gx in range(0, WIDTH, 64):
        draw.line([(gx, 0), (gx, HEIGHT)], fill=(40, 70, 90))
    y = rng.randint(150, 250)
    points = []
    for x in range(20, WIDTH - 10, 30):
        y = max(40, min(HEIGHT - 60, y + rng.randint(-28, 24)))
        points.append((x, y))
    draw.line(points, fill=gold, width=4)
    for i, x in enumerate(range(30, WIDTH, 40)):
        height = rng.randint(10, 60)
        colour = up if (i + rng.randint(0, 1)) % 2 else down
        draw.rectangle([(x, HEIGHT - height - 10), (x + 18, HEIGHT - 10)], fill=colour)


def _paint_space(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    star, planet, glow = _accents("space")
    for _ in range(220):
        x, y, size = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.choice((1, 1, 1, 2))
        draw.ellipse([(x, y), (x + size, y + size)], fill=star)
    cx, cy, r = rng.randint(120, 520), rng.randint(100, 260), rng.randint(50, 110)
    draw.ellipse([(cx - r - 8, cy - r - 8), (cx + r + 8, cy + r + 8)], outline=glow, width=3)
    draw.ellipse([(cx - r, cy - r), (cx + r, cy + r)], fill=planet)


def _paint_health(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    teal, red, white = _accents("health")
    for _ in range(6):
        x, y, s = rng.randint(20, 580), rng.randint(20, 300), rng.randint(14, 34)
        colour = rng.choice((teal, red))
        draw.rectangle([(x - s, y - s // 3), (x + s, y + s // 3)], fill=colour)
        draw.rectangle([(x - s // 3, y - s), (x + s // 3, y + s)], fill=colour)
    draw.rounded_rectangle([(200, 110), (440, 250)], radius=30, fill=white, outline=teal, width=6)


def _paint_sport(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    white, ball, dark = _accents("sport")
    for x in range(0, WIDTH, 80):
        draw.rectangle([(x, 0), (x + 40, HEIGHT)], fill=(36, 118, 54))
    draw.rectangle([(20, 20), (WIDTH - 20, HEIGHT - 20)], outline=white, width=4)
    draw.line([(WIDTH // 2, 20), (WIDTH // 2, HEIGHT - 20)], fill=white, width=4)
    draw.ellipse(
        [(WIDTH // 2 - 60, HEIGHT // 2 - 60), (WIDTH // 2 + 60, HEIGHT // 2 + 60)],
        outline=white,
        width=4,
    )
    bx, by = rng.randint(60, 560), rng.randint(60, 280)
    draw.ellipse([(bx, by), (bx + 26, by + 26)], fill=ball, outline=dark, width=2)


def _paint_nature(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    far, near, sun = _accents("nature")
    sx = rng.randint(60, 580)
    draw.ellipse([(sx - 40, 40), (sx + 40, 120)], fill=sun)
    for colour, base in ((far, 230), (near, 290)):
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 80, 80):
            points.append((x, base - rng.randint(0, 110)))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=colour)


def _paint_diplomacy(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    wood, red, navy = _accents("diplomacy")
    draw.ellipse([(140, 150), (500, 330)], fill=wood, outline=(90, 70, 50), width=5)
    seats = rng.randint(5, 9)
    for i in range(seats):
        x = 120 + i * (400 // seats)
        colour = (red, navy, (240, 240, 240))[rng.randint(0, 2)]
        draw.line([(x, 40), (x, 140)], fill=(60, 60, 60), width=3)
        draw.rectangle([(x, 40), (x + 34, 64)], fill=colour)


def _paint_city(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    building, far, window = _accents("city")
    x = 0
    while x < WIDTH:
        width, height = rng.randint(40, 90), rng.randint(90, 260)
        colour = rng.choice((building, far))
        draw.rectangle([(x, HEIGHT - height), (x + width, HEIGHT)], fill=colour)
        for wy in range(HEIGHT - height + 12, HEIGHT - 10, 18):
            for wx in range(x + 8, x + width - 8, 14):
                if rng.random() < 0.45:
                    draw.rectangle([(wx, wy), (wx + 6, wy + 8)], fill=window)
        x += width + rng.randint(0, 8)


def _paint_generic(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(9):
        colour = rng.choice(_accents("generic"))
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(20, 120)
        draw.ellipse([(x - r, y - r), (x + r, y + r)], outline=colour, width=rng.randint(3, 9))


PAINTERS: dict[str, Painter] = {
    "storm": _paint_storm,
    "election": _paint_election,
    "finance": _paint_finance,
    "space": _paint_space,
    "health": _paint_health,
    "sport": _paint_sport,
    "nature": _paint_nature,
    "diplomacy": _paint_diplomacy,
    "city": _paint_city,
    "generic": _paint_generic,
}
