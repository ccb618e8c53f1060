"""Product pictures drawn with Pillow: a flat illustration of the kind of part
on a background coloured by category, with the part number underneath.

Nothing is downloaded, so the demo loads offline and the pictures carry no
third-party rights. Each picture is drawn at twice its size and reduced (a
cheap anti-aliasing), then saved as a PNG of few colours: under 10 kB.
"""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 480
SCALE = 2  # drawn at 2x, then reduced: smooth edges for almost no cost
S = SIZE * SCALE
FONT_DIR = "/usr/share/fonts/truetype/dejavu/"

BLACK = (38, 38, 42)
METAL = (196, 200, 206)
WHITE = (250, 250, 248)
PCB_GREEN = (22, 110, 74)
PCB_BLUE = (24, 82, 160)


@lru_cache
def font(size: int, bold: bool = True):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(FONT_DIR + name, size)
    except OSError:
        # Pillow >= 10.1 scales its built-in font; good enough without DejaVu.
        return ImageFont.load_default(size)


def shade(colour, amount: int):
    """The colour made lighter (amount > 0) or darker: the faces of a box."""
    return tuple(max(0, min(255, c + amount)) for c in colour)


def box(d, x0, y0, x1, y1, fill, radius=0):
    d.rounded_rectangle((x0, y0, x1, y1), radius=radius, fill=fill)


def pins(d, x0, x1, y, length, count, width=14):
    """A row of ``count`` vertical pins between x0 and x1, from y going by length."""
    step = (x1 - x0) / count
    for i in range(count):
        cx = x0 + step * (i + 0.5)
        d.rectangle((cx - width / 2, min(y, y + length), cx + width / 2, max(y, y + length)), METAL)


def legs(d, xs, y0, y1, width=10):
    for x in xs:
        d.rectangle((x - width / 2, y0, x + width / 2, y1), METAL)


def draw_ic(d, accent):
    box(d, 250, 300, 710, 560, BLACK, 16)
    pins(d, 270, 690, 300, -70, 4, 34)
    pins(d, 270, 690, 560, 70, 4, 34)
    d.pieslice((210, 390, 290, 470), -90, 90, (70, 70, 76))  # the notch
    d.ellipse((300, 340, 336, 376), (70, 70, 76))


def draw_transistor(d, accent):
    d.chord((370, 230, 590, 450), 180, 360, BLACK)
    box(d, 370, 340, 590, 420, BLACK)
    legs(d, (410, 480, 550), 420, 640, 14)


def draw_to220(d, accent):
    box(d, 340, 170, 620, 300, METAL, 8)
    d.ellipse((450, 200, 510, 260), (120, 124, 130))
    box(d, 340, 290, 620, 500, BLACK, 6)
    legs(d, (400, 480, 560), 500, 680, 22)


def draw_resistor(d, accent):
    d.rectangle((100, 402, 860, 418), METAL)
    box(d, 290, 340, 670, 480, (222, 196, 150), 60)
    # Colour code: value bands evenly spaced, the tolerance band set apart.
    bands = accent or []
    for i, colour in enumerate(bands):
        x = 580 if i == len(bands) - 1 else 340 + i * 52
        d.rectangle((x, 340, x + 28, 480), colour)


def draw_diode(d, accent):
    d.rectangle((100, 402, 860, 418), METAL)
    box(d, 330, 360, 630, 460, BLACK, 30)
    d.rectangle((560, 360, 590, 460), METAL)


def draw_ceramic(d, accent):
    legs(d, (440, 520), 440, 700, 12)
    d.ellipse((330, 190, 630, 470), accent or (214, 140, 44))


def draw_electrolytic(d, accent):
    legs(d, (430, 530), 560, 720, 12)
    box(d, 340, 160, 620, 580, accent or (30, 60, 140), 30)
    d.rectangle((560, 160, 600, 580), (200, 210, 230))
    d.line((380, 190, 580, 190), (120, 130, 150), 6)


