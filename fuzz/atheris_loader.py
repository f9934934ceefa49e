"""Coverage-guided fuzzing of the loader and validator with atheris (libFuzzer for Python).

Each input replaces one file of a small valid site: its first byte picks the file (site.yml,
incident.md, an update, the post-mortem, maintenance.md, a maintenance update, or site.yml and
an update together, split at a line `%%%%`), the rest are the file's bytes. The content is then
loaded, validated and derived exactly as `statusgen build` does. The only outcomes allowed
are a valid site or `ContentInvalid` whose errors each name a file; any other exception is a
crash, and libFuzzer saves the input that caused it.

Run it (atheris is not a test dependency: `pip install atheris` into the venv first):

    .venv/bin/python fuzz/atheris_loader.py -max_total_time=1800 -print_final_stats=1 \
        -artifact_prefix=fuzz/crashes/ fuzz/corpus

`fuzz/corpus` (gitignored) is seeded with the valid files when empty and grows with every
input that reaches new code. Replay one crash with `.venv/bin/python fuzz/atheris_loader.py
fuzz/crashes/crash-…`; `-help=1` lists libFuzzer's flags. docs/security.md has the details.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

# The seed site is shared with tests/test_fuzz.py, whose folder is no package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fuzz_seed import BASE_SITE, INCIDENT, NOW

with atheris.instrument_imports(include=["statusgen"]):
    from statusgen.build import load_and_validate
    from statusgen.derive import derive
    from statusgen.errors import ContentInvalid

PAIR_SPLIT = b"\n%%%%\n"
SLOTS = [*BASE_SITE, "site.yml+update"]
assert len(SLOTS) == 8  # files_for has one branch per slot


def seed_corpus(corpus: Path) -> None:
    """The valid files, one per slot, so the fuzzer starts from content that builds."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for index, slot in enumerate(SLOTS):
        if slot == "site.yml+update":
            data = (
                BASE_SITE["site.yml"].encode()
                + PAIR_SPLIT
                + BASE_SITE[f"{INCIDENT}/01.md"].encode()
            )
        else:
            data = BASE_SITE[slot].encode()
        (corpus / f"seed-{index}").write_bytes(bytes([index]) + data)


def remove_stale_sites(base: Path) -> None:
    """libFuzzer ends the process without running Python's exit handlers: remove the scratch
    sites of earlier runs whose process is gone."""
    for path in base.glob("statusgen-fuzz-*"):
        try:
            os.kill(int(path.name.rsplit("-", 1)[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


class Site:
    """A scratch content folder (on tmpfs when there is one) whose files one input replaces."""

    def __init__(self) -> None:
        shm = Path("/dev/shm")
        base = shm if shm.is_dir() else Path(tempfile.gettempdir())
        remove_stale_sites(base)
        self.root = base / f"statusgen-fuzz-{os.getpid()}"
        shutil.rmtree(self.root, ignore_errors=True)
        for rel, text in BASE_SITE.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def replace(self, files: dict[str, bytes]) -> None:
        for rel, data in files.items():
            (self.root / rel).write_bytes(data)

    def restore(self, files: dict[str, bytes]) -> None:
        for rel in files:
            (self.root / rel).write_text(BASE_SITE[rel], encoding="utf-8")


@atheris.instrument_func
def files_for(data: bytes) -> dict[str, bytes]:
    """The files one input replaces. One branch per slot, written out: the fuzzer tells inputs
    apart by the code they reach, so a slot reached through a shared line would make the
    seeds of all slots look alike, and all but one would be dropped from the corpus."""
    if not data:
        return {}
    slot, body = data[0] % len(SLOTS), data[1:]
    if slot == 0:
        return {SLOTS[0]: body}
    if slot == 1:
        return {SLOTS[1]: body}
    if slot == 2:
        return {SLOTS[2]: body}
    if slot == 3:
        return {SLOTS[3]: body}
    if slot == 4:
        return {SLOTS[4]: body}
    if slot == 5:
        return {SLOTS[5]: body}
    if slot == 6:
        return {SLOTS[6]: body}
    site, _, update = body.partition(PAIR_SPLIT)
    return {"site.yml": site, f"{INCIDENT}/01.md": update}


def check(root: Path) -> None:
    """Load, validate and derive; ContentInvalid is fine only when every error names a file."""
    try:
        content, _ = load_and_validate(root)
    except ContentInvalid as invalid:
        assert invalid.errors, "ContentInvalid without errors"
        for error in invalid.errors:
            assert error.source.path and error.source.path != ".", (
                f"error names no file: {error.format()}"
            )
            assert error.message, f"error without message: {error.format()}"
        return
    derive(content, NOW)


SITE: Site | None = None


def test_one_input(data: bytes) -> None:
    assert SITE is not None
    files = files_for(data)
    SITE.replace(files)
    try:
        check(SITE.root)
    finally:
        SITE.restore(files)


def main() -> None:
    global SITE  # noqa: PLW0603 - atheris calls a one-argument function: the site it fuzzes
    # Positional arguments are corpus folders, or input files to replay (a saved crash).
    corpora = [
        Path(arg) for arg in sys.argv[1:] if not arg.startswith("-") and not Path(arg).is_file()
    ]
    for corpus in corpora[:1]:  # libFuzzer writes new inputs into the first folder
        seed_corpus(corpus)
    for arg in sys.argv[1:]:
        if arg.startswith("-artifact_prefix="):
            prefix = Path(arg.split("=", 1)[1])
            (prefix if arg.endswith("/") else prefix.parent).mkdir(parents=True, exist_ok=True)
    SITE = Site()
    atexit.register(shutil.rmtree, SITE.root, True)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
