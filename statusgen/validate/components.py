"""`components/<id>/<name>.md` → ComponentChange: a status set outside any incident.

The folder names the component (an unknown one is an error with a suggestion); the
frontmatter holds `at` and `status`; the body, optional, is a note for the history.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from statusgen.content.loader import Document
from statusgen.errors import ContentError, Source
from statusgen.model import ComponentChange, ComponentStatus
from statusgen.validate import fields as f
from statusgen.validate.fields import FieldReader, is_ok


def component_changes(
    documents: tuple[Document, ...],
    components: list[str] | None,
    zone: ZoneInfo | None,
    errors: list[ContentError],
) -> tuple[ComponentChange, ...]:
    found: list[ComponentChange] = []
    for document in documents:
        component_id = document.path.split("/")[1]
        if components is not None and component_id not in components:
            errors.append(
                ContentError(
                    Source(document.path),
                    None,
                    f"no component '{component_id}' in site.yml",
                    "name the folder after a component id: "
                    + f.did_you_mean(component_id, components),
                )
            )
            continue
        reader = FieldReader(document.meta, document.path, errors)
        at = reader.required("at", f.moment(zone), "2026-11-20T14:02:00+01:00")
        status = reader.required("status", f.enum(ComponentStatus), "degraded_performance")
        reader.reject_unknown()
        if is_ok(at, status):
            found.append(
                ComponentChange(
                    component_id,
                    at,
                    status,
                    document.body,
                    Source(document.path, document.meta.line),
                )
            )
    return tuple(sorted(found, key=lambda c: (c.component_id, c.at, c.source.path)))