def draw_coil(d, accent):
    legs(d, (420, 540), 520, 700, 12)
    box(d, 330, 200, 630, 540, (50, 50, 56), 20)
    for y in range(250, 500, 28):
        d.line((350, y, 610, y + 10), (184, 115, 51), 14)


def draw_led(d, accent):
    legs(d, (440, 520), 520, 760, 12)
    colour = accent or (220, 40, 40)
    d.pieslice((360, 200, 600, 440), 180, 360, colour)
    box(d, 360, 320, 600, 500, colour)
    box(d, 340, 490, 620, 530, colour, 6)


def draw_board(d, accent, colour=PCB_GREEN):
    box(d, 150, 230, 810, 660, accent or colour, 24)
    for x, y in ((180, 260), (760, 260), (180, 610), (760, 610)):
        d.ellipse((x, y, x + 26, y + 26), WHITE)
    box(d, 120, 300, 260, 400, METAL, 6)  # USB socket
    box(d, 390, 380, 560, 550, BLACK, 8)
    pins(d, 300, 790, 250, 30, 14, 16)
    pins(d, 300, 790, 610, 30, 14, 16)
    d.ellipse((620, 420, 660, 460), (240, 200, 60))


def draw_module(d, accent):
    box(d, 250, 240, 710, 600, accent or (100, 50, 150), 16)
    box(d, 390, 330, 570, 480, BLACK, 6)
    pins(d, 300, 660, 600, 60, 6, 16)
    d.ellipse((270, 260, 300, 290), WHITE)
    d.ellipse((660, 260, 690, 290), WHITE)


def draw_rf(d, accent):
    draw_module(d, accent or (30, 30, 30))
    points = [(300 + i * 40, 170 if i % 2 else 220) for i in range(10)]
    d.line(points, (240, 200, 60), 12)


def draw_connector(d, accent):
    box(d, 230, 330, 730, 500, accent or BLACK, 10)
    for i in range(6):
        x = 270 + i * 78
        box(d, x, 370, x + 46, 460, (70, 70, 76), 4)
        d.rectangle((x + 15, 500, x + 31, 640), METAL)


def draw_cable(d, accent):
    colour = accent or (40, 40, 40)
    d.arc((170, 200, 790, 800), 200, 340, colour, 34)
    box(d, 120, 520, 240, 600, METAL, 8)
    box(d, 720, 520, 840, 600, METAL, 8)


def draw_reel(d, accent):
    d.ellipse((240, 200, 720, 680), accent or METAL)
    d.ellipse((300, 260, 660, 620), (110, 114, 120))
    d.ellipse((420, 380, 540, 500), WHITE)


def draw_tool(d, accent):
    colour = accent or (200, 30, 40)
    d.line((300, 220, 620, 640), (90, 94, 100), 36)
    d.line((660, 220, 340, 640), (90, 94, 100), 36)
    d.line((400, 500, 260, 760), colour, 56)
    d.line((560, 500, 700, 760), colour, 56)
    d.ellipse((455, 405, 505, 455), METAL)


def draw_iron(d, accent):
    d.line((180, 720, 560, 340), accent or (40, 90, 200), 70)
    d.line((560, 340, 690, 210), METAL, 22)
    d.line((690, 210, 760, 140), (120, 90, 60), 10)


def draw_instrument(d, accent):
    box(d, 220, 170, 740, 720, accent or (240, 190, 30), 40)
    box(d, 270, 220, 690, 400, (170, 200, 170), 10)
    d.text((300, 260), "12.34", fill=BLACK, font=font(96))
    d.ellipse((390, 450, 570, 630), BLACK)
    d.line((480, 540, 540, 470), WHITE, 14)


def draw_psu(d, accent):
    box(d, 160, 250, 800, 620, accent or (60, 64, 70), 18)
    for x in range(220, 560, 40):
        d.rectangle((x, 300, x + 16, 570), (40, 42, 46))
    d.ellipse((620, 330, 720, 430), (200, 40, 40))
    d.ellipse((620, 470, 720, 570), BLACK)


