"""The demo shop's dictionaries: sources, statuses, expense types, a 3-level category tree, products."""

from __future__ import annotations

import random
from decimal import Decimal

from ksales.domain.model import Category, Dictionaries, ExpenseType, Product, Source, Status

SOURCES = (
    Source(1, "Instagram", "UAH"),
    Source(2, "Telegram", "UAH"),
    Source(3, "Shopify", "UAH"),
    Source(4, "Rozetka", "UAH"),  # the rare fourth source
)

STATUSES = (
    Status(1, "Новий", 1),
    Status(2, "Погодження", 2),
    Status(3, "Комплектація", 3),
    Status(4, "Доставляється", 4),
    Status(5, "Виконано", 5),
    Status(6, "Скасовано", 6),
    Status(7, "Повернення", 6),
)

EXPENSE_TYPES = (
    ExpenseType(1, "Доставка", "delivery"),
    ExpenseType(2, "Комісія платіжної системи", "commission"),
    ExpenseType(3, "Пакування", "packaging"),
)

CATEGORIES = (
    Category(1, "Одяг", None),
    Category(11, "Жіночий одяг", 1),
    Category(111, "Сукні", 11),
    Category(112, "Блузи", 11),
    Category(113, "Джинси", 11),
    Category(12, "Чоловічий одяг", 1),
    Category(121, "Футболки", 12),
    Category(122, "Сорочки", 12),
    Category(2, "Взуття", None),
    Category(21, "Кросівки", 2),
    Category(22, "Черевики", 2),
    Category(3, "Аксесуари", None),
    Category(31, "Сумки", 3),
    Category(32, "Ремені", 3),
    Category(33, "Прикраси", 3),
    Category(4, "Косметика", None),
    Category(41, "Догляд за шкірою", 4),
    Category(411, "Креми", 41),
    Category(412, "Сироватки", 41),
    Category(42, "Парфуми", 4),
)

#: (category, base names, brands, price range in UAH). A None brand: the product has no brand field.
_RANGE = (
    (
        111,
        ("Сукня міді", "Сукня максі", "Сукня-сорочка", "Сукня льняна"),
        ("Zara", "Mango", None),
        (900, 2800),
    ),
    (112, ("Блуза шовкова", "Блуза класична", "Блуза оверсайз"), ("Mango", "Reserved", None), (600, 1600)),
    (113, ("Джинси mom", "Джинси skinny", "Джинси wide leg"), ("Levi's", "LEVI'S", "Zara"), (1200, 3200)),
    (121, ("Футболка базова", "Футболка з принтом", "Поло"), ("Nike", "Puma", None), (350, 1100)),
    (122, ("Сорочка оксфорд", "Сорочка льняна"), ("Reserved", None), (800, 1900)),
    (
        21,
        ("Кросівки бігові", "Кросівки міські", "Кеди"),
        ("Nike", "Adidas", "New Balance", "nike"),
        (2200, 5200),
    ),
    (22, ("Черевики челсі", "Черевики зимові"), ("Timberland", "Dr. Martens"), (3500, 7900)),
    (31, ("Сумка шопер", "Сумка крос-боді", "Рюкзак міський"), ("Coccinelle", None, "Mango"), (700, 4500)),
    (32, ("Ремінь шкіряний", "Ремінь плетений"), (None, "Levi's"), (400, 1300)),
    (33, ("Сережки срібні", "Браслет", "Кулон «Серце»"), (None, "Pandora & Co"), (300, 2600)),
    (411, ("Крем денний", "Крем нічний", "Крем для рук"), ("La Roche-Posay", "CeraVe", None), (250, 1400)),
    (412, ("Сироватка з вітаміном C", "Сироватка гіалуронова"), ("The Ordinary", "CeraVe"), (300, 1500)),
    (42, ("Парфуми <Signature>", "Туалетна вода"), ("Dior", "Chanel", None), (1800, 6500)),
)

#: Lines that are not catalog products (no product id).
CUSTOM_LINES = ("Подарункове пакування", "Індивідуальне замовлення", "Ремонт / підгонка")


def build_products(seed: int) -> tuple[tuple[Product, ...], dict[int, Decimal]]:
    """The catalog and each product's list price, the same for the same seed."""
    rng = random.Random(f"{seed}:catalog")
    products: list[Product] = []
    prices: dict[int, Decimal] = {}
    next_id = 101
    for category_id, names, brands, (low, high) in _RANGE:
        for name in names:
            for brand in brands:
                label = f"{name} {brand}" if brand else name
                products.append(Product(next_id, label, category_id, brand))
                # Scaled so that the default milestones are within reach of a typical day, week, month.
                prices[next_id] = Decimal(rng.randrange(low * 11 // 20, high * 11 // 20, 10))
                next_id += 1
    # A product whose category vanished from the catalog, and one filed on a non-leaf category.
    products.append(Product(next_id, "Сертифікат подарунковий", None, None))
    prices[next_id] = Decimal(1000)
    products.append(Product(next_id + 1, "Комплект «Одяг на вихідні»", 1, "Ksales Select"))
    prices[next_id + 1] = Decimal(2500)
    return tuple(products), prices


def dictionaries(seed: int) -> Dictionaries:
    products, _ = build_products(seed)
    return Dictionaries(SOURCES, STATUSES, EXPENSE_TYPES, CATEGORIES, products)
