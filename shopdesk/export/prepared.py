"""A product as every target writes it: cleaned text, bundle paths, URLs."""

from __future__ import annotations

from dataclasses import dataclass, field

from shopdesk.export.listing import ListingProduct, ShopInfo
from shopdesk.export.text import join_url

IMAGES_DIR = "images"
THUMBS_DIR = "images/thumbs"
PAGES_DIR = "p"


@dataclass(frozen=True)
class PreparedProduct:
    product: ListingProduct
    name: str  # one line
    description: str  # plain text
    handle: str  # letters, digits and dashes; unique in the bundle
    images: tuple[str, ...] = ()  # bundle-relative paths of the processed photos
    thumbs: tuple[str, ...] = ()
    photo_problems: tuple[str, ...] = ()  # translated messages
    photo_notes: tuple[str, ...] = ()  # translated warnings (small photos)
    description_cleaned: bool = False

    @property
    def page(self) -> str:
        return f"{PAGES_DIR}/{self.handle}.html"


@dataclass(frozen=True)
class Context:
    """What a target writer needs besides the products."""

    shop: ShopInfo
    base_url: str = ""
    created_at: str = ""
    options: dict[str, object] = field(default_factory=dict)

    def url(self, relative: str) -> str:
        return join_url(self.base_url, relative)

    def image_urls(self, item: PreparedProduct) -> list[str]:
        return [self.url(path) for path in item.images] if self.base_url else []

    def page_url(self, item: PreparedProduct) -> str:
        return self.url(item.page)
