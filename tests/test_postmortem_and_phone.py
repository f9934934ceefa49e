"""Post-mortems as customers read them, and pages that hold together on a phone.

A review names components, never their ids, shows one timeline and words every duration as the
incident page does. Percentages and phone numbers never break across lines, numbers are `tel:`
links, and the script names the site's zone as the build does (CET, not GMT+1).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import html5lib
import pytest
from click.testing import CliRunner

from conftest import DEMO_NOW, EXAMPLE_CONTENT, MINIMAL_SITE, ScratchSite
from statusgen.build import BuildOptions, build
from statusgen.cli.main import main
from statusgen.cli.options import short_duration
from statusgen.derive.lint import _ago
from statusgen.render.times import format_duration, zone_names
from statusgen.render.views import contact_view, link_phone_numbers

SLUG = "2026-11-10-outage"
BLIP = {  # a 30-second incident: its duration is under a minute
    f"incidents/{SLUG}/incident.md": "---\ntitle: Outage\nseverity: major\ncomponents: [api, dashboard]\n---\n",
    f"incidents/{SLUG}/01.md": (
        "---\nat: 2026-11-10T10:00:00+01:00\nstatus: investigating\ncomponents:\n  dashboard: major_outage\n---\n"
        "The dashboard is down. We are looking.\n"
    ),
    f"incidents/{SLUG}/02.md": "---\nat: 2026-11-10T10:00:30+01:00\nstatus: resolved\n---\nBack. All good.\n",
}
NOW = datetime(2026, 11, 11, 9, 0, tzinfo=UTC)


def write_skeleton(content: Path) -> str:
    result = CliRunner().invoke(
        main,
        [
            "incident",
            "postmortem",
            SLUG,
            "--content",
            str(content),
            "--now",
            NOW.isoformat(),
            "--yes",
        ],
    )
    assert result.exit_code == 0, result.output
    return (content / "incidents" / SLUG / "postmortem.md").read_text()


def built_page(content: Path, out: Path, path: str) -> str:
    build(BuildOptions(content, out, NOW))
    return (out / path / "index.html").read_text()


def text_of(html: str) -> str:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join(" ".join(document.find("body").itertext()).split())  # type: ignore[union-attr]


# ---- post-mortems -----------------------------------------------------------------------


def test_the_postmortem_skeleton_names_components_without_their_ids(
    scratch_site: ScratchSite,
) -> None:
    """Customers know 'Dashboard', not `dashboard`: ids are for URLs and the API."""
    skeleton = write_skeleton(scratch_site(BLIP))
    assert "- **Dashboard**: major outage at worst" in skeleton
    assert "`dashboard`" not in skeleton and "(`" not in skeleton


def test_a_duration_under_a_minute_reads_the_same_in_the_skeleton_and_on_the_page(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A 30-second incident is '< 1 min' in the review's Impact and in the page's facts, never '0 min'."""
    content = scratch_site(BLIP)
    skeleton = write_skeleton(content)
    assert "**Duration:** < 1 min, from 2026-11-10 10:00 to 2026-11-10 10:00 CET." in skeleton
    page = text_of(built_page(content, tmp_path / "public", f"incidents/{SLUG}"))
    assert "Duration < 1 min" in page and "0 min" not in page


@pytest.mark.parametrize("seconds", [0, 30, 59])
def test_every_duration_under_a_minute_has_one_wording(seconds: int) -> None:
    """Pages, post-mortems, lint messages and the terminal say '< 1 min' alike."""
    span = timedelta(seconds=seconds)
    assert format_duration(span) == short_duration(span) == _ago(span) == "< 1 min"
    assert short_duration(-span) == "< 1 min"


def test_pages_lint_and_terminal_word_longer_durations_alike() -> None:
    """'1 h 05 min' and '3 d 4 h' everywhere, not '1 h 5 min' in one place and '3 days' in another."""
    for span, text in (
        (timedelta(minutes=65), "1 h 05 min"),
        (timedelta(days=3, hours=4, minutes=7), "3 d 4 h"),
    ):
        assert format_duration(span) == short_duration(span) == _ago(span) == text
    assert short_duration(timedelta(minutes=-65)) == "-1 h 05 min"


