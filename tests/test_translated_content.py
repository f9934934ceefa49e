"""Multi-language content: site.yml's `languages`, and `NAME.<lang>.md` translations of the text
of updates, incidents, post-mortems and maintenances, as executable specifications.

Each test writes a scratch content folder, runs the real loader and validator and checks the
model, or what the person on call reads: the file, the field, what is wrong and the fix.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from conftest import MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import load_and_validate
from statusgen.cli.main import main
from statusgen.content.loader import LoadedFolder, load_content
from statusgen.errors import ContentError, ContentInvalid, Level, Source
from statusgen.model import Content, Site, Translation, translated
from statusgen.serve.preview import Preview, PreviewOptions
from statusgen.validate import ValidationMemo, validate

SLUG = "2026-11-20-api-errors"
INCIDENT = f"incidents/{SLUG}"
INCIDENT_MD = f"{INCIDENT}/incident.md"
UPDATE_01 = f"{INCIDENT}/01.md"
MAINTENANCE = "maintenance/2026-12-01-db-upgrade"
NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)

BILINGUAL_SITE = MINIMAL_SITE + "languages: [en, fr]\n"  # `languages` on line 11

FRENCH_UPDATE = """\
    ---
    at: 2026-11-20T14:02:00+01:00
    ---
    Nous enquêtons sur des erreurs de l'API.
    """

RESOLVED = """\
    ---
    at: 2026-11-20T15:00:00+01:00
    status: resolved
    ---
    Error rates are back to normal.
    """

MAINTENANCE_FILES = {
    f"{MAINTENANCE}/maintenance.md": """\
        ---
        title: Database upgrade
        scheduled_for: 2026-12-01T02:00:00+01:00
        scheduled_until: 2026-12-01T04:00:00+01:00
        components: [api]
        ---
        The API is read-only during the upgrade.
        """,
    f"{MAINTENANCE}/01.md": """\
        ---
        at: 2026-12-01T02:00:00+01:00
        status: in_progress
        ---
        The upgrade has begun.
        """,
}


def valid(root: Path) -> Content:
    content, errors = load_and_validate(root)
    assert not [e for e in errors if e.level is Level.ERROR]
    return content


def reported(root: Path) -> list[ContentError]:
    """The errors of the ContentInvalid that loading `root` must raise."""
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(root)
    return caught.value.errors


def only_error(root: Path) -> ContentError:
    errors = reported(root)
    assert len(errors) == 1, "\n".join(e.format() for e in errors)
    return errors[0]


# ---- site.yml: language and languages ------------------------------------------------------


def test_languages_alone_make_their_first_the_sites_language(scratch_site: ScratchSite) -> None:
    """`languages: [fr, en]` without `language` is a French site also built in English."""
    root = scratch_site({"site.yml": MINIMAL_SITE + "languages: [fr, en]\n", **OPEN_INCIDENT})
    site = valid(root).site
    assert (site.language, site.languages) == ("fr", ("fr", "en"))


def test_language_alone_is_a_one_language_site(scratch_site: ScratchSite) -> None:
    """`language: de` without `languages` builds the site in German only."""
    root = scratch_site({"site.yml": MINIMAL_SITE + "language: de\n", **OPEN_INCIDENT})
    site = valid(root).site
    assert (site.language, site.languages) == ("de", ("de",))


def test_a_site_without_language_or_languages_is_english(scratch_site: ScratchSite) -> None:
    """Neither field: the site is in English only."""
    site = valid(scratch_site({**OPEN_INCIDENT})).site
    assert (site.language, site.languages) == ("en", ("en",))


def test_language_and_languages_that_agree_are_accepted(scratch_site: ScratchSite) -> None:
    """`language` may repeat the first of `languages`."""
    root = scratch_site({"site.yml": BILINGUAL_SITE + "language: en\n", **OPEN_INCIDENT})
    site = valid(root).site
    assert (site.language, site.languages) == ("en", ("en", "fr"))


def test_language_other_than_the_first_of_languages_is_an_error(scratch_site: ScratchSite) -> None:
    """`language: fr` with `languages: [en, fr]` names the field, its line and both fixes."""
    root = scratch_site({"site.yml": BILINGUAL_SITE + "language: fr\n", **OPEN_INCIDENT})
    error = only_error(root)
    assert (error.source, error.field) == (Source("site.yml", 12), "language")
    assert "not the first of languages (en, fr)" in error.message
    assert error.hint is not None
    assert "put fr first in languages" in error.hint and "remove 'language:'" in error.hint


def test_an_empty_list_of_languages_is_an_error(scratch_site: ScratchSite) -> None:
    """`languages: []` names no language to build: refused at its line."""
    root = scratch_site({"site.yml": MINIMAL_SITE + "languages: []\n", **OPEN_INCIDENT})
    error = only_error(root)
    assert (error.source, error.field) == (Source("site.yml", 11), "languages")
    assert "empty" in error.message and error.hint and "languages: [en, fr]" in error.hint


def test_a_language_listed_twice_is_an_error(scratch_site: ScratchSite) -> None:
    """Tags compare without case: `fr` and `FR` are one language listed twice."""
    root = scratch_site({"site.yml": MINIMAL_SITE + "languages: [en, fr, FR]\n", **OPEN_INCIDENT})
    error = only_error(root)
    assert (error.source, error.field) == (Source("site.yml", 11), "languages")
    assert "'FR' is listed twice" in error.message and error.hint == "list each language once"


def test_each_bad_entry_of_languages_is_its_own_error(scratch_site: ScratchSite) -> None:
    """Two entries that are not language tags give two errors, each naming its position."""
    root = scratch_site(
        {"site.yml": MINIMAL_SITE + 'languages: [en, "fr fr", "<b>"]\n', **OPEN_INCIDENT}
    )
    messages = [e.message for e in reported(root)]
    assert messages == [
        "languages[2]: 'fr fr' is not a language tag",
        "languages[3]: '<b>' is not a language tag",
    ]


def test_language_mistakes_are_reported_with_every_other_error(scratch_site: ScratchSite) -> None:
    """A duplicate language does not hide an update's unknown component, nor the reverse."""
    update = OPEN_INCIDENT[UPDATE_01].replace("api: partial_outage", "apii: partial_outage")
    root = scratch_site(
        {
            "site.yml": MINIMAL_SITE + "languages: [en, en]\n",
            INCIDENT_MD: OPEN_INCIDENT[INCIDENT_MD],
            UPDATE_01: update,
        }
    )
    found = {(e.source.path, e.field) for e in reported(root)}
    assert found == {("site.yml", "languages"), (UPDATE_01, "components.apii")}


