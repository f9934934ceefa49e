"""sitemap.xml and robots.txt: how search engines find the status pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(base_url: str, page_paths: Iterable[str]) -> bytes:
    """Every HTML page but the 404, by canonical URL; ElementTree does the escaping."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in sorted(page_paths):
        if not path.endswith("index.html"):
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = base_url + "/" + path.removesuffix("index.html")
    ET.indent(urlset)
    document: bytes = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap.xml\n"
