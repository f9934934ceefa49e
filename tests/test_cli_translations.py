"""Translated text from the on-call commands: `--title-LANG`/`--message-LANG` and `--lang`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import MINIMAL_SITE, ScratchSite
from statusgen.cli.drafts import Translation, translation_files
from statusgen.cli.main import main
from statusgen.cli.publish import INCIDENT_FILES, update_names
from statusgen.content.writer import is_translation_name

NOW = "2026-11-23T13:30:00Z"  # 14:30 in Paris
LATER = "2026-11-23T14:00:00Z"
SITE = MINIMAL_SITE + "languages: [en, fr]\n"
INCIDENT = "incidents/2026-11-20-api-errors"
MAINTENANCE = "maintenance/2026-12-01-database-upgrade"
OPEN_INCIDENT = {
    f"{INCIDENT}/incident.md": """\
        ---
        title: Elevated error rates on the API
        severity: major
        ---
        """,
    f"{INCIDENT}/01-investigating.md": """\
        ---
        at: 2026-11-20T14:02:00+01:00
        status: investigating
        components:
          api: partial_outage
        ---
        We are investigating errors on the API.
        """,
    f"{INCIDENT}/01-investigating.fr.md": """\
        ---
        ---
        Nous enquêtons sur des erreurs de l'API.
        """,
    f"{INCIDENT}/02-identified.md": """\
        ---
        at: 2026-11-20T14:30:00+01:00
        status: identified
        ---
        A bad deploy.
        """,
}
SCHEDULED = {
    f"{MAINTENANCE}/maintenance.md": """\
        ---
        title: Database upgrade
        scheduled_for: 2026-12-01T02:00:00+01:00
        scheduled_until: 2026-12-01T04:00:00+01:00
        components: [api]
        ---
        We will upgrade the database.
        """,
}


@pytest.fixture
def content(scratch_site: ScratchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site in English and French (content/ in the working folder), with no incident yet."""
    monkeypatch.chdir(tmp_path)
    return scratch_site({"site.yml": SITE})


@pytest.fixture
def incident(scratch_site: ScratchSite, content: Path) -> Path:
    """An open incident: two updates, the first of them translated into French."""
    scratch_site({"site.yml": SITE, **OPEN_INCIDENT})
    return content / INCIDENT


@pytest.fixture
def maintenance(scratch_site: ScratchSite, content: Path) -> Path:
    """A maintenance announced in English only."""
    scratch_site({"site.yml": SITE, **SCHEDULED})
    return content / MAINTENANCE


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def dedent(text: str) -> str:
    return textwrap.dedent(text)


# ---- --title-LANG / --message-LANG -------------------------------------------------------------