def test_a_site_built_without_languages_has_its_language_alone() -> None:
    """Code that builds a Site without `languages` keeps working: it is (language,)."""
    site = Site(
        name="Acme",
        url="https://status.example.com",
        timezone=ZoneInfo("UTC"),
        language="nl",
        description=None,
        theme=None,
        components=(),
        support=None,
        security=None,
        update_cadence=(),
        source=Source("site.yml"),
    )
    assert site.languages == ("nl",)


# ---- translations in the model -------------------------------------------------------------


def test_an_update_translation_is_that_updates_text_in_the_language(
    scratch_site: ScratchSite,
) -> None:
    """`01.fr.md` beside `01.md` gives the update a French body; the update stays one update."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": FRENCH_UPDATE}
    )
    (incident,) = valid(root).incidents
    (update,) = incident.updates
    assert update.id == "01" and update.body == "We are investigating errors on the API."
    assert update.translations == (
        Translation(
            "fr",
            "Nous enquêtons sur des erreurs de l'API.",
            None,
            None,
            Source(f"{INCIDENT}/01.fr.md", 2),
        ),
    )


def test_translated_finds_a_language_without_case_and_nothing_else(
    scratch_site: ScratchSite,
) -> None:
    """`translated` returns the translation of a language (any case), else None."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": FRENCH_UPDATE}
    )
    update = valid(root).incidents[0].updates[0]
    found = translated(update, "FR")
    assert found is not None and found.body.startswith("Nous enquêtons")
    assert translated(update, "en") is None and translated(update, "de") is None
    assert translated(valid(root).incidents[0], "fr") is None  # incident.md has none


