"""Passive parts generated over the E-series of preferred values (IEC 60063),
with the manufacturers' own part-number schemes."""

from decimal import Decimal

from core.money import to_cents

from .data import COMPONENT, Family, P

E12 = [10, 12, 15, 18, 22, 27, 33, 39, 47, 56, 68, 82]
E6 = [10, 15, 22, 33, 47, 68]

BAND_COLOURS = [
    (20, 20, 20),  # 0 noir
    (120, 60, 20),  # 1 marron
    (210, 30, 30),  # 2 rouge
    (240, 130, 20),  # 3 orange
    (240, 210, 30),  # 4 jaune
    (40, 150, 60),  # 5 vert
    (40, 80, 200),  # 6 bleu
    (140, 60, 180),  # 7 violet
    (130, 130, 130),  # 8 gris
    (250, 250, 250),  # 9 blanc
]
GOLD, SILVER = (200, 160, 50), (190, 190, 195)


def series(mantissas, first_exp, last_value):
    """Values ``m * 10**e`` from ``first_exp`` up to ``last_value`` included."""
    values, exp = [], first_exp
    while True:
        for m in mantissas:
            value = Decimal(m).scaleb(exp)
            if value > last_value:
                return values
            values.append(value)
        exp += 1


def plain(value: Decimal) -> str:
    """4.70 -> "4,7", 10 -> "10": a French decimal without trailing zeros."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def si(value: Decimal, unit: str, prefixes) -> str:
    """A value with the largest SI prefix that keeps it >= 1: "4,7 kΩ"."""
    prefix, scale = next(((p, s) for p, s in prefixes if value >= s), prefixes[-1])
    return f"{plain(value / scale)} {prefix}{unit}"


def rkm(value: Decimal, letters=(("M", 10**6), ("K", 10**3), ("R", 1))) -> str:
    """The RKM code (IEC 60062) of a value: 4700 -> "4K7", 10 -> "10R"."""
    for letter, scale in letters:
        if value >= scale:
            whole, frac = divmod(value / scale, 1)
            digits = f"{frac.normalize():f}"[2:] if frac else ""
            return f"{int(whole)}{letter}{digits}"
    raise ValueError(value)


def eia(value: Decimal) -> str:
    """The three-digit code: two figures and a count of zeros (104 = 10 x 10^4)."""
    if value < 10:
        return f"{value:.1f}".replace(".", "R")  # 4.7 -> "4R7", 1 -> "1R0"
    digits = str(int(value))
    return digits[:2] + str(len(digits) - 2)


def bands(ohms: Decimal) -> list:
    """The five colour bands of a 1 % resistor: three figures, multiplier, tolerance."""
    exp = ohms.adjusted() - 2
    figures = f"{int(ohms.scaleb(-exp)):03d}"
    multiplier = {-1: GOLD, -2: SILVER}.get(exp) or BAND_COLOURS[exp]
    return [BAND_COLOURS[int(f)] for f in figures] + [multiplier, BAND_COLOURS[1]]


OHM = [("M", 10**6), ("k", 10**3), ("", 1)]
FARAD = [("µ", Decimal("1e6")), ("n", Decimal("1e3")), ("p", 1)]  # from pF
HENRY = [("m", Decimal("1e3")), ("µ", 1)]  # from µH


def resistors() -> Family:
    parts = []
    for ohms in series(E12, 0, 10**6):
        value = si(ohms, "Ω", OHM)
        parts.append(
            P(
                f"Résistance couche métal {value} 1 % 0,25 W (sachet de 10)",
                "Yageo",
                f"MFR-25FBF52-{rkm(ohms)}",
                "0.38",
                f"Résistance à couche métallique de {value}, tolérance 1 %, vendue par 10.",
                bands(ohms),
                boitier="Axial, Ø 2,5 mm",
                valeur=value,
                tolerance="±1 %",
                puissance="0,25 W",
                tension="250 V max.",
            )
        )
    return Family(
        "Composants passifs > Résistances",
        COMPONENT,
        "resistor",
        "Série MFR-25 : faible bruit, coefficient de température de ±50 ppm/°C, "
        "marquage par anneaux de couleur (5 anneaux).",
        parts,
    )


def ceramic_capacitors() -> Family:
    parts = []
    for pf in series(E6, 0, 10**6):
        value = si(pf, "F", FARAD)
        c0g = pf < 1000  # small values in C0G: stable; larger ones in X7R
        dielectric, tolerance = ("C0G", "±5 %") if c0g else ("X7R", "±10 %")
        mpn = f"C315C{eia(pf)}J1G5TA" if c0g else f"C320C{eia(pf)}K5R5TA"
        parts.append(
            P(
                f"Condensateur céramique {value} 50 V {dielectric} (sachet de 10)",
                "KEMET",
                mpn,
                "0.95" if c0g else "1.20",
                f"Condensateur céramique multicouche de {value}, diélectrique {dielectric}.",
                (214, 140, 44) if c0g else (40, 110, 190),
                boitier="Radial, pas 5,08 mm",
                valeur=value,
                tolerance=tolerance,
                tension="50 V",
            )
        )
    return Family(
        "Composants passifs > Condensateurs",
        COMPONENT,
        "ceramic",
        "Pattes radiales enrobées d'époxy, pour le découplage, le filtrage et les oscillateurs.",
        parts,
    )


def electrolytic_capacitors() -> Family:
    ratings = [
        ("1", "1H", "50 V"),
        ("2.2", "1H", "50 V"),
        ("4.7", "1H", "50 V"),
        ("10", "1H", "50 V"),
        ("22", "1H", "50 V"),
        ("47", "1V", "35 V"),
        ("100", "1E", "25 V"),
        ("220", "1E", "25 V"),
        ("470", "1C", "16 V"),
        ("1000", "1C", "16 V"),
        ("2200", "1C", "16 V"),
    ]
    parts = []
    for uf, code, volts in ratings:
        value = si(Decimal(uf) * 10**6, "F", FARAD)
        price = Decimal("0.18") + Decimal(uf) * Decimal("0.0006")
        parts.append(
            P(
                f"Condensateur électrolytique {value} {volts} 105 °C",
                "Panasonic",
                f"EEU-FR{code}{eia(Decimal(uf))}",
                str(to_cents(price)),
                f"Condensateur aluminium de {value} sous {volts}, série FR à faible ESR.",
                boitier="Radial",
                valeur=value,
                tolerance="±20 %",
                tension=volts,
            )
        )
    return Family(
        "Composants passifs > Condensateurs",
        COMPONENT,
        "electrolytic",
        "Longue durée de vie (jusqu'à 10 000 h à 105 °C), adapté aux alimentations à découpage.",
        parts,
    )


def inductors() -> Family:
    parts = []
    for uh in series(E6, 0, 1000):
        value = si(uh, "H", HENRY)
        parts.append(
            P(
                f"Inductance radiale {value} série RLB0914",
                "Bourns",
                f"RLB0914-{eia(uh)}KL",
                "0.62",
                f"Inductance de puissance de {value} sur noyau en ferrite.",
                boitier="Radial, Ø 9 mm",
                valeur=value,
                tolerance="±10 %",
            )
        )
    return Family(
        "Composants passifs > Inductances",
        COMPONENT,
        "coil",
        "Pour le filtrage d'alimentation et les convertisseurs DC-DC.",
        parts,
    )


def trimmers() -> Family:
    parts = []
    for ohms in series([10, 20, 50], 1, 10**6):
        value = si(ohms, "Ω", OHM)
        parts.append(
            P(
                f"Potentiomètre multitour {value} 3296W",
                "Bourns",
                f"3296W-1-{eia(ohms)}LF",
                "1.45",
                f"Potentiomètre d'ajustage 25 tours de {value}, réglage par le dessus.",
                (40, 80, 200),
                boitier="3296W",
                valeur=value,
                tolerance="±10 %",
                puissance="0,5 W",
            )
        )
    return Family(
        "Composants passifs > Potentiomètres",
        COMPONENT,
        "package",
        "Réglage fin et stable, pour l'étalonnage de montages analogiques.",
        parts,
    )


def zeners() -> Family:
    volts = ["2V7", "3V3", "3V6", "3V9", "4V7", "5V1", "5V6", "6V2", "6V8"]
    volts += ["8V2", "9V1", "10", "12", "15", "18", "24"]
    parts = []
    for v in volts:
        label = v.replace("V", ",") + " V"  # "5V1" -> "5,1 V", "12" -> "12 V"
        parts.append(
            P(
                f"Diode Zener {label} 0,5 W",
                "Nexperia",
                f"BZX79-C{v}",
                "0.09",
                f"Diode Zener de {label} pour les références de tension.",
                boitier="DO-35",
                tension=label,
                puissance="0,5 W",
                tolerance="±5 %",
            )
        )
    return Family(
        "Semi-conducteurs > Diodes",
        COMPONENT,
        "diode",
        "Boîtier verre DO-35, pour la régulation simple et la protection des entrées.",
        parts,
    )


def families() -> list:
    return [
        resistors(),
        ceramic_capacitors(),
        electrolytic_capacitors(),
        inductors(),
        trimmers(),
        zeners(),
    ]
