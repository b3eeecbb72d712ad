"""The organiser pages over HTTP (httpx against the served app): sign-in links, sessions,
CSRF, editing with validation, lifecycle and the audit log."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sys

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from adapters.settings import DeploymentSettings
from case_store import organiser_tables as web_store
from tests.chat import TestChat
from tests.conftest import ORGANISER, SECRET, add_case, make_case
from tests.organiser_kit import (
    csrf,
    edit_form,
    link_from_chat,
    served,
    sign_in,
    signed_in_on_case,
)
from ua_bot.app import App
from ua_bot.core import Core
from ua_bot.handlers import command_table
from ua_bot.identity import Hasher
from ua_bot.markup import plain
from ua_bot.model import CaseStatus
from ua_bot.web_login import LINKS_PER_WINDOW


def _app(settings, store, core) -> App:
    return App(settings, store, core)


async def _links(store) -> int:
    """Sign-in links ever issued."""
    async with store.unit() as tx:
        return (
            await tx.conn.execute(select(func.count()).select_from(web_store.web_logins))
        ).scalar()


async def _case(store, ua="253/17"):
    async with store.unit() as tx:
        return await tx.get_case(ua=ua)


async def test_link_signs_in_once_and_sets_a_safe_cookie(settings, store, core):
    app = _app(settings, store, core)
    await add_case(store, make_case(), CaseStatus.DRAFT)
    async with served(app) as http:
        assert (await http.get("/organiser/")).status_code == 401  # not signed in
        link = await link_from_chat(app)
        assert (await http.get(link)).status_code == 200
        r = await http.post(link)
        assert r.status_code == 303
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=" in cookie
        home = await http.get("/organiser/")
        assert home.status_code == 200 and "253/17" in home.text
        for h in ("x-frame-options", "x-content-type-options", "content-security-policy"):
            assert h in home.headers
        assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
        assert "<script" not in home.text
        # The same link again: a plain error page, and no second session.
        again = await http.get(link)
        assert again.status_code == 410 and "used already" in again.text
        http.cookies.clear()
        assert (await http.post(link)).status_code == 410
        assert (await http.get("/organiser/")).status_code == 401


async def test_expired_and_forged_links_and_cookies_are_refused(settings, store, core, clock):
    app = _app(settings, store, core)
    async with served(app) as http:
        link = await link_from_chat(app)
        clock.when += dt.timedelta(minutes=11)
        page = await http.get(link)
        assert page.status_code == 410 and "expired" in page.text
        assert (await http.post(link)).status_code == 410
        forged = link[:-4] + ("aaaa" if not link.endswith("aaaa") else "bbbb")
        assert (await http.get(forged)).status_code == 404
        assert (await http.post(forged)).status_code == 410
        assert (await http.get("/organiser/")).status_code == 401
        # A valid session whose cookie is tampered with is no session.
        await sign_in(app, http)
        assert (await http.get("/organiser/")).status_code == 200
        value = http.cookies["ua_organiser"]
        session_id = URLSafeTimedSerializer(b"any").loads_unsafe(value)[1]
        http.cookies.clear()
        http.cookies.set("ua_organiser", value[:-2] + "xx", path="/organiser")
        assert (await http.get("/organiser/")).status_code == 401
        # The real session id, signed with another key, is no session either.
        forged_cookie = URLSafeTimedSerializer(b"not the key", salt="organiser").dumps(session_id)
        http.cookies.set("ua_organiser", forged_cookie, path="/organiser")
        assert (await http.get("/organiser/")).status_code == 401
        http.cookies.set("ua_organiser", value, path="/organiser")
        assert (await http.get("/organiser/")).status_code == 200


async def test_sign_out_ends_the_session(settings, store, core):
    app = _app(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        home = await http.get("/organiser/")
        cookie = http.cookies["ua_organiser"]
        assert (
            await http.post("/organiser/logout", data={"csrf": csrf(home.text)})
        ).status_code == 200
        http.cookies.set("ua_organiser", cookie, path="/organiser")  # a copy kept is no use
        assert (await http.get("/organiser/")).status_code == 401


async def test_a_supporter_gets_no_link(settings, store, core, chat):
    text = await chat.say("/web")
    assert "for organisers only" in text and "/organiser/login/" not in text
    assert await _links(store) == 0


async def test_links_are_rate_limited(settings, store, core):
    settings.ua_bot_public_url = "https://bot.example.org"
    organiser = TestChat(core, user=ORGANISER)
    for _ in range(LINKS_PER_WINDOW):
        assert "https://bot.example.org/organiser/login/" in await organiser.say("/web")
    refused = await organiser.say("/web")
    assert "/organiser/login/" not in refused and "wait a few minutes" in refused


async def test_no_public_url_says_which_setting(settings, core):
    text = await TestChat(core, user=ORGANISER).say("/web")
    assert "UA_BOT_PUBLIC_URL" in text and "/organiser/login/" not in text


async def test_session_ends_when_the_organiser_leaves_the_allow_list(
    settings, store, core, clock, tmp_path
):
    app = _app(settings, store, core)
    async with served(app) as http:
        await sign_in(app, http)
        assert (await http.get("/organiser/")).status_code == 200
    # The deployment restarts with olga no longer on the allow-list; her cookie is kept.
    cookies = http.cookies
    later = DeploymentSettings(
        database_url=settings.database_url,
        ua_bot_secret=SECRET.decode(),
        ua_bot_organisers="console:someone_else",
        ua_bot_secret_file=tmp_path / "secret",
        _env_file=None,
    )
    app2 = App(later, store, Core(store, later, Hasher(SECRET), command_table(), clock=clock))
    async with served(app2) as http2:
        for c in cookies.jar:
            http2.cookies.set(c.name, c.value, path=c.path)
        r = await http2.get("/organiser/")
        assert r.status_code == 401 and "not signed in" in r.text


async def test_post_without_csrf_changes_nothing(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        r = await http.post(f"/organiser/cases/{case.id}", data={"do": "publish"})
        assert r.status_code == 403
        r = await http.post(
            f"/organiser/cases/{case.id}/edit",
            data={"csrf": "0" * 64, "ua_number": "253/17", "title": "Changed", "targets": "0"},
        )
        assert r.status_code == 403
    after = await _case(store)
    assert after.status == CaseStatus.DRAFT and after.title == case.title
    assert len(after.targets) == 2


async def test_invalid_values_are_shown_beside_the_field_and_nothing_is_saved(
    settings, store, core
):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        form = await edit_form(http, case.id)
        assert form["t1.salutation"] == "Dear President"
        bad = {
            **form,
            "title": "A new title that must not be saved",
            "t2.phones": "+1 202 495 2266\nnot a phone",
            "t1.emails": "gov@govonline.cn\nnot-an-email",
            "deadline": "next Tuesday",
            "ua_number": "hello",
        }
        r = await http.post(f"/organiser/cases/{case.id}/edit", data=bad)
        assert r.status_code == 400
        assert "Nothing was saved" in r.text
        for field, words in (
            ("t2.phones", "Not a phone number"),
            ("t1.emails", "Not an email address"),
            ("deadline", "Not a date"),
            ("ua_number", "Not a UA number"),
        ):
            assert f'id="error-{field}">{words}' in r.text, field
        assert "A new title that must not be saved" in r.text  # what was typed stays
    after = await _case(store)
    assert after.title == case.title and after.deadline == case.deadline
    assert after.targets == case.targets


async def test_edits_are_saved_and_audited_field_by_field(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        form = await edit_form(http, case.id)
        form["t1.salutation"] = "Dear President Xi"
        form["demands"] = "Release Lee Su-jung now\n" + form["demands"]
        form["t2.remove"] = "on"
        form["t3.name"] = "Wang Yi"
        form["t3.emails"] = "minister@mfa.gov.cn"
        form["deadline"] = "2018-01-15"
        r = await http.post(f"/organiser/cases/{case.id}/edit", data=form)
        assert r.status_code == 303
        preview = await http.get(r.headers["location"])
        assert "Dear President Xi" in preview.text and "Release Lee Su-jung now" in preview.text
        audit = (await http.get("/organiser/audit")).text
    after = await _case(store)
    assert after.targets[0].salutation == "Dear President Xi"
    assert after.demands[0] == "Release Lee Su-jung now" and len(after.demands) == 4
    assert [t.name for t in after.targets] == ["Xi Jinping", "Wang Yi"]
    assert after.deadline == dt.date(2018, 1, 15)
    assert "target 1 salutation" in audit and "Dear President Xi" in audit
    actor = core.hasher.supporter(ORGANISER)
    assert actor[:12] in audit and ORGANISER not in audit
    async with store.unit() as tx:
        rows = await tx.recent_case_changes()
    fields = {r.field: (r.before, r.after) for r in rows}
    assert fields["target 1 salutation"] == ("Dear President", "Dear President Xi")
    assert fields["deadline"] == ("2017-12-27", "2018-01-15")
    assert fields["target 2 name"] == ("Cui Tiankai", "Wang Yi")  # removed one, added one
    assert all(r.actor == actor for r in rows)


async def test_lifecycle_runs_the_chat_commands(settings, store, core):
    app = _app(settings, store, core)
    case = await add_case(store, make_case(), CaseStatus.DRAFT)
    page = f"/organiser/cases/{case.id}"
    async with served(app) as http:
        await sign_in(app, http)

        async def do(**data):
            token = csrf((await http.get(page)).text)
            r = await http.post(page, data={"csrf": token, **data})
            assert r.status_code == 200
            return r.text

        assert "is published" in await do(do="publish")
        assert (await _case(store)).status == CaseStatus.PUBLISHED
        await TestChat(core, user="console:sam").say("/subscribe")
        assert "Queued UA 253/17 (new case): 1 recipient added" in await do(
            do="broadcast", kind="new"
        )
        assert "New case: sending: sent 0 of 1, 1 waiting" in (await http.get(page)).text
        assert "Cancelled: 1 message of UA 253/17" in await do(do="cancel")
        text = await do(do="update", text="released: Lee Su-jung was freed")
        assert "Update stored for UA 253/17" in text
        assert "is closed" in await do(do="close", outcome="released")
        closed = await _case(store)
        assert closed.status == CaseStatus.CLOSED and closed.outcome == "released"
        assert "open again" in await do(do="reopen")
        audit = (await http.get("/organiser/audit")).text
        pages = audit + (await http.get(page)).text + (await http.get("/organiser/")).text
    sam = core.hasher.supporter("console:sam")
    assert "console:sam" not in pages and sam[:12] not in pages  # no supporter is shown
    assert "/publish 253/17" in audit and "/close 253/17 released" in audit
    async with store.unit() as tx:
        rows = await tx.recent_case_changes()
    assert [(r.field, r.before, r.after) for r in rows if r.field == "status"] == [
        ("status", "closed", "published"),
        ("status", "published", "closed"),
        ("status", "draft", "published"),
    ]


async def test_web_login_command_line(db_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "UA_BOT_SECRET": "web-test-secret-0123456789",
        "UA_BOT_ORGANISERS": "console:olga",
        "UA_BOT_PUBLIC_URL": "https://bot.example.org",
    }

    async def run(user: str) -> tuple[int, str, str]:
        p = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters", "web-login", "--user", user, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await p.communicate()
        return p.returncode, out.decode(), err.decode()

    code, out, err = await run("olga")
    assert code == 0 and out.startswith("https://bot.example.org/organiser/login/"), err
    code, out, err = await run("console:mallory")
    assert code == 2 and out == "" and err.count("\n") == 1 and "UA_BOT_ORGANISERS" in err


def test_the_cookie_is_secure_when_the_pages_are_served_over_https(settings, store, core):
    from starlette.responses import Response

    from adapters.organiser.sessions import set_cookie

    app = _app(settings, store, core)
    for url, secure in (("http://127.0.0.1:8000", False), ("https://bot.example.org", True)):
        settings.ua_bot_public_url = url
        response = Response()
        set_cookie(app, response, "some-session")
        assert ("; secure" in response.headers["set-cookie"].lower()) is secure


async def test_upload_shows_the_report_with_unused_lines(settings, store, core):
    from tests.ua_builders import build_pdf
    from ua_bot.app import sample_path

    app = _app(settings, store, core)
    pdf = build_pdf(sample_path().read_text(encoding="utf-8")).data
    async with served(app) as http:
        await sign_in(app, http)
        token = csrf((await http.get("/organiser/")).text)
        files = {"document": ("not-a-ua.txt", b"Dear diary,\nnothing to see here.\n")}
        r = await http.post("/organiser/upload", data={"csrf": token}, files=files)
        assert r.status_code == 400 and "Not imported" in r.text
        assert await _case(store) is None
        files = {"document": ("ua_253_17.pdf", pdf, "application/pdf")}
        r = await http.post("/organiser/upload", data={"csrf": token}, files=files)
        assert r.status_code == 303 and r.headers["location"].endswith("/edit")
        review = (await http.get(r.headers["location"])).text
    assert "Import report: ua_253_17.pdf" in review
    assert "Unused lines of the document (1)" in review
    assert "<li>Amnesty International - Urgent Action Network</li>" in review
    case = await _case(store)
    assert case.status == CaseStatus.DRAFT and case.targets[0].salutation == "Dear President"


async def test_a_form_from_before_someone_elses_save_is_refused(settings, store, core):
    async with signed_in_on_case(settings, store, core, CaseStatus.DRAFT) as (http, case):
        mine = await edit_form(http, case.id)
        theirs = {**mine, "title": "Their title"}
        assert (await http.post(f"/organiser/cases/{case.id}/edit", data=theirs)).status_code == 303
        r = await http.post(f"/organiser/cases/{case.id}/edit", data={**mine, "country": "Peru"})
        assert r.status_code == 409 and "Someone changed this case" in r.text
        assert ">Peru<" in r.text or "value=\"Peru\"" in r.text  # what they typed stays
    after = await _case(store)
    assert (after.title, after.country) == ("Their title", "China")


async def test_the_link_reply_renders_on_every_platform(settings, core):
    from adapters.console import render as console_render
    from adapters.slack.render import render as slack_render
    from adapters.telegram.render import render as telegram_render
    from ua_bot.messages import Incoming

    settings.ua_bot_public_url = "https://bot.example.org"
    for user in ("telegram:42", "slack:T1:U2"):
        settings.ua_bot_organisers = f"{ORGANISER},{user}"
        settings.__dict__.pop("organisers", None)  # a cached property of the settings
        [reply] = await core.handle(Incoming.command_line("/web", address=user, user=user))
        assert reply.private
        text = plain(reply.markup)
        link = re.search(r"https://bot\.example\.org/organiser/login/[\w-]+", text)[0]
        [tg] = telegram_render(reply)
        assert f'<a href="{link}">' in tg.html
        blocks = slack_render(reply).messages[0].blocks
        assert any(link in b["text"]["text"] for b in blocks if b["type"] == "section")
        assert link in console_render(reply, settings.ua_bot_secret_file.parent)[0]


async def test_a_workspace_admin_off_the_allow_list_gets_no_link(settings, store, core):
    from ua_bot.messages import Incoming

    settings.ua_bot_public_url = "https://bot.example.org"
    settings.ua_bot_workspace_admins_are_organisers = True
    admin = Incoming.command_line(
        "/web", address="slack:T1:C1", user="slack:T1:U9", workspace="T1", is_workspace_admin=True
    )
    [reply] = await core.handle(admin)  # a workspace's admin has only that workspace's powers
    assert "/organiser/login/" not in reply.markup
    assert "organisers only" in plain(reply.markup)
    assert await _links(store) == 0


async def test_document_text_is_escaped_on_the_pages(settings, store, core):
    app = _app(settings, store, core)
    title = '<script>alert("x")</script> & <b>bold</b>'
    case = await add_case(store, make_case(title=title), CaseStatus.DRAFT)
    async with served(app) as http:
        await sign_in(app, http)
        for path in (
            "/organiser/",
            f"/organiser/cases/{case.id}",
            f"/organiser/cases/{case.id}/edit",
        ):
            body = (await http.get(path)).text
            assert "<script>" not in body and "<b>bold" not in body, path
            assert "&lt;script&gt;" in body, path