def test_incident_md_translation_holds_title_actions_and_summary(
    scratch_site: ScratchSite,
) -> None:
    """`incident.fr.md` translates the title, the customer actions and the summary."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: major
                customer_actions: [Retry failed requests]
                ---
                Some API calls fail.
                """,
            f"{INCIDENT}/incident.fr.md": """\
                ---
                title: Taux d'erreur élevé sur l'API
                severity: major
                customer_actions: [Relancez les requêtes en échec]
                ---
                Certains appels à l'API échouent.
                """,
        }
    )
    incident = valid(root).incidents[0]
    (french,) = incident.translations
    assert french.title == "Taux d'erreur élevé sur l'API"
    assert french.customer_actions == ("Relancez les requêtes en échec",)
    assert french.body == "Certains appels à l'API échouent."
    assert incident.title == "Elevated error rates on the API"  # the original is untouched


def test_a_translation_may_leave_out_title_and_actions(scratch_site: ScratchSite) -> None:
    """A translation without `title` or `customer_actions` keeps the original's (None)."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/incident.fr.md": "---\n---\nRésumé.\n",
        }
    )
    (french,) = valid(root).incidents[0].translations
    assert (french.title, french.customer_actions, french.body) == (None, None, "Résumé.")


def test_postmortem_and_maintenance_files_have_translations(scratch_site: ScratchSite) -> None:
    """postmortem.fr.md, maintenance.fr.md and a maintenance update's 01.fr.md are read too."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/02.md": RESOLVED,
            f"{INCIDENT}/postmortem.md": "---\npublished: 2026-11-21T10:00:00+01:00\n---\nReview.\n",
            f"{INCIDENT}/postmortem.fr.md": "---\n---\nAnalyse.\n",
            **MAINTENANCE_FILES,
            f"{MAINTENANCE}/maintenance.fr.md": "---\ntitle: Mise à jour\n---\nEn lecture seule.\n",
            f"{MAINTENANCE}/01.fr.md": "---\nstatus: in_progress\n---\nC'est parti.\n",
        }
    )
    content = valid(root)
    postmortem = content.incidents[0].postmortem
    assert postmortem is not None and [t.body for t in postmortem.translations] == ["Analyse."]
    (maintenance,) = content.maintenances
    assert [(t.title, t.body) for t in maintenance.translations] == [
        ("Mise à jour", "En lecture seule.")
    ]
    assert [u.id for u in maintenance.updates] == ["01"]
    assert [t.body for t in maintenance.updates[0].translations] == ["C'est parti."]


def test_translations_come_in_the_order_of_the_sites_languages(scratch_site: ScratchSite) -> None:
    """With `languages: [en, nl, de]`, an update's translations are nl, then de."""
    root = scratch_site(
        {
            "site.yml": MINIMAL_SITE + "languages: [en, nl, de]\n",
            **OPEN_INCIDENT,
            f"{INCIDENT}/01.de.md": "---\n---\nWir untersuchen.\n",
            f"{INCIDENT}/01.nl.md": "---\n---\nWe onderzoeken.\n",
        }
    )
    update = valid(root).incidents[0].updates[0]
    assert [t.language for t in update.translations] == ["nl", "de"]


def test_a_listed_language_with_a_script_subtag_names_a_translation(
    scratch_site: ScratchSite,
) -> None:
    """`01.zh-Hant.md` is a translation on a site whose languages list zh-Hant."""
    root = scratch_site(
        {
            "site.yml": MINIMAL_SITE + "languages: [en, zh-Hant]\n",
            **OPEN_INCIDENT,
            f"{INCIDENT}/01.zh-hant.md": "---\n---\n我們正在調查。\n",
        }
    )
    update = valid(root).incidents[0].updates[0]
    assert [t.language for t in update.translations] == ["zh-Hant"]  # the site's spelling