def test_new_incident_writes_the_title_and_message_translations_beside_the_originals(
    content: Path,
) -> None:
    """incident.fr.md holds only the title, 01-investigating.fr.md only the text."""
    result = run(
        "incident",
        "new",
        "API errors",
        "--title-fr",
        "Erreurs : l'API répond « 500 »",
        "--message-fr",
        "Nous enquêtons.",
        "-m",
        "We are investigating.",
        "--now",
        NOW,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    folder = content / "incidents" / "2026-11-23-api-errors"
    assert files_in(folder) == [
        "01-investigating.fr.md",
        "01-investigating.md",
        "incident.fr.md",
        "incident.md",
    ]
    assert (folder / "incident.fr.md").read_text() == (
        "---\ntitle: 'Erreurs : l''API répond « 500 »'\n---\n"
    )
    assert (folder / "01-investigating.fr.md").read_text() == "---\n---\nNous enquêtons.\n"
    assert (folder / "incident.md").read_text() == "---\ntitle: API errors\nseverity: major\n---\n"


def test_translation_options_may_come_before_the_title_and_take_an_equals_sign(
    content: Path,
) -> None:
    """`--message-fr=TEXT` and `--message-fr TEXT` before the title never become the title."""
    result = run(
        "incident", "new", "--message-fr=Panne.", "--title-fr", "Panne", "Outage", "--now", NOW
    )
    assert result.exit_code == 0, result.output
    folder = content / "incidents" / "2026-11-23-outage"
    assert (folder / "incident.md").read_text().startswith("---\ntitle: Outage\n")
    assert (folder / "incident.fr.md").read_text() == "---\ntitle: Panne\n---\n"
    assert (folder / "01-investigating.fr.md").read_text() == "---\n---\nPanne.\n"


def test_update_and_resolve_write_the_message_translation_beside_the_new_update(
    incident: Path,
) -> None:
    """The translation is named after the update it translates, and holds no field of its own."""
    update = run(
        "incident",
        "update",
        "--status",
        "monitoring",
        "-m",
        "Fixed.",
        "--message-fr",
        "Corrigé.",
        "--now",
        NOW,
        "--yes",
    )
    assert update.exit_code == 0, update.output
    resolve = run("incident", "resolve", "--message-fr", "Résolu.", "--now", LATER, "--yes")
    assert resolve.exit_code == 0, resolve.output
    assert (incident / "03-monitoring.fr.md").read_text() == "---\n---\nCorrigé.\n"
    assert (incident / "04-resolved.fr.md").read_text() == "---\n---\nRésolu.\n"
    assert (
        (incident / "04-resolved.md")
        .read_text()
        .startswith("---\nat: 2026-11-23T15:00:00+01:00\nstatus: resolved\n---\n")
    )


def test_a_language_the_site_lacks_is_a_usage_error_naming_its_languages(
    incident: Path,
) -> None:
    """`--message-de` on an English and French site: exit 2, the languages named, nothing written."""
    before = files_in(incident)
    result = run(
        "incident", "update", "--status", "monitoring", "--message-de", "Behoben.", "--now", NOW
    )
    assert result.exit_code == 2
    assert "no language 'de'" in result.output and "en, fr" in result.output
    assert "Traceback" not in result.output
    assert files_in(incident) == before


def test_a_site_of_one_language_refuses_translations(
    scratch_site: ScratchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `languages:` the site has its one language, and says how to add others."""
    monkeypatch.chdir(tmp_path)
    scratch_site({})
    result = run("incident", "new", "Outage", "--message-fr", "Panne.", "--now", NOW, "--yes")
    assert result.exit_code == 2
    assert "its languages: en" in result.output and "languages: [en, fr]" in result.output
    assert not (tmp_path / "content" / "incidents").exists()


def test_the_original_language_is_no_translation(content: Path) -> None:
    """The first language is written by -m and the title: `--message-en` is refused."""
    result = run("incident", "new", "Outage", "--message-en", "Outage.", "--now", NOW, "--yes")
    assert result.exit_code == 2 and "original language" in result.output
    assert not (content / "incidents").exists()


def test_a_translation_option_never_takes_the_next_option_as_its_text(content: Path) -> None:
    """`--message-fr --now …` is a usage error, not a French text reading `--now`."""
    result = run("incident", "new", "Outage", "--message-fr", "--now", NOW, "--yes")
    assert result.exit_code == 2 and "--message-fr needs a text" in result.output
    assert not (content / "incidents").exists()


def test_a_title_translation_is_refused_where_no_title_is_written(incident: Path) -> None:
    """An update writes no title: `--title-fr` says which options the command takes."""
    result = run("incident", "update", "--status", "monitoring", "--title-fr", "Titre")
    assert result.exit_code == 2 and "writes no title" in result.output


# ---- --lang ------------------------------------------------------------------------------------


def test_lang_writes_only_the_translation_of_the_newest_untranslated_update(
    incident: Path,
) -> None:
    """01 has its French text: `--lang fr -m` translates 02, and posts no update."""
    result = run("incident", "update", "api-errors", "--lang", "fr", "-m", "Un déploiement raté.")
    assert result.exit_code == 0, result.output
    assert (incident / "02-identified.fr.md").read_text() == "---\n---\nUn déploiement raté.\n"
    assert files_in(incident) == [
        "01-investigating.fr.md",
        "01-investigating.md",
        "02-identified.fr.md",
        "02-identified.md",
        "incident.md",
    ]


def test_lang_translates_the_title_and_the_update_chosen_by_number(incident: Path) -> None:
    """`--title` writes incident.fr.md; `--update 02` picks 02-identified.md."""
    result = run(
        "incident",
        "update",
        "--lang",
        "FR",  # language tags compare without case; files are named as site.yml spells them
        "--title",
        "Erreurs de l'API",
        "-m",
        "Un déploiement raté.",
        "--update",
        "02",
    )
    assert result.exit_code == 0, result.output
    assert (incident / "incident.fr.md").read_text() == "---\ntitle: Erreurs de l'API\n---\n"
    assert (incident / "02-identified.fr.md").read_text() == "---\n---\nUn déploiement raté.\n"


def test_lang_never_overwrites_a_translation(incident: Path) -> None:
    """An update or a title already translated is refused (exit 2), its file left as it was."""
    translated = incident / "01-investigating.fr.md"
    before = translated.read_bytes()
    again = run(
        "incident", "update", "--lang", "fr", "-m", "Autre.", "--update", "01-investigating"
    )
    assert again.exit_code == 2
    assert "01-investigating.fr.md already exists" in again.output
    assert translated.read_bytes() == before
    (incident / "incident.fr.md").write_text("---\ntitle: Erreurs\n---\n")
    title = run("incident", "update", "--lang", "fr", "--title", "Autre titre")
    assert title.exit_code == 2 and "incident.fr.md already exists" in title.output
    assert (incident / "incident.fr.md").read_text() == "---\ntitle: Erreurs\n---\n"
    assert not (incident / "02-identified.fr.md").exists()


def test_lang_with_an_unknown_update_lists_the_updates(incident: Path) -> None:
    """`--update 07` on an incident of two updates names the two."""
    result = run("incident", "update", "--lang", "fr", "-m", "Texte.", "--update", "07")
    assert result.exit_code == 2 and "'07' names no message" in result.output
    assert "01-investigating, 02-identified" in result.output


def test_lang_when_every_update_is_translated_says_so(incident: Path) -> None:
    """Nothing left to translate is a usage error, not a guess."""
    assert run("incident", "update", "--lang", "fr", "-m", "Déploiement.").exit_code == 0
    result = run("incident", "update", "--lang", "fr", "-m", "Encore.")
    assert result.exit_code == 2 and "every message" in result.output


def test_lang_translates_a_resolved_incident_too(incident: Path) -> None:
    """Translations often come after the fact: a resolved incident takes them."""
    assert run("incident", "resolve", "--now", NOW, "--yes").exit_code == 0
    result = run("incident", "update", "api-errors", "--lang", "fr", "-m", "Résolu.")
    assert result.exit_code == 0, result.output
    assert (incident / "03-resolved.fr.md").read_text() == "---\n---\nRésolu.\n"


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--status", "monitoring"], "--status cannot go with it"),
        (["--message-fr", "Texte."], "--message-LANG cannot go with it"),
        (["--update", "01"], None),
    ],
)
def test_lang_refuses_what_would_post_an_update(
    incident: Path, extra: list[str], said: str | None
) -> None:
    """--lang writes a translation only; --update alone needs a text (-m)."""
    result = run("incident", "update", "--lang", "fr", *extra)
    assert result.exit_code == 2
    assert (said or "needs the text") in result.output
    assert not (incident / "02-identified.fr.md").exists()


def test_title_and_update_need_lang(incident: Path) -> None:
    """`--title` without `--lang` would not say which language it is in."""
    result = run("incident", "update", "--title", "Titre", "--status", "monitoring")
    assert result.exit_code == 2 and "--title goes with --lang" in result.output


# ---- maintenance ------------------------------------------------------------------------------


def test_new_maintenance_writes_one_translation_with_title_and_announcement(
    content: Path,
) -> None:
    """maintenance.fr.md holds the title and the body, and no time or component."""
    result = run(
        "maintenance",
        "new",
        "Database upgrade",
        "--start",
        "2026-12-01T02:00",
        "--end",
        "2026-12-01T04:00",
        "--component",
        "api",
        "--title-fr",
        "Mise à niveau de la base",
        "--message-fr",
        "Nous mettrons la base à niveau.",
        "--now",
        NOW,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    folder = content / MAINTENANCE
    assert (folder / "maintenance.fr.md").read_text() == dedent(
        """\
        ---
        title: Mise à niveau de la base
        ---
        Nous mettrons la base à niveau.
        """
    )


def test_maintenance_update_and_cancel_write_the_message_translation(maintenance: Path) -> None:
    """Each new update gets its `.fr.md` sibling, numbered as the update is."""
    update = run(
        "maintenance",
        "update",
        "--status",
        "scheduled",
        "--message-fr",
        "Toujours prévu.",
        "--now",
        NOW,
        "--yes",
    )
    assert update.exit_code == 0, update.output
    cancel = run("maintenance", "cancel", "--message-fr", "Annulé.", "--now", LATER, "--yes")
    assert cancel.exit_code == 0, cancel.output
    assert (maintenance / "01-scheduled.fr.md").read_text() == "---\n---\nToujours prévu.\n"
    assert (maintenance / "02-cancelled.fr.md").read_text() == "---\n---\nAnnulé.\n"


def test_maintenance_lang_translates_the_announcement_with_the_title(maintenance: Path) -> None:
    """With no update yet, the message to translate is maintenance.md's announcement."""
    result = run(
        "maintenance", "update", "--lang", "fr", "--title", "Mise à niveau", "-m", "Prévu."
    )
    assert result.exit_code == 0, result.output
    assert (maintenance / "maintenance.fr.md").read_text() == (
        "---\ntitle: Mise à niveau\n---\nPrévu.\n"
    )
    assert files_in(maintenance) == ["maintenance.fr.md", "maintenance.md"]


def test_maintenance_reschedule_writes_the_translation_as_given(maintenance: Path) -> None:
    """The French text of a move is the engineer's own: nothing is added to it."""
    result = run(
        "maintenance",
        "reschedule",
        "--start",
        "2026-12-08T02:00",
        "--end",
        "2026-12-08T04:00",
        "--message-fr",
        "Reportée au 8 décembre, 02:00–04:00.",
        "--now",
        NOW,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert (maintenance / "01-rescheduled.fr.md").read_text() == (
        "---\n---\nReportée au 8 décembre, 02:00–04:00.\n"
    )


# ---- help, names, pure file-building ---------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "documented"),
    [
        (["incident", "new"], ["--title-LANG TEXT", "--message-LANG TEXT"]),
        (["incident", "update"], ["--message-LANG TEXT", "--lang LANG", "--update ID"]),
        (["incident", "resolve"], ["--message-LANG TEXT"]),
        (["maintenance", "new"], ["--title-LANG TEXT", "--message-LANG TEXT"]),
        (["maintenance", "update"], ["--message-LANG TEXT", "--lang LANG", "--title TEXT"]),
        (["maintenance", "cancel"], ["--message-LANG TEXT"]),
        (["maintenance", "reschedule"], ["--message-LANG TEXT"]),
    ],
)
def test_help_documents_both_ways_of_translating(command: list[str], documented: list[str]) -> None:
    """`--help` lists the per-language options beside the ordinary ones."""
    result = run(*command, "--help")
    assert result.exit_code == 0
    for text in documented:
        assert text in result.output


def test_translations_are_not_counted_as_updates(tmp_path: Path) -> None:
    """`01.fr.md` is 01's French text for a site in French, an update of its own elsewhere."""
    for name in ("incident.md", "incident.fr.md", "01.md", "01.fr.md", "01-v2.hotfix.md"):
        (tmp_path / name).write_text("---\n---\n")
    assert update_names(tmp_path, INCIDENT_FILES, ("en", "fr")) == ["01-v2.hotfix.md", "01.md"]
    assert is_translation_name("01.FR.md", ("en", "fr"))
    assert not is_translation_name("01.fr.md", ("en",))


def test_translation_files_hold_only_the_translated_fields() -> None:
    """Title and message of one file share it; a title alone has an empty body."""
    folder = Path("content/maintenance/x")
    main, update = folder / "maintenance.md", folder / "01-in-progress.md"
    texts = {"fr": Translation("Titre", "Texte."), "de": Translation(title="Titel")}
    assert translation_files(main, main, texts) == [
        (folder / "maintenance.fr.md", "---\ntitle: Titre\n---\nTexte.\n"),
        (folder / "maintenance.de.md", "---\ntitle: Titel\n---\n"),
    ]
    assert translation_files(None, update, texts) == [
        (folder / "01-in-progress.fr.md", "---\n---\nTexte.\n")
    ]


# ---- end to end --------------------------------------------------------------------------------


def test_a_site_with_translations_written_by_the_cli_builds(incident: Path) -> None:
    """What the commands write, the build reads: new incident, update, --lang, maintenance."""
    steps = [
        ["incident", "new", "Dashboard down", "--title-fr", "Tableau de bord en panne",
         "--message-fr", "Nous enquêtons.", "--now", NOW, "--yes"],
        ["incident", "update", "api-errors", "--lang", "fr", "--title", "Erreurs de l'API",
         "-m", "Un déploiement raté."],
        ["incident", "resolve", "api-errors", "--message-fr", "Résolu.", "--now", LATER, "--yes"],
        ["maintenance", "new", "Database upgrade", "--start", "2026-12-01T02:00", "--end",
         "2026-12-01T04:00", "--component", "api", "--title-fr", "Mise à niveau",
         "--message-fr", "Nous mettrons la base à niveau.", "--now", NOW, "--yes"],
    ]  # fmt: skip
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)
    built = run("build", "content", "--output", "public", "--now", "2026-11-23T18:00:00Z")
    assert built.exit_code == 0, built.output
    assert Path("public/incidents/2026-11-20-api-errors/index.html").is_file()
