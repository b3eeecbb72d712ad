"""The organiser pages under attack (issue 26, findings 3-5): ids out of range, fields longer
than the schema, login CSRF, security headers on every response (errors included), the
trusted proxy, and /metrics behind a token. Over real HTTP against the served app, on
SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from adapters.organiser.security import HEADERS
from tests.conftest import add_case, make_case
from tests.hostile import captured_logs
from tests.organiser_kit import edit_form, link_from_chat, served, signed_in_on_case
from ua_bot.app import App
from ua_bot.model import CaseStatus

HEADER_NAMES = [k.decode() for k, _ in HEADERS]


def _has_security_headers(r: httpx.Response) -> None:
    for name in HEADER_NAMES:
        assert name in r.headers, (r.status_code, r.url, name)
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/organiser/cases/9223372036854775808",  # 2^63
        "/organiser/cases/99999999999999999999999/edit",
        "/organiser/cases/-1",
        "/organiser/cases/18446744073709551616/stats",
    ],
)
async def test_an_id_out_of_range_is_a_404_without_a_traceback(settings, store, core, path):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, _):
        with captured_logs() as logs:
            r = await http.get(path)
            posted = await http.post(path, data={"do": "publish"})
    assert r.status_code == 404 and posted.status_code in (404, 405)
    _has_security_headers(r)
    assert "Traceback" not in logs.getvalue()


async def test_a_country_longer_than_the_schema_is_an_error_beside_the_field(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        form = await edit_form(http, case.id)
        with captured_logs() as logs:
            r = await http.post(
                f"/organiser/cases/{case.id}/edit", data={**form, "country": "C" * 129}
            )
        assert r.status_code == 400, r.text[:300]
        assert 'id="error-country">At most 128 characters' in r.text
        ok = await http.post(
            f"/organiser/cases/{case.id}/edit", data={**form, "country": "C" * 128}
        )
        assert ok.status_code == 303
    assert "Traceback" not in logs.getvalue()
    async with store.unit() as tx:
        assert (await tx.get_case(case_id=case.id)).country == "C" * 128


async def test_an_email_field_holding_name_at_alone_is_refused(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        form = await edit_form(http, case.id)
        r = await http.post(f"/organiser/cases/{case.id}/edit", data={**form, "t1.emails": "name@"})
    assert r.status_code == 400 and 'id="error-t1.emails">Not an email address: name@' in r.text
    async with store.unit() as tx:
        assert (await tx.get_case(case_id=case.id)).targets[0].emails == case.targets[0].emails


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"sec-fetch-site": "same-site"},
        {"origin": "null"},
    ],
)
async def test_a_cross_site_sign_in_post_gets_no_session(settings, store, core, headers):
    app = App(settings, store, core)
    async with served(app) as http:
        link = await link_from_chat(app)
        r = await http.post(link, headers=headers)
        assert r.status_code == 403 and "set-cookie" not in r.headers
        _has_security_headers(r)
        assert (await http.get("/organiser/")).status_code == 401
        # the link is not used up: the organiser can still open it themselves
        mine = await http.post(link, headers={"origin": str(http.base_url).rstrip("/")})
        assert mine.status_code == 303 and "set-cookie" in mine.headers


async def test_a_same_origin_sign_in_post_works(settings, store, core):
    app = App(settings, store, core)
    async with served(app) as http:
        link = await link_from_chat(app)
        r = await http.post(link, headers={"sec-fetch-site": "same-origin", "origin": "x"})
        assert r.status_code == 303 and "set-cookie" in r.headers


async def test_every_organiser_response_has_the_security_headers(settings, store, core):
    case = await add_case(store, make_case(), CaseStatus.DRAFT)
    app = App(settings, store, core)
    async with served(app) as http:
        link = await link_from_chat(app)
        seen = {
            "login page": await http.get(link),
            "401": await http.get("/organiser/"),
            "404 no route": await http.get("/organiser/no-such-page"),
            "404 id": await http.get("/organiser/cases/x"),
            "307 slash": await http.get("/organiser"),
            "410 bad link": await http.get("/organiser/login/nope"),
            "405": await http.put("/organiser/"),
            "413": await http.post("/organiser/upload", content=b"x" * (1024 * 1024 + 1)),
            "style": await http.get("/organiser/static/style.css"),
        }
        signed = await http.post(link)
        seen["303 sign-in"] = signed
        seen["page"] = await http.get(f"/organiser/cases/{case.id}")
        seen["chart"] = await http.get(f"/organiser/cases/{case.id}/chart.png")
        seen["404 case"] = await http.get("/organiser/cases/424242")
    assert seen["307 slash"].status_code == 307 and seen["413"].status_code == 413
    assert seen["404 no route"].status_code == 404
    for name, r in seen.items():
        assert r.status_code < 500, name
        _has_security_headers(r)
    # not on the webhooks and health checks: only the organiser pages
    async with served(app) as http:
        assert "content-security-policy" not in (await http.get("/healthz")).headers


async def test_the_cookie_is_secure_behind_a_trusted_proxy_only(settings, store, core):
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}

    async def cookie() -> str:
        app = App(settings, store, core)
        async with served(app) as http:
            link = await link_from_chat(app)
            r = await http.post(link, headers=forwarded)
            assert r.status_code == 303
            return r.headers["set-cookie"].lower()

    assert "secure" not in cookie_flags(await cookie())  # no proxy is trusted by default
    settings.ua_bot_trusted_proxies = "10.0.0.1"
    assert "secure" not in cookie_flags(await cookie())  # 127.0.0.1 is not that proxy
    settings.ua_bot_trusted_proxies = "10.0.0.1, 127.0.0.1"
    assert "secure" in cookie_flags(await cookie())


def cookie_flags(header: str) -> list[str]:
    return [p.strip() for p in header.split(";")[1:]]


async def test_metrics_need_the_bearer_token_when_it_is_set(settings, store, core):
    from pydantic import SecretStr

    app = App(settings, store, core)
    async with served(app) as http:
        assert (await http.get("/metrics")).status_code == 200  # open by default
        settings.ua_bot_metrics_token = SecretStr("s3cret-token-for-metrics")
        for auth in (None, "Bearer wrong", "s3cret-token-for-metrics", "Bearer s3cret"):
            r = await http.get("/metrics", headers={"authorization": auth} if auth else {})
            assert r.status_code == 401 and "ua_bot" not in r.text, auth
        ok = await http.get(
            "/metrics", headers={"authorization": "Bearer s3cret-token-for-metrics"}
        )
        assert ok.status_code == 200
