"""The interface's message catalogues: complete in every shipped language, current with the
sources, compiled as shipped (statusgen/locale; `scripts/catalogues` maintains them)."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import ROOT
from statusgen.render.language import CATALOGUES, DOMAIN, SHIPPED, SOURCE_LANGUAGE, language

TRANSLATED = [tag for tag in SHIPPED if tag != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def po_path(tag: str) -> Path:
    return CATALOGUES / tag / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def extracted_messages() -> set[str | tuple[str, ...]]:
    """What `scripts/catalogues extract` (babel.cfg) would find in the code and theme now."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    sources = [
        (ROOT / "statusgen", [("**.py", "python")], {}),
        (
            ROOT / "themes" / "default" / "templates",
            [("**.html", "jinja2")],
            {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
        ),
    ]
    found: set[str | tuple[str, ...]] = set()
    for folder, methods, options in sources:
        for _, _, message, _, _ in extract_from_dir(
            str(folder), methods, options_map=options, keywords=keywords
        ):
            found.add(message)
    return found


def catalogue_ids(catalogue: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalogue if message.id}


def test_the_template_catalogue_holds_exactly_the_messages_of_the_sources() -> None:
    """A message added to (or removed from) a template or the code is in statusgen.pot."""
    template = read_catalogue(CATALOGUES / f"{DOMAIN}.pot")
    extracted = extracted_messages()
    assert extracted, "no message found: the extraction itself is broken"
    missing = extracted - catalogue_ids(template)
    stale = catalogue_ids(template) - extracted
    assert not missing and not stale, (
        f"run scripts/catalogues extract: missing {sorted(map(str, missing))[:10]}, "
        f"stale {sorted(map(str, stale))[:10]}"
    )


@pytest.mark.parametrize("tag", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(tag: str) -> None:
    """No message is missing, empty or fuzzy, plurals fill every form, and each translation
    keeps the original's %(name)s placeholders (else the page would crash or lose a value)."""
    template = read_catalogue(CATALOGUES / f"{DOMAIN}.pot")
    catalogue = read_catalogue(po_path(tag))
    problems = [f"missing: {m.id!r}" for m in template if m.id and m.id not in catalogue]
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if len(ids) > 1 and len(strings) != catalogue.num_plurals:
            problems.append(f"{len(strings)} plural forms of {catalogue.num_plurals}: {ids[0]!r}")
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if not text:
                problems.append(f"empty: {ids[0]!r}")
            elif sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert problems == []


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_compiled_catalogue_is_the_compiled_source(tag: str) -> None:
    """The .mo in the package says what its .po says: `scripts/catalogues compile` was run."""
    expected = io.BytesIO()
    write_mo(expected, read_catalogue(po_path(tag)))
    expected.seek(0)
    shipped = po_path(tag).with_suffix(".mo")
    assert shipped.is_file(), "run scripts/catalogues compile"
    with shipped.open("rb") as file:
        have = gettext.GNUTranslations(file)
    want = gettext.GNUTranslations(expected)
    assert have._catalog == want._catalog  # type: ignore[attr-defined]


@pytest.mark.parametrize("tag", TRANSLATED)
def test_a_language_reads_its_compiled_catalogue(tag: str) -> None:
    """The page's words come from the shipped catalogue, plurals by the language's rules."""
    lang = language(tag)
    assert lang.gettext("Past incidents") != "Past incidents"
    one = lang.ngettext("%(count)s incident", "%(count)s incidents", 1)
    assert "%(count)s" in one


def test_arabic_has_six_plural_forms_and_reads_right_to_left() -> None:
    """Arabic's catalogue has CLDR's six plural forms, and one, two and a few read differently;
    its pages are laid out right to left."""
    assert read_catalogue(po_path("ar")).num_plurals == 6
    lang = language("ar")
    words = {n: lang.ngettext("%(count)s incident", "%(count)s incidents", n) for n in (1, 2, 3)}
    assert len(set(words.values())) == 3
    assert lang.direction == "rtl" and language("fr").direction == "ltr"