def test_update_names_with_dots_are_not_translations(scratch_site: ScratchSite) -> None:
    """`02-v1.2.md`, `03-deploy.v2.md`, `04-rollback.done.md`: updates, as no language code ends
    their names."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/02-v1.2.md": "---\nat: 2026-11-20T14:10:00+01:00\n"
            "status: identified\n---\nVersion 1.2 is at fault.\n",
            f"{INCIDENT}/03-deploy.v2.md": "---\nat: 2026-11-20T14:20:00+01:00\n"
            "status: monitoring\n---\nVersion 2 is deployed.\n",
            f"{INCIDENT}/04-rollback.done.md": "---\nat: 2026-11-20T14:30:00+01:00\n"
            "status: monitoring\n---\nThe rollback is done.\n",
        }
    )
    ids = [u.id for u in valid(root).incidents[0].updates]
    assert ids == ["01", "02-v1.2", "03-deploy.v2", "04-rollback.done"]


def test_a_translation_changes_no_update_id_order_or_count(scratch_site: ScratchSite) -> None:
    """Translations of every update leave the incident's updates exactly as without them."""
    files: dict[str, str | bytes] = {
        "site.yml": BILINGUAL_SITE,
        **OPEN_INCIDENT,
        f"{INCIDENT}/02.md": RESOLVED,
    }
    plain = valid(scratch_site(files)).incidents[0]
    translated_files = {
        f"{INCIDENT}/01.fr.md": FRENCH_UPDATE,
        f"{INCIDENT}/02.fr.md": "---\n---\nTout est rétabli.\n",
        f"{INCIDENT}/incident.fr.md": "---\ntitle: Erreurs\n---\n",
    }
    both = valid(scratch_site({**files, **translated_files})).incidents[0]
    assert [(u.id, u.at, u.status, u.body) for u in both.updates] == [
        (u.id, u.at, u.status, u.body) for u in plain.updates
    ]


def test_statusgen_incident_update_numbers_after_the_updates_not_the_translations(
    scratch_site: ScratchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 01.md and 01.fr.md, `incident update` writes 02-identified.md and the site stays valid."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": FRENCH_UPDATE}
    )
    monkeypatch.chdir(tmp_path)
    arguments = ["--status", "identified", "--message", "Found it.", "--now", "2026-11-23T13:30Z"]
    result = CliRunner().invoke(main, ["incident", "update", *arguments, "--yes"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / INCIDENT).iterdir()) == [
        "01.fr.md",
        "01.md",
        "02-identified.md",
        "incident.md",
    ]
    assert [u.id for u in valid(root).incidents[0].updates] == ["01", "02-identified"]


# ---- translation mistakes ------------------------------------------------------------------


def test_a_field_that_differs_from_the_original_is_an_error(scratch_site: ScratchSite) -> None:
    """A translation's `status` other than the original's names both files, the field and the fix."""
    french = FRENCH_UPDATE.replace("---\n    Nous", "status: identified\n    ---\n    Nous")
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": french}
    )
    error = only_error(root)
    assert (error.source, error.field) == (Source(f"{INCIDENT}/01.fr.md", 3), "status")
    assert UPDATE_01 in error.message
    assert "'investigating' there, 'identified' here" in error.message
    assert error.hint is not None and error.hint.startswith("remove the field from the translation")


def test_a_field_copied_unchanged_from_the_original_is_accepted(scratch_site: ScratchSite) -> None:
    """`at` (and every other field) may be repeated as long as it is the original's value."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": FRENCH_UPDATE}
    )
    assert valid(root).incidents[0].updates[0].translations[0].language == "fr"


def test_a_field_the_original_lacks_is_an_error(scratch_site: ScratchSite) -> None:
    """A `next_update` only in the translation would say something the original does not."""
    french = "---\nnext_update: 2026-11-20T15:00:00+01:00\n---\nNous enquêtons.\n"
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": french}
    )
    error = only_error(root)
    assert (error.source, error.field) == (Source(f"{INCIDENT}/01.fr.md", 2), "next_update")
    assert f"'next_update' is not in {UPDATE_01}" in error.message
    assert error.hint == "remove the field from the translation"


def test_a_title_in_an_update_translation_is_an_error(scratch_site: ScratchSite) -> None:
    """Only incident.md and maintenance.md translations have a title."""
    french = "---\ntitle: Erreurs\n---\nNous enquêtons.\n"
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": french}
    )
    error = only_error(root)
    assert (error.source.path, error.field) == (f"{INCIDENT}/01.fr.md", "title")


def test_a_misspelt_translated_field_suggests_the_right_name(scratch_site: ScratchSite) -> None:
    """`titel:` in incident.fr.md is not silently dropped: the fix names `title`."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/incident.fr.md": "---\ntitel: Erreurs\n---\n",
        }
    )
    error = only_error(root)
    assert error.field == "titel" and error.hint is not None
    assert "rename it to 'title'" in error.hint


