"""The shared ASGI app (Starlette under uvicorn): webhooks of every platform, /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.organiser import organiser_mount
from adapters.organiser.security import SecurityHeaders
from adapters.platforms import plugins_for
from adapters.settings import DeploymentSettings
from case_store.migrate import NotMigrated, check_migrated
from ua_bot.app import App, build_app

log = logging.getLogger("adapters.asgi")


async def healthz(request: Request) -> JSONResponse:
    """200 when the database answers and is migrated; 503 otherwise."""
    app: App = request.app.state.ua
    try:
        async with app.store.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        await check_migrated(app.store.engine)
    except NotMigrated:
        return JSONResponse({"status": "unmigrated"}, status_code=503)
    except Exception as e:  # the database is down or unreachable
        log.warning("healthz: database unavailable: %s", type(e).__name__)
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


async def metrics_endpoint(request: Request) -> Response:
    """Counters of this process in the Prometheus text format."""
    from ua_bot import metrics

    token = request.app.state.ua.settings.ua_bot_metrics_token
    if token is not None:
        expected = f"Bearer {token.get_secret_value()}".encode()
        sent = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(sent, expected):
            return Response(
                "a bearer token is needed (UA_BOT_METRICS_TOKEN)\n",
                status_code=401,
                headers={"www-authenticate": "Bearer"},
                media_type="text/plain",
            )
    return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


MAX_BODY = 1024 * 1024
DRAIN_SECONDS = 5.0  # how long shut-down waits for requests answered but still handled


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before any handler reads them."""

    def __init__(self, app, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send)
            return
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"request too large"})


def settle_heap() -> None:
    """Move what start-up built (modules, the app, caches) out of the garbage collector's
    sight. Otherwise each full collection walks every one of those objects again: a pause of
    a tenth of a second, in the middle of some supporter's request, several times in a web
    process's first seconds and now and then after."""
    gc.collect()
    gc.freeze()


def create_app(settings: DeploymentSettings | None = None, ua_app: App | None = None) -> Starlette:
    """The web app. Plugins' routes are mounted; their start/stop run in the lifespan."""
    @asynccontextmanager
    async def lifespan(web: Starlette) -> AsyncIterator[None]:
        app = ua_app or await build_app(settings or DeploymentSettings())
        web.state.ua = app
        plugins = plugins_for(app, web=True)
        web.state.plugins = plugins
        for p in plugins:
            web.router.routes.extend(p.routes)
            if p.start:
                await p.start()
        settle_heap()
        try:
            yield
        finally:
            for p in reversed(plugins):
                with contextlib.suppress(TimeoutError):  # acknowledged: let them finish
                    await asyncio.wait_for(p.handling.idle(), DRAIN_SECONDS)
                if p.stop:
                    await p.stop()
            if ua_app is None:
                await app.close()

    routes = [Route("/healthz", healthz), Route("/metrics", metrics_endpoint), organiser_mount()]
    web = Starlette(routes=routes, lifespan=lifespan)
    web.add_middleware(BodyLimit)
    # outside the body limit and the 404s of no route: every organiser response has them
    web.add_middleware(SecurityHeaders, prefix="/organiser")
    proxies = trusted_proxies(settings or (ua_app.settings if ua_app else None))
    if proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        web.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    return web


def trusted_proxies(settings) -> list[str]:
    """UA_BOT_TRUSTED_PROXIES as a list; ``ua-bot serve`` turns uvicorn's own proxy-header
    handling off, so that no other address's X-Forwarded-* is believed."""
    if settings is None:
        settings = DeploymentSettings()
    raw = getattr(settings, "ua_bot_trusted_proxies", "") or ""
    return [p.strip() for p in raw.split(",") if p.strip()]