def test_a_postmortem_made_from_the_skeleton_shows_one_timeline(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The review's own Timeline (started from the updates) replaces the page's generated one."""
    content = scratch_site(BLIP)
    review = content / "incidents" / SLUG / "postmortem.md"
    review.write_text(write_skeleton(content).replace("TODO: ", ""))
    html = built_page(content, tmp_path / "public", f"incidents/{SLUG}")
    postmortem = html[html.index('id="postmortem"') :]
    assert len(re.findall(r"<h[2-4][^>]*>[^<]*Timeline", postmortem)) == 1
    assert "Timeline of our updates" not in postmortem
    assert postmortem.count("The dashboard is down.") == 1


def test_a_postmortem_without_a_timeline_gets_the_generated_one(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A review that tells no timeline of its own still gives readers one: the updates, oldest first."""
    review = {
        f"incidents/{SLUG}/postmortem.md": "---\npublished: 2026-11-11T10:00:00+01:00\n---\n## Root cause\n\nA bad deploy.\n"
    }
    html = built_page(scratch_site({**BLIP, **review}), tmp_path / "public", f"incidents/{SLUG}")
    postmortem = html[html.index('id="postmortem"') :]
    assert "Timeline of our updates" in postmortem
    assert postmortem.index("The dashboard is down.") < postmortem.index("Back.")


# ---- numbers that must not break on a small screen ---------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("phone") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


def test_no_percentage_on_any_page_can_break_before_its_sign(example: Path) -> None:
    """A percentage never has a breakable space before its sign ('99.96%' in English, '99,96 %'
    with a no-break space where the language spaces it), so '%' never starts a line."""
    pages = sorted(example.rglob("*.html"))
    broken = []
    for page in pages:
        document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        body = document.find("body")
        assert body is not None
        texts = [" ".join(body.itertext())] + [
            value for element in body.iter() for value in element.attrib.values()
        ]
        broken += [
            f"{page.relative_to(example)}: {m.group()!r}"
            for text in texts
            for m in re.finditer(r"\S*\d[ \t\n]+%", text)
        ]
    assert broken == []
    api = html5lib.parse(
        (example / "components/api/index.html").read_bytes(), namespaceHTMLElements=False
    )
    assert "99.98%" in "".join(api.find("body").itertext())  # type: ignore[union-attr]


def test_the_escalation_phone_number_is_a_tel_link_that_keeps_its_text(example: Path) -> None:
    """The support page's emergency line can be tapped to call, and reads as written."""
    html = (example / "support/index.html").read_text()
    assert '<a class="tel" href="tel:+33100000000">+33 1 00 00 00 00</a>' in html


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        (
            "Call +33 1 00 00 00 00 now.",
            '<a class="tel" href="tel:+33100000000">+33 1 00 00 00 00</a>',
        ),
        (
            "Call +44 (0)20 7946 0958.",
            '<a class="tel" href="tel:+442079460958">+44 (0)20 7946 0958</a>',
        ),
        (
            "US: +1-202-555-0143, EU: +49.30.901820",
            'href="tel:+12025550143">+1-202-555-0143</a>, EU: <a class="tel" href="tel:+4930901820">',
        ),
    ],
)
def test_international_numbers_in_text_become_tel_links(text: str, linked: str) -> None:
    """A '+' number, whatever its separators, is linked with its digits only."""
    assert linked in link_phone_numbers(text)


@pytest.mark.parametrize(
    "text",
    [
        "Since 2026-11-20 at 14:00, 3 of 12 hosts",
        "Ticket +12 and +7 more",
        "Room 1 00 00, <b>x</b>",
    ],
)
def test_text_without_an_international_number_is_only_escaped(text: str) -> None:
    """Dates, counts and short codes stay text; markup in the text is escaped, never trusted."""
    html = str(link_phone_numbers(text))
    assert "<a" not in html and "<b>" not in html


def test_markup_around_a_linked_number_stays_escaped() -> None:
    """Only the link is markup: the rest of the escalation text is escaped as before."""
    html = str(link_phone_numbers('<script>x</script> call "+33 1 00 00 00 00"'))
    assert (
        html
        == '&lt;script&gt;x&lt;/script&gt; call &#34;<a class="tel" href="tel:+33100000000">+33 1 00 00 00 00</a>&#34;'
    )


def test_a_phone_contact_is_a_tel_link_marked_to_stay_on_one_line() -> None:
    """`phone: 01 23 45 67 89` or `+33 …` in support.contacts is a number to call, class "tel"."""
    national = contact_view("phone", "01 23 45 67 89")
    assert (national.href, national.value, national.phone) == (
        "tel:0123456789",
        "01 23 45 67 89",
        True,
    )
    assert contact_view("emergency_line", "+33 (0)1 00 00 00 00").href == "tel:+33100000000"
    assert contact_view("hotline", "tel:+33100000000").phone
    assert not contact_view("email", "help@example.com").phone
    assert contact_view("hours", "9 to 5").href is None


def test_a_phone_contact_on_the_support_page_is_a_tel_link(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The support page renders a phone contact as a link the theme keeps on one line."""
    site = MINIMAL_SITE + "support:\n  contacts:\n    phone: +33 1 00 00 00 00\n"
    html = built_page(scratch_site({"site.yml": site}), tmp_path / "public", "support")
    assert '<a href="tel:+33100000000" class="tel">+33 1 00 00 00 00</a>' in html


def test_the_theme_keeps_phone_numbers_on_one_line() -> None:
    """class "tel" is white-space: nowrap in the default theme."""
    css = (Path(__file__).resolve().parent.parent / "themes/default/static/style.css").read_text()
    assert re.search(r"\.tel \{ white-space: nowrap; \}", css)


# ---- the zone's name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "names"),
    [
        ("Europe/Paris", "60=CET 120=CEST"),
        ("Australia/Sydney", "600=AEST 660=AEDT"),
        ("Asia/Kolkata", "330=IST"),
        ("UTC", "0=UTC"),
    ],
)
def test_zone_names_give_the_builds_abbreviation_for_each_offset(zone: str, names: str) -> None:
    """The script maps a moment's offset to the name the build prints, both halves of the year."""
    assert zone_names(ZoneInfo(zone), DEMO_NOW) == names


def test_every_page_tells_the_script_the_sites_zone_names(example: Path) -> None:
    """The footer carries the names, so the support hours and promises say CET as the page does."""
    for path in (
        "index.html",
        "support/index.html",
        "incidents/2026-11-23-elevated-api-error-rates-in-par1/index.html",
    ):
        assert (
            'data-site-zone="Europe/Paris" data-zone-names="60=CET 120=CEST"'
            in (example / path).read_text()
        )