def test_a_language_the_site_does_not_list_is_an_error(scratch_site: ScratchSite) -> None:
    """`01.de.md` on an en/fr site: the fix is to add de to languages or rename the file."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.de.md": FRENCH_UPDATE}
    )
    error = only_error(root)
    assert error.source.path == f"{INCIDENT}/01.de.md"
    assert error.message == "'de' is not one of the site's languages (en, fr)"
    assert error.hint is not None
    assert error.hint.startswith("add de to languages in site.yml, or rename the file")


def test_a_language_code_on_a_one_language_site_is_an_error_not_an_update(
    scratch_site: ScratchSite,
) -> None:
    """Without `languages`, `01.fr.md` still looks like a translation: an error, never an update."""
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": FRENCH_UPDATE})
    error = only_error(root)
    assert error.source.path == f"{INCIDENT}/01.fr.md"
    assert "'fr' is not one of the site's languages (en)" in error.message


def test_a_translation_into_the_first_language_is_an_error(scratch_site: ScratchSite) -> None:
    """`01.en.md` on an en/fr site: 01.md is already the English text."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.en.md": FRENCH_UPDATE}
    )
    error = only_error(root)
    assert error.source.path == f"{INCIDENT}/01.en.md"
    assert "'en' is the site's first language" in error.message
    assert error.hint == "put this text in 01.md, or remove the file"


def test_a_translation_without_its_original_is_an_error(scratch_site: ScratchSite) -> None:
    """`02.fr.md` without `02.md` translates nothing: the fix names the missing file."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/02.fr.md": FRENCH_UPDATE}
    )
    error = only_error(root)
    assert error.source.path == f"{INCIDENT}/02.fr.md"
    assert error.message == "translation of 02.md, which does not exist"
    assert error.hint is not None and f"add {INCIDENT}/02.md" in error.hint


def test_a_postmortem_translation_without_a_postmortem_is_an_error(
    scratch_site: ScratchSite,
) -> None:
    """`postmortem.fr.md` needs `postmortem.md`."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/postmortem.fr.md": "---\n---\nAnalyse.\n",
        }
    )
    error = only_error(root)
    assert (error.source.path, error.message) == (
        f"{INCIDENT}/postmortem.fr.md",
        "translation of postmortem.md, which does not exist",
    )


def test_a_translation_of_a_translation_is_an_error(scratch_site: ScratchSite) -> None:
    """`01.fr.de.md` is named after a translation: the fix names the original's translation."""
    root = scratch_site(
        {
            "site.yml": MINIMAL_SITE + "languages: [en, fr, de]\n",
            **OPEN_INCIDENT,
            f"{INCIDENT}/01.fr.md": FRENCH_UPDATE,
            f"{INCIDENT}/01.fr.de.md": "---\n---\nWir untersuchen.\n",
        }
    )
    error = only_error(root)
    assert error.source.path == f"{INCIDENT}/01.fr.de.md"
    assert error.hint == "name it after the original file: 01.de.md"


def test_a_translation_without_text_is_an_error(scratch_site: ScratchSite) -> None:
    """An empty `01.fr.md` would show French readers an empty update."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": "---\n---\n"}
    )
    error = only_error(root)
    assert error.source.path == f"{INCIDENT}/01.fr.md"
    assert "translation has no text" in error.message
    assert error.hint == "write the fr text below the '---', or remove the file"


def test_a_translation_body_is_checked_like_any_message(scratch_site: ScratchSite) -> None:
    """A translation over the Markdown limits is refused at its own line."""
    body = "Nous enquêtons.\n\n" + "[x" * 201 + "\n"
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/01.fr.md": "---\n---\n" + body,
        }
    )
    error = only_error(root)
    assert error.source == Source(f"{INCIDENT}/01.fr.md", 3)
    assert (
        error.message
        == "message has 201 '[' characters outside fenced code; at most 200 are allowed"
    )


def test_control_characters_never_reach_a_translation(scratch_site: ScratchSite) -> None:
    """A terminal escape pasted into a translation is dropped, as in any content file."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE,
            **OPEN_INCIDENT,
            f"{INCIDENT}/01.fr.md": "---\n---\nNous \x1b[31menquêtons\x00.\n",
        }
    )
    (french,) = valid(root).incidents[0].updates[0].translations
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", french.body)


