"""A service's API documentation at /docs: Swagger UI from the service's own files.

FastAPI's own /docs page loads Swagger UI's script and styles from a CDN, so it is blank on
a machine without the internet. Here the page loads them from the files the fastapi-offline
package ships (Swagger UI 5, which reads OpenAPI 3.1 as FastAPI writes it; only its static/
folder is used), served under /docs/assets, and states its own
Content-Security-Policy: scripts, styles and requests from the same site only, and the one
inline script that starts Swagger UI by its hash.
"""

import base64
import hashlib
import re
from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"

_ASSETS = files("fastapi_offline") / "static"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def add_api_docs(app: FastAPI) -> None:
    """GET /docs, readable without a token, and Swagger UI's files under /docs/assets.

    The app is made with ``docs_url=None`` and ``redoc_url=None``: FastAPI's own pages
    would load their files from a CDN."""
    app.mount(ASSETS_PATH, StaticFiles(directory=str(_ASSETS)), name="swagger-ui")
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} – API",
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
        # Swagger UI would otherwise show a badge image from the validator's site.
        swagger_ui_parameters={"validatorUrl": None},
    )
    body = bytes(page.body)
    headers = {"content-security-policy": docs_policy(body)}

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(body, headers=headers)


def docs_policy(page: bytes) -> str:
    """The page's policy: its files and requests from the same site, its inline scripts by
    their hashes. Swagger UI sets styles on its elements, and shows SVG icons as data: URLs."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
