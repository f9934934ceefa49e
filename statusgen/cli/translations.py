"""Translated text on the command line: `--title-LANG` / `--message-LANG`, and `--lang LANG`.

A site's languages are known only once site.yml is read, so click cannot declare one option
per language. `TranslatingCommand` takes every `--title-<tag> TEXT` and `--message-<tag>
TEXT` out of the arguments before click parses the rest (wherever they stand among the
positional arguments) and hands them to the command as its `translations` parameter; the
command checks the tags against the site (`checked_translations`) once it has loaded it.
`--lang` adds a translation to what was written before (`message_to_translate` finds where).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from statusgen.cli.drafts import Translation
from statusgen.cli.publish import display_path
from statusgen.content.writer import translation_name
from statusgen.model import Site

F = TypeVar("F", bound=Callable[..., Any])
# (field, language, text) as typed, in order: checked against the site by the command.
RawTranslations = tuple[tuple[str, str, str], ...]

_OPTION = re.compile(
    r"--(title|message)-([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)(?:=(.*))?", re.DOTALL
)
FIELD_HELP = {
    "title": "The title in language LANG, one of site.yml's other languages (e.g. --title-fr).",
    "message": "The message in language LANG (e.g. --message-fr), written beside the original "
    "as NAME.LANG.md.",
}


def split_translation_options(args: Sequence[str]) -> tuple[list[str], RawTranslations]:
    """The arguments without the `--title-LANG`/`--message-LANG` options, and those options.

    `--message-fr TEXT` and `--message-fr=TEXT` are both read; after `--` nothing is.
    """
    rest: list[str] = []
    found: list[tuple[str, str, str]] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        match = _OPTION.fullmatch(arg)
        if match is None:
            rest.append(arg)
            index += 1
            continue
        field, language, value = match.groups()
        if value is None:
            # `--message-fr --now …` lost its text: never take the next option for it.
            if index + 1 == len(args) or _is_option(args[index + 1]):
                raise click.UsageError(
                    f'{arg} needs a text, e.g. {arg} "…" (or {arg}=TEXT for one that starts '
                    "with '-')"
                )
            value = args[index + 1]
            index += 1
        found.append((field, language, value))
        index += 1
    return rest, tuple(found)


def _is_option(arg: str) -> bool:
    return len(arg) > 1 and arg.startswith("-")


class TranslatingCommand(click.Command):
    """A click command that also takes `--FIELD-LANG TEXT` for each field in `translated`.

    The options found reach the callback as `translations` (RawTranslations); `--help`
    lists them in a section of their own.
    """

    def __init__(
        self, *args: Any, translated: tuple[str, ...] = ("message",), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.translated = translated

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            rest, found = split_translation_options(args)
        except click.UsageError as problem:
            raise click.UsageError(problem.message, ctx=ctx) from None  # with the usage line
        for field, language, _ in found:
            if field not in self.translated:
                raise click.UsageError(
                    f"--{field}-{language}: this command writes no {field}; "
                    f"it takes {', '.join(f'--{f}-LANG' for f in self.translated)}",
                    ctx=ctx,
                )
        remaining = super().parse_args(ctx, rest)
        ctx.params["translations"] = found
        return remaining

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        with formatter.section("Translations (a site with `languages:` in site.yml)"):
            formatter.write_dl([(f"--{f}-LANG TEXT", FIELD_HELP[f]) for f in self.translated])


def translation_language(value: str, site: Site, option: str) -> str:
    """A language the site translates into (not its first, original one), as site.yml
    spells it; anything else is a usage error naming the site's languages."""
    languages = site.languages  # the original's first
    # Tags compare without case (BCP 47); files are named as site.yml spells them.
    spelled = {language.casefold(): language for language in languages}.get(value.casefold())
    listed = ", ".join(languages)
    if spelled is None:
        raise click.BadParameter(
            f"the site has no language '{value}' (its languages: {listed}); "
            "to translate, list them in site.yml, e.g. languages: [en, fr]",
            param_hint=option,
        )
    if spelled == languages[0]:
        raise click.BadParameter(
            f"'{spelled}' is the site's original language (the first of {listed}): "
            "-m/--message and the title write it",
            param_hint=option,
        )
    return spelled


