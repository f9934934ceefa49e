"""Headers and security.txt: /.well-known/security.txt follows RFC 9116; netlify.toml sends a
strict Content-Security-Policy and the usual hardening headers, lets anyone frame the badges
and nothing else, and every page type runs in Chromium under that policy without a violation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hostile import XSS_CONTENT, XSS_NOW
from netlify_headers import headers_for
from served import serve

from conftest import DEMO_NOW, EXAMPLE_CONTENT, MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.errors import ContentInvalid

SECURITY = """\
security:
  contact: mailto:security@example.com
  policy: https://example.com/security-policy
"""
WELL_KNOWN = ".well-known/security.txt"
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def security_fields(text: str) -> list[tuple[str, str]]:
    """RFC 9116 §2.3-2.4: one 'Field: value' per line; '#' comments and blank lines allowed."""
    fields = []
    for line in text.split("\n")[:-1]:  # the file ends with a line break
        assert "\r" not in line
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9-]+): (\S.*)", line)
        assert match, f"not a field line: {line!r}"
        fields.append((match[1].lower(), match[2]))
    return fields


@pytest.fixture
def security_site(scratch_site: ScratchSite, tmp_path: Path) -> Path:
    content = scratch_site(
        {**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "language: fr-CA\n" + SECURITY}
    )
    build(BuildOptions(content, tmp_path / "public", DEMO_NOW))
    return tmp_path / "public"


# ---- security.txt ------------------------------------------------------------------------


def test_security_txt_is_published_at_the_well_known_path_when_configured(
    security_site: Path,
) -> None:
    """`security:` in site.yml gives /.well-known/security.txt, UTF-8 text ending with a line break."""
    data = (security_site / WELL_KNOWN).read_bytes()
    text = data.decode("utf-8")
    assert text.endswith("\n") and not text.startswith("\ufeff")
    assert "/.well-known/security.txt" not in (security_site / "sitemap.xml").read_text()


def test_security_txt_has_the_fields_rfc_9116_asks_for(security_site: Path) -> None:
    """Contact and Expires (required), Policy, Preferred-Languages and Canonical, each once and well formed."""
    fields = security_fields((security_site / WELL_KNOWN).read_text())
    names = [name for name, _ in fields]
    assert names.count("contact") >= 1
    for once in ("expires", "policy", "preferred-languages", "canonical"):
        assert names.count(once) == 1, once
    values = dict(fields)
    assert all(v.startswith(("mailto:", "https://", "tel:")) for n, v in fields if n == "contact")
    assert values["contact"] == "mailto:security@example.com"
    assert values["policy"] == "https://example.com/security-policy"
    assert values["preferred-languages"] == "fr-CA"
    assert values["canonical"] == "https://status.example.com/.well-known/security.txt"


def test_security_txt_expires_in_the_future_and_less_than_a_year_after_the_build(
    security_site: Path,
) -> None:
    """Expires is an RFC 3339 time after the build's "now" and less than a year after it (§2.5.5)."""
    expires_text = dict(security_fields((security_site / WELL_KNOWN).read_text()))["expires"]
    assert RFC_3339.match(expires_text)
    expires = datetime.fromisoformat(expires_text)
    assert DEMO_NOW < expires < DEMO_NOW + timedelta(days=365)


