"""The shape of the demo catalogue: categories, product classes and their
attributes, and the records the part tables are written in."""

from dataclasses import dataclass, field
from decimal import Decimal

COMPONENT = "composant-electronique"
BOARD = "carte-module"
TOOL = "outillage"
LAB = "fourniture-laboratoire"

# slug: (name, [(attribute code, attribute name)]). All text attributes:
# values like "4,5 à 16 V" read better than a bare number.
PRODUCT_CLASSES = {
    COMPONENT: (
        "Composant électronique",
        [
            ("boitier", "Boîtier"),
            ("valeur", "Valeur"),
            ("tolerance", "Tolérance"),
            ("tension", "Tension"),
            ("courant", "Courant"),
            ("puissance", "Puissance"),
            ("pas", "Pas"),
            ("contacts", "Nombre de contacts"),
            ("longueur", "Longueur"),
            ("couleur", "Couleur"),
        ],
    ),
    BOARD: (
        "Carte et module",
        [
            ("puce", "Puce principale"),
            ("tension", "Tension d'alimentation"),
            ("interface", "Interface"),
            ("connectivite", "Connectivité"),
            ("dimensions", "Dimensions"),
        ],
    ),
    TOOL: (
        "Outillage",
        [
            ("tension", "Tension"),
            ("puissance", "Puissance"),
            ("precision", "Précision"),
            ("bande_passante", "Bande passante"),
            ("longueur", "Longueur"),
        ],
    ),
    LAB: (
        "Fourniture de laboratoire",
        [
            ("matiere", "Matière"),
            ("contenance", "Contenance"),
            ("taille", "Taille"),
            ("conditionnement", "Conditionnement"),
        ],
    ),
}

# Top-level categories in menu order: name, picture background, description.
# fmt: off
ROOT_CATEGORIES = [
    ("Cartes microcontrôleurs", (0, 120, 140),
     "Arduino, ESP32, Raspberry Pi, STM32 : de quoi démarrer un projet."),
    ("Capteurs", (0, 140, 110),
     "Mesurer la température, la pression, la distance, la lumière ou le courant."),
    ("Composants passifs", (150, 95, 40),
     "Résistances, condensateurs, inductances et potentiomètres en séries normalisées."),
    ("Semi-conducteurs", (60, 70, 90),
     "Circuits intégrés, microcontrôleurs, régulateurs, transistors et diodes."),
    ("Optoélectronique et LED", (170, 60, 60),
     "LED, optocoupleurs et photodétecteurs."),
    ("Affichages", (40, 80, 170),
     "Écrans LCD, OLED, e-paper et afficheurs 7 segments."),
    ("Modules RF et sans fil", (110, 60, 150),
     "Bluetooth, LoRa, GPS, RFID et radio 2,4 GHz."),
    ("Moteurs et actionneurs", (90, 100, 40),
     "Servomoteurs, moteurs pas à pas, drivers et relais."),
    ("Connecteurs", (80, 80, 80),
     "Barrettes, JST, borniers, connecteurs d'alimentation et USB."),
    ("Câbles", (30, 100, 160),
     "Fils de câblage, câbles USB, jumpers et cordons de mesure."),
    ("Alimentations", (180, 120, 20),
     "Blocs secteur, convertisseurs DC-DC, piles et accumulateurs."),
    ("Prototypage", (200, 90, 40),
     "Plaques d'essai et circuits à pastilles."),
    ("Boîtiers", (100, 100, 110),
     "Boîtiers plastique et aluminium pour vos montages."),
    ("Soudure", (170, 70, 30),
     "Stations, fers, étain, flux et dessoudage."),
    ("Outillage", (180, 40, 50),
     "Pinces, tournevis, brucelles et outils de sertissage."),
    ("Instruments de mesure", (200, 150, 0),
     "Multimètres, oscilloscopes, générateurs et analyseurs."),
    ("Fournitures de laboratoire", (40, 130, 180),
     "Verrerie, consommables, protection et ESD."),
]
# fmt: on


@dataclass(frozen=True)
class Part:
    title: str
    manufacturer: str
    mpn: str
    price: Decimal  # excluding VAT, EUR
    pitch: str = ""  # one sentence about this part; the family adds the rest
    attrs: dict = field(default_factory=dict)
    accent: object = None  # a colour, or a list of colours, for the picture


@dataclass(frozen=True)
class Family:
    """Parts sold in one category, of one class, drawn alike."""

    category: str  # breadcrumb, "Composants passifs > Résistances"
    product_class: str
    shape: str  # a drawing in images.SHAPES
    blurb: str  # the description's second paragraph
    parts: list


def P(title, manufacturer, mpn, price, pitch="", accent=None, **attrs) -> Part:
    """A part in one line of a table."""
    return Part(title, manufacturer, mpn, Decimal(price), pitch, attrs, accent)