def test_every_translation_mistake_is_reported_at_once(scratch_site: ScratchSite) -> None:
    """Four translation mistakes in three folders and a site.yml mistake: five errors."""
    root = scratch_site(
        {
            "site.yml": BILINGUAL_SITE + "descripton: typo\n",
            **OPEN_INCIDENT,
            f"{INCIDENT}/01.de.md": FRENCH_UPDATE,
            f"{INCIDENT}/03.fr.md": FRENCH_UPDATE,
            f"{INCIDENT}/incident.fr.md": "---\nseverity: minor\n---\n",
            **MAINTENANCE_FILES,
            f"{MAINTENANCE}/01.fr.md": "---\nstatus: completed\n---\nTerminé.\n",
        }
    )
    found = sorted((e.source.path, e.field) for e in reported(root))
    assert found == [
        (f"{INCIDENT}/01.de.md", None),
        (f"{INCIDENT}/03.fr.md", None),
        (f"{INCIDENT}/incident.fr.md", "severity"),
        (f"{MAINTENANCE}/01.fr.md", "status"),
        ("site.yml", "descripton"),
    ]


# ---- the preview's memos -------------------------------------------------------------------


def test_validation_memo_checks_translations_again_when_the_languages_change(
    scratch_site: ScratchSite,
) -> None:
    """The same loaded folders, validated after site.yml drops fr, report the French file."""
    files: dict[str, str | bytes] = {
        "site.yml": BILINGUAL_SITE,
        **OPEN_INCIDENT,
        f"{INCIDENT}/01.fr.md": FRENCH_UPDATE,
    }
    root = scratch_site(files)
    known: dict[str, LoadedFolder] = {}
    memo = ValidationMemo()
    before, _ = validate(load_content(root, known=known), memo)
    assert before is not None
    (root / "site.yml").write_text(MINIMAL_SITE, encoding="utf-8")
    # The preview keeps every folder when only site.yml changed: the same Folder objects.
    after, errors = validate(load_content(root, known=known), memo)
    assert after is None
    assert [e.source.path for e in errors] == [f"{INCIDENT}/01.fr.md"]


def test_a_translation_changed_added_or_removed_shows_in_the_next_preview_build(
    scratch_site: ScratchSite,
) -> None:
    """The preview's incremental rebuild sees each change to a translation file, never a stale one."""
    root = scratch_site({"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT})
    preview = Preview(PreviewOptions(root, None, clock=lambda: NOW))
    translation = root / INCIDENT / "01.fr.md"

    def french_bodies(changed: Path | None = None) -> list[str]:
        outcome = preview.build_once(None if changed is None else frozenset({str(changed)}))
        assert outcome.ok, outcome.error_text()
        assert preview._loaded is not None
        return [t.body for t in preview._loaded.content.incidents[0].updates[0].translations]

    assert french_bodies() == []
    translation.write_text("---\n---\nPremière version.\n", encoding="utf-8")
    assert french_bodies(translation) == ["Première version."]
    translation.write_text("---\n---\nSeconde version.\n", encoding="utf-8")
    assert french_bodies(translation) == ["Seconde version."]
    translation.unlink()
    assert french_bodies(translation) == []


def test_the_preview_reports_a_translation_once_site_yml_drops_its_language(
    scratch_site: ScratchSite,
) -> None:
    """Only site.yml changed, so the folder is not read again: its validation must be redone."""
    root = scratch_site(
        {"site.yml": BILINGUAL_SITE, **OPEN_INCIDENT, f"{INCIDENT}/01.fr.md": FRENCH_UPDATE}
    )
    preview = Preview(PreviewOptions(root, None, clock=lambda: NOW))
    assert preview.build_once().ok
    (root / "site.yml").write_text(MINIMAL_SITE, encoding="utf-8")
    outcome = preview.build_once(frozenset({str(root / "site.yml")}))
    assert [(e.source.path, e.message) for e in outcome.errors] == [
        (f"{INCIDENT}/01.fr.md", "'fr' is not one of the site's languages (en)")
    ]