def test_security_txt_expires_follows_the_builds_now_not_the_clock(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Two builds a month apart (by --now) give Expires a month apart: the file is fresh at every build."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + SECURITY})
    later = DEMO_NOW + timedelta(days=30)
    expiries = []
    for n, now in enumerate((DEMO_NOW, later)):
        build(BuildOptions(content, tmp_path / f"out{n}", now))
        text = dict(security_fields((tmp_path / f"out{n}" / WELL_KNOWN).read_text()))["expires"]
        expiries.append(datetime.fromisoformat(text))
    assert expiries[1] - expiries[0] == timedelta(days=30)
    assert all(e.tzinfo is not None and e.utcoffset() == timedelta(0) for e in expiries)


def test_no_security_txt_without_a_security_section(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A site that names no security contact publishes no security.txt rather than an invalid one."""
    build(BuildOptions(scratch_site(OPEN_INCIDENT), tmp_path / "public", DEMO_NOW))
    assert not (tmp_path / "public" / ".well-known").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("contact", '"mailto:a@example.com\\nPolicy: https://evil.example"'),
        ("contact", '"https://example.com/ x"'),
        ("contact", "javascript:alert(1)"),
        ("language", '"en\\nContact: https://evil.example"'),
        ("language", '"en\\"><script>"'),
    ],
)
def test_values_that_would_add_lines_to_security_txt_are_refused(
    scratch_site: ScratchSite, field: str, value: str
) -> None:
    """A line break in the contact or the language would smuggle a field into security.txt: refused."""
    if field == "contact":
        site = MINIMAL_SITE + f"security:\n  contact: {value}\n"
    else:
        site = MINIMAL_SITE + SECURITY + f"language: {value}\n"
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(scratch_site({"site.yml": site}))
    (error,) = caught.value.errors
    assert error.field in ("security.contact", "language") and error.source.path == "site.yml"


def test_netlify_serves_security_txt_as_utf_8_text() -> None:
    """RFC 9116 §3: text/plain with charset utf-8."""
    assert headers_for("/.well-known/security.txt")["Content-Type"] == "text/plain; charset=utf-8"


# ---- netlify.toml --------------------------------------------------------------------------

PAGE_PATHS = [
    "/",
    "/index.html",
    "/history/",
    "/history/2/",
    "/incidents/2026-10-19-power-loss-in-zone-par1/",
    "/maintenance/2026-11-26-postgresql-17-upgrade/",
    "/components/api/",
    "/support/",
    "/reliability/",
    "/404.html",
    "/no-such-page/",
    "/rss.xml",
    "/api/v2/summary.json",
    "/assets/style.0123456789.css",
]


def csp(path: str) -> dict[str, list[str]]:
    policy = headers_for(path)["Content-Security-Policy"]
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_path_but_the_badges_gets_the_strict_policy(path: str) -> None:
    """default-src 'self', scripts and styles only from the site's files (nothing inline), no plugins,
    no <base>, no forms, and no framing by any page."""
    policy = csp(path)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any(
        "unsafe" in source or source in ("*", "http:", "https:")
        for sources in policy.values()
        for source in sources
    )
    assert headers_for(path)["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", [*PAGE_PATHS, "/badges/api.svg", "/badges/status.json"])
def test_every_path_gets_nosniff_referrer_policy_and_hsts(path: str) -> None:
    """The hardening headers apply to every response, badges included."""
    headers = headers_for(path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in (
        "strict-origin-when-cross-origin",
        "no-referrer",
        "same-origin",
    )
    hsts = dict(re.findall(r"([\w-]+)(?:=(\d+))?", headers["Strict-Transport-Security"]))
    assert int(hsts["max-age"]) >= 31536000 and "includeSubDomains" in hsts


@pytest.mark.parametrize("path", ["/badges/api.svg", "/badges/status.svg", "/badges/api.json"])
def test_badges_may_be_framed_and_fetched_by_anyone_and_allow_nothing_else(path: str) -> None:
    """The embeddable path: frame-ancestors *, any origin may fetch it, and its policy allows no
    script, style or sub-resource at all (a badge needs none)."""
    policy = csp(path)
    assert policy["frame-ancestors"] == ["*"]
    assert policy["default-src"] == ["'none'"] and "sandbox" in policy
    headers = headers_for(path)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_existing_cache_rules_are_kept() -> None:
    """Hashed assets for a year, HTML revalidated, feeds and badges for a minute."""
    assert (
        headers_for("/assets/style.0123456789.css")["Cache-Control"]
        == "public, max-age=31536000, immutable"
    )
    assert headers_for("/")["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert headers_for("/badges/api.svg")["Cache-Control"] == "public, max-age=60"
    assert headers_for("/rss.xml")["Cache-Control"] == "public, max-age=60"


# ---- the policy in a real browser --------------------------------------------------------

# Every violation, as the page sees it; set before any page script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def netlify_headers(path: str) -> dict[str, str]:
    """What Netlify adds for `path`; the test server already sends a Content-Type."""
    return {name: value for name, value in headers_for(path).items() if name != "Content-Type"}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csp") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("csp-hostile")
    for rel, text in XSS_CONTENT.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(str(text), encoding="utf-8")
    build(BuildOptions(root / "content", root / "public", XSS_NOW))
    return root / "public"


def page_types(site: Path) -> list[str]:
    """One URL of every kind of page the site has, and an unknown path for the 404 page."""
    paths = ["/", "/history/", "/support/", "/reliability/", "/no-such-page/"]
    for kind in ("incidents", "maintenance", "components"):
        paths += [
            f"/{kind}/{folder.name}/"
            for folder in sorted((site / kind).iterdir())
            if folder.is_dir()
        ][:3]
    if (site / "history" / "2").is_dir():
        paths.append("/history/2/")
    return paths


def visit_under_policy(browser, site: Path) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Load every page type served with netlify.toml's headers; return the violations per path."""
    violations: dict[str, list[str]] = {}
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        with serve(site, netlify_headers) as served:
            for path in page_types(site):
                console.clear()
                response = page.goto(served.url(path), wait_until="load")
                assert (
                    response is not None
                    and "frame-ancestors 'none'" in response.headers["content-security-policy"]
                ), path
                page.wait_for_timeout(150)  # the site's script runs deferred; let it finish
                found = page.evaluate("window.__violations") + [
                    m for m in console if "Content Security Policy" in m
                ]
                if found:
                    violations[path] = found
    finally:
        context.close()
    return violations


@pytest.mark.slow
def test_every_page_type_of_the_example_site_runs_under_the_policy_without_a_violation(
    example_site: Path, chromium
) -> None:  # type: ignore[no-untyped-def]
    """Served with netlify.toml's headers, Chromium reports no securitypolicyviolation event and no
    "Content Security Policy" console message on any page type, and the site's script still runs."""
    assert visit_under_policy(chromium, example_site) == {}


@pytest.mark.slow
def test_every_page_type_of_the_hostile_site_runs_under_the_policy_without_a_violation(
    hostile_site: Path, chromium
) -> None:  # type: ignore[no-untyped-def]
    """Escaped and sanitised payloads do not even try to load anything the policy would block."""
    assert visit_under_policy(chromium, hostile_site) == {}


@pytest.mark.slow
def test_a_badge_can_be_framed_by_another_site_and_a_page_cannot(
    example_site: Path, chromium, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """From another origin, an iframe of /badges/api.svg shows the badge; an iframe of / is refused."""
    embedder = tmp_path / "embedder"
    embedder.mkdir()
    context = chromium.new_context()
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        with serve(example_site, netlify_headers) as status, serve(embedder) as other:
            (embedder / "index.html").write_text(
                f'<!DOCTYPE html><title>x</title><iframe id="badge" src="{status.url("/badges/api.svg")}"></iframe>'
                f'<iframe id="page" src="{status.url("/")}"></iframe>'
            )
            page.goto(other.url("/"), wait_until="load")
            page.wait_for_timeout(300)
            badge = next(f for f in page.frames if f.url.endswith("/badges/api.svg"))
            assert badge.evaluate("document.documentElement.localName") == "svg"
            assert any(
                "frame-ancestors 'none'" in message and status.base_url in message
                for message in console
            ), console
            assert not any("badges" in message for message in console), console
    finally:
        context.close()