def checked_translations(raw: RawTranslations, site: Site) -> dict[str, Translation]:
    """The `--FIELD-LANG` options by language, each checked: a language of the site other
    than its first, a text that is not blank, each option given once."""
    texts: dict[str, dict[str, str]] = {}
    for field, tag, value in raw:
        option = f"--{field}-{tag}"
        language = translation_language(tag, site, option)
        if not value.strip():
            raise click.BadParameter("the text is empty", param_hint=option)
        if field in texts.get(language, {}):
            raise click.BadParameter("given twice; give it once", param_hint=option)
        texts.setdefault(language, {})[field] = value.strip()
    return {
        language: Translation(title=fields.get("title"), message=fields.get("message"))
        for language, fields in texts.items()
    }


@dataclass(frozen=True, slots=True)
class LanguageText:
    """What `--lang` was given: the language, the title and message in it, which update."""

    language: str
    title: str | None
    message: str | None
    update_id: str | None

    def checked(self, site: Site, message_of: str, title_of: str) -> tuple[str, Translation]:
        """The language as the site spells it and the texts, stripped; a blank text, or
        neither text, is a usage error (`message_of`/`title_of` say whose they would be)."""
        language = translation_language(self.language, site, "--lang")
        for value, option in ((self.title, "--title"), (self.message, "-m/--message")):
            if value is not None and not value.strip():
                raise click.BadParameter("the text is empty", param_hint=option)
        if self.title is None and self.message is None:
            raise click.UsageError(
                f"--lang {language} needs the text written in it: -m/--message ({message_of}) "
                f"and/or --title ({title_of})"
            )
        return language, Translation(
            self.title.strip() if self.title is not None else None,
            self.message.strip() if self.message is not None else None,
        )


def existing_translation(original: Path, language: str) -> Path | None:
    """`original`'s translation into `language` if it is already written, else None."""
    path = original.with_name(translation_name(original.name, language))
    return path if path.exists() else None


def refuse_existing(original: Path, language: str) -> None:
    """A translation is never overwritten: a usage error naming the file to change by hand."""
    existing = existing_translation(original, language)
    if existing is not None:
        raise click.UsageError(
            f"{display_path(existing)} already exists; change it by hand "
            "(statusgen never overwrites a file)"
        )


def message_to_translate(
    messages: Sequence[tuple[str, Path]], language: str, wanted: str | None, where: str
) -> Path:
    """Which message `--lang` translates: the one named `wanted` (its file name without .md,
    or its number), else the newest that has no text in `language` yet.

    `messages` are (id, file) oldest first; `where` names the incident or maintenance.
    """
    if wanted is not None:
        found = [
            path
            for id_, path in messages
            if wanted in (id_, path.name) or id_.startswith(f"{wanted}-")
        ]
        if len(found) != 1:
            known = ", ".join(id_ for id_, _ in messages)
            problem = f"names {len(found)} messages" if found else "names no message"
            raise click.BadParameter(
                f"'{wanted}' {problem} of {where} (it has: {known})", param_hint="--update"
            )
        refuse_existing(found[0], language)
        return found[0]
    for _, path in reversed(messages):
        if existing_translation(path, language) is None:
            return path
    raise click.UsageError(
        f"every message of {where} has a {language} text already; change those files by hand"
    )


def lang_options(noun: str, newest: str, update_help: str) -> Callable[[F], F]:
    """`--lang`, `--title` and `--update` of `incident update` and `maintenance update`: the
    way to add a translation to what was posted before."""

    def decorate(command: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--lang",
                    metavar="LANG",
                    help="Post no update: write -m and --title in LANG beside what is already "
                    f"written ({newest}).",
                ),
                click.option("--title", help=f"With --lang: the {noun}'s title in LANG."),
                click.option("--update", "update_id", metavar="ID", help=update_help),
            )
        ):
            command = option(command)
        return command

    return decorate


def language_text(
    lang: str | None,
    title: str | None,
    message: str | None,
    update_id: str | None,
    conflicts: Sequence[tuple[str, object]],
) -> LanguageText | None:
    """What `--lang` asks for, or None without it; a usage error for `--title`/`--update`
    without `--lang`, and for `--lang` with any option in `conflicts` (name, value) given."""
    if lang is None:
        if title is not None or update_id is not None:
            option = "--title" if title is not None else "--update"
            raise click.UsageError(
                f"{option} goes with --lang LANG (the language it is written in)"
            )
        return None
    given = [name for name, value in conflicts if value]
    if given:
        raise click.UsageError(
            f"--lang writes a translation only; {', '.join(given)} cannot go with it"
        )
    return LanguageText(lang, title, message, update_id)