def draw_battery(d, accent):
    box(d, 380, 170, 580, 720, accent or (40, 120, 60), 24)
    box(d, 440, 130, 520, 180, METAL, 6)
    d.rectangle((380, 470, 580, 720), BLACK)
    d.text((448, 220), "+", fill=WHITE, font=font(120))


def draw_flask(d, accent):
    glass = (214, 232, 240)
    d.polygon([(420, 160), (540, 160), (540, 330), (700, 700), (260, 700), (420, 330)], glass)
    d.polygon([(340, 520), (620, 520), (700, 700), (260, 700)], accent or (70, 160, 220))
    d.rectangle((400, 140, 560, 170), (150, 170, 180))


def draw_package(d, accent):
    colour = accent or (205, 170, 120)  # cardboard
    box(d, 230, 240, 730, 700, colour, 14)
    d.polygon([(230, 240), (330, 150), (830, 150), (730, 240)], shade(colour, 25))
    d.polygon([(730, 240), (830, 150), (830, 610), (730, 700)], shade(colour, -25))
    box(d, 290, 380, 670, 520, WHITE, 8)


def draw_motor(d, accent):
    box(d, 250, 280, 610, 640, accent or (70, 74, 80), 30)
    d.ellipse((330, 360, 530, 560), (40, 42, 46))
    d.rectangle((610, 440, 760, 480), METAL)
    for y in (320, 600):
        d.rectangle((230, y - 10, 250, y + 10), BLACK)


def draw_display(d, accent):
    box(d, 170, 240, 790, 640, PCB_BLUE, 16)
    box(d, 220, 290, 740, 590, accent or (20, 24, 30), 8)
    d.text((260, 350), "Bonjour", fill=(120, 220, 255), font=font(80))
    d.text((260, 460), "23,5 °C", fill=(120, 220, 255), font=font(80))


def draw_breadboard(d, accent):
    box(d, 130, 230, 830, 660, (244, 244, 240), 12)
    d.line((150, 280, 810, 280), (220, 50, 50), 4)
    d.line((150, 610, 810, 610), (50, 90, 220), 4)
    for x in range(170, 800, 30):
        for y in list(range(320, 430, 30)) + list(range(470, 580, 30)):
            d.rectangle((x, y, x + 12, y + 12), (90, 90, 90))


def draw_enclosure(d, accent):
    colour = accent or (60, 62, 66)
    d.polygon([(200, 330), (340, 220), (800, 220), (660, 330)], shade(colour, 40))
    d.polygon([(660, 330), (800, 220), (800, 580), (660, 690)], shade(colour, 20))
    box(d, 200, 330, 660, 690, colour, 6)


# Every draw_* function above, under the name the part tables use ("ic", "board"...).
SHAPES = {
    name.removeprefix("draw_"): func
    for name, func in globals().items()
    if name.startswith("draw_") and callable(func)
}


def fit_font(d, text: str, width: int, start: int = 84):
    size = start
    while size > 24 and d.textlength(text, font=font(size)) > width:
        size -= 4
    return font(size)


def product_image(*, shape: str, background, accent, mpn: str, manufacturer: str) -> bytes:
    """The PNG bytes of one product picture."""
    im = Image.new("RGB", (S, S), background)
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((40, 40, S - 40, S - 200), radius=40, fill=(255, 255, 255))
    SHAPES[shape](d, accent)
    d.text((80, 70), manufacturer, fill=(90, 94, 100), font=fit_font(d, manufacturer, 700, 44))
    mpn_font = fit_font(d, mpn, S - 120)
    d.text((S / 2, S - 100), mpn, fill=WHITE, font=mpn_font, anchor="mm")
    im = im.reduce(SCALE).quantize(colors=48, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    im.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()
