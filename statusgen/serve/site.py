"""The preview's site: the last good build, kept in memory and rendered page by page on request.

After a save the preview re-reads only the folders that changed, validates only those,
derives the facts again and tells the open pages to reload; a page is rendered when the
browser asks for it (a few milliseconds) instead of rendering the whole site up front. Feeds,
the API and the other files are rendered together the first time one of them is asked for
(the theme's assets are served as they are, so a page never waits for them).
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from jinja2 import TemplateError

from statusgen.derive import Facts
from statusgen.errors import ContentInvalid
from statusgen.render.files import SiteFiles
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.site import SiteRenderer, Task, Templates, template_error


class PreviewSite:
    """Every output path of one build, rendered lazily; safe to use from several threads."""

    def __init__(
        self,
        facts: Facts,
        theme_dir: Path,
        markdown: MarkdownRenderer,
        templates: Templates,
        built_at: datetime | None = None,
    ) -> None:
        self._others = SiteFiles()  # feeds, API, assets …: everything but the pages
        self.renderer = SiteRenderer(facts, theme_dir, markdown, templates, self._others, built_at)
        self.pages: dict[str, int] = {
            page.out: index for index, page in enumerate(self.renderer.pages)
        }
        self.assets: dict[str, bytes] = {asset.path: asset.data for asset in self.renderer.assets}
        self._rendered: dict[str, bytes] = {}
        self._others_done = False
        self._lock = threading.Lock()  # views and templates are built on first use

    def get(self, path: str) -> bytes | None:
        """The bytes of the output file at `path` (relative to the site root), or None."""
        with self._lock:
            if path in self.pages:
                if path not in self._rendered:
                    try:
                        html = self.renderer.render_page(self.pages[path])
                    except TemplateError as error:
                        raise ContentInvalid(
                            [template_error(error, self.renderer.theme_dir)]
                        ) from None
                    self._rendered[path] = html.encode()
                return self._rendered[path]
            if path in self.assets:  # every page asks for them: never wait for the feeds
                return self.assets[path]
            if not self._others_done:
                for kind in ("feeds", "api", "other"):
                    self.renderer.run(Task(kind))
                self.renderer.site_files(self._others)
                self._others_done = True
            return self._others.get(path) if path in self._others else None

    def check_templates(self) -> None:
        """Render one page of each template now, so that a broken template is reported
        with the rebuild (ContentInvalid, file and line) rather than by a blank page."""
        first: dict[str, str] = {}
        for path, index in self.pages.items():
            first.setdefault(self.renderer.pages[index].template, path)
        for path in first.values():
            self.get(path)
