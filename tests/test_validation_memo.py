"""The preview's validation memo: a folder's result is reused only for that very folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import EXAMPLE_CONTENT
from statusgen.content.loader import load_content
from statusgen.validate import ValidationMemo, validate


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(EXAMPLE_CONTENT, root)
    return root


def test_memo_reuses_the_result_of_an_unchanged_folder(tmp_path: Path) -> None:
    """Validating the same loaded folders again returns the very same incidents."""
    raw = load_content(_copy(tmp_path))
    memo = ValidationMemo()
    first, _ = validate(raw, memo)
    second, _ = validate(raw, memo)
    assert first is not None and second is not None
    assert all(a is b for a, b in zip(first.incidents, second.incidents, strict=True))


def test_memo_never_returns_a_stale_result_for_a_reloaded_folder(tmp_path: Path) -> None:
    """An edited folder, loaded anew at the same path, is validated again (its new title shows)."""
    root = _copy(tmp_path)
    memo = ValidationMemo()
    before, _ = validate(load_content(root), memo)
    assert before is not None
    incident = before.incidents[0]
    main = root / incident.source.path
    main.write_text(
        re.sub(
            r"(?m)^title:.*$", "title: Renamed in the preview", main.read_text("utf-8"), count=1
        ),
        encoding="utf-8",
    )
    after, _ = validate(load_content(root), memo)
    assert after is not None
    renamed = [i for i in after.incidents if i.slug == incident.slug]
    assert [i.title for i in renamed] == ["Renamed in the preview"]
    assert set(memo.entries) == {f"incidents/{i.slug}" for i in after.incidents} | {
        f"maintenance/{m.slug}" for m in after.maintenances
    }
