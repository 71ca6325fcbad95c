"""Security headers on every response: no framing (clickjacking), no MIME sniffing, no
referrer, `Cache-Control: no-store` on everything but versioned static files (answers hold
personal data and must not stay in a browser or proxy cache), and a Content-Security-Policy
per kind of page:

- the API's JSON: nothing may load at all;
- /docs: scripts and styles from the service only;
- the explorer (/ui): scripts from the service and, by hash, Dash's own inline scripts (its
  renderer and the clientside callbacks); `'unsafe-eval'` because Plotly's bundle builds
  functions at run time; inline styles, which Dash and cytoscape set on elements; images
  from `data:` and `blob:` (chart export).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
LOCKED = "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
API_CSP = "default-src 'none'; " + LOCKED
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; " + LOCKED
)
STATIC = ("/docs-assets/", "/ui/_dash-component-suites/", "/ui/assets/")


def ui_csp(hashes: Sequence[str]) -> str:
    return (
        "default-src 'self'; "
        f"script-src 'self' 'unsafe-eval' {' '.join(hashes)}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; worker-src 'self' blob:; " + LOCKED
    )


class SecurityHeaders:
    """ASGI middleware (pure ASGI: streamed answers pass through untouched)."""

    def __init__(self, app: ASGIApp, ui_hashes: Callable[[], Sequence[str]] | None = None):
        self.app = app
        self.ui_hashes = ui_hashes
        self._ui = ui_csp([])

    def policy(self, path: str, html: bool) -> str:
        if path.startswith("/ui"):
            if html and self.ui_hashes:  # a page: its inline scripts as they are now
                self._ui = ui_csp(self.ui_hashes())
            return self._ui
        if path == "/docs" or path.startswith("/docs-"):
            return DOCS_CSP
        return API_CSP

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # the policy is made now, after the page: Dash registers some inline scripts
                # while it serves its first page
                headers = MutableHeaders(scope=message)
                html = headers.get("content-type", "").startswith("text/html")
                extra = {**COMMON, "Content-Security-Policy": self.policy(path, html)}
                if not path.startswith(STATIC):
                    extra["Cache-Control"] = "no-store"
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
