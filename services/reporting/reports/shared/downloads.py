"""What every view's route shares to answer ?format=html|csv|xlsx: the check of the format
and the file to download, written by services.reporting.table_export."""

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import HTTPException, Query
from fastapi.responses import Response

from services.reporting.reports.shared.table_export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Report
from services.reporting.reports.shared.table_files import write_csv, write_xlsx

Format = Annotated[str, Query(description="html (sidan), csv eller xlsx (Excel) att ladda ned")]

# Format → (media type, writer); the format is also the file extension.
_WRITERS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "csv": (CSV_MEDIA_TYPE, write_csv),
    "xlsx": (XLSX_MEDIA_TYPE, write_xlsx),
}
FORMATS = ("html", *_WRITERS)

# For the routes' OpenAPI: the page, or either file.
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}, CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}
}

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def check_format(format: str) -> str:
    """``format`` when a view can be written so; HTTP 422 in Swedish otherwise."""
    if format not in FORMATS:
        raise HTTPException(422, f"Formatet {format} finns inte; välj html, csv eller xlsx (Excel)")
    return format


def download(report: Report, format: str, name: str) -> Response:
    """``report`` as a file called ``name`` with the format as its extension."""
    media_type, write = _WRITERS[format]
    full_name = f"{name}.{format}"
    # The plain name for clients without RFC 6266: letters, digits and ._- only.
    ascii_name = _UNSAFE_IN_FILE_NAME.sub("_", full_name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name)}"
    return Response(
        write(report), media_type=media_type, headers={"Content-Disposition": disposition}
    )
