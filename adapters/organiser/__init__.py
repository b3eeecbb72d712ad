"""The organiser pages under ``/organiser/``: sign-in by single-use link, cases, import and
review, preview, lifecycle, figures and the audit log. Server-rendered, no JavaScript."""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, Router

from . import (
    pages,
    security,  # noqa: F401  (registers the {...:id} path convertor)
)

STYLE = (resources.files(__package__) / "static" / "style.css").read_bytes()


async def style(request: Request) -> Response:
    return Response(STYLE, media_type="text/css")


def organiser_mount() -> Mount:
    """The routes (``adapters.asgi`` adds the security headers to every response)."""
    routes = [
        Route("/", pages.case_list),
        Route("/static/style.css", style),
        Route("/login/{token}", pages.login_page),
        Route("/login/{token}", pages.login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/upload", pages.upload, methods=["POST"]),
        Route("/audit", pages.audit_page),
        Route("/cases/{case_id:id}", pages.case_page),
        Route("/cases/{case_id:id}", pages.case_action, methods=["POST"]),
        Route("/cases/{case_id:id}/edit", pages.edit_page),
        Route("/cases/{case_id:id}/edit", pages.save, methods=["POST"]),
        Route("/cases/{case_id:id}/preview", pages.preview_page),
        Route("/cases/{case_id:id}/revision", pages.revision_page, methods=["GET", "POST"]),
        Route("/cases/{case_id:id}/stats", pages.stats_page),
        Route("/cases/{case_id:id}/chart.png", pages.chart),
        Route("/cases/{case_id:id}/export.csv", pages.export),
    ]
    return Mount("/organiser", app=Router(routes))
