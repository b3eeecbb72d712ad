"""The organiser pages' request handlers (routes are listed in ``__init__``)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ua_bot.app import App
from ua_bot.cases import Who, revisions
from ua_bot.cases.edits import Stale, Taken, save_edit
from ua_bot.cases.imports import import_case
from ua_bot.cases.translations import outdated
from ua_bot.markup import plain
from ua_bot.messages import Document, Image, Reply, Text
from ua_bot.model import Case, CaseStatus
from ua_bot.web_login import public_url

from . import sessions
from .commands import address, change, read
from .forms import LABELS, TARGET_LINES, TARGET_TEXT, form_values, read_case
from .preview import preview
from .security import csrf_ok, csrf_token, same_origin_post

ENV = Environment(loader=PackageLoader("adapters.organiser", "templates"), autoescape=True)
ENV.autoescape = select_autoescape(default=True, default_for_string=True)
MAX_UPLOAD = 1024 * 1024  # the web app refuses larger bodies before they are read
Page = Callable[[Request, App, sessions.Organiser], Awaitable[Response]]


def page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**values), status_code=status)


def error(message: str, status: int = 400) -> HTMLResponse:
    return page("error.html", status, message=message)


def texts(replies: list[Reply]) -> list[str]:
    return [plain(p.markup) for r in replies for p in r.parts if isinstance(p, Text)]


def signed_in(fn: Page) -> Callable[[Request], Awaitable[Response]]:
    """Only for a live session of an allow-listed organiser; every POST needs the CSRF token."""

    @functools.wraps(fn)
    async def wrapper(request: Request) -> Response:
        app: App = request.app.state.ua
        who = await sessions.current(app, request)
        if who is None:
            response = error(
                "You are not signed in (or your session ended). Ask the bot for a new "
                "link with /web.",
                401,
            )
            sessions.clear_cookie(response)
            return response
        if request.method == "POST":
            form = await request.form(max_part_size=MAX_UPLOAD)
            key = app.core.hasher.key_for("web-session")
            if not csrf_ok(key, who.session_id, form.get("csrf")):
                return error("This form is out of date or was not sent from these pages.", 403)
            request.state.form = form
        return await fn(request, app, who)

    return wrapper


def render(template: str, app: App, who: sessions.Organiser, status: int = 200, **v) -> Response:
    csrf = csrf_token(app.core.hasher.key_for("web-session"), who.session_id)
    return page(template, status, csrf=csrf, who=who.actor[:12], **v)


async def _case(app: App, request: Request) -> Case | None:
    async with app.store.unit() as tx:
        return await tx.get_case(case_id=int(request.path_params["case_id"]))


# -- signing in ------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    """Opening a link only shows a button: link previews in chats do not use it up."""
    app: App = request.app.state.ua
    state = await sessions.link_state(app, request.path_params["token"])
    if state != "ok":
        return error(
            {
                "used": "This sign-in link has been used already.",
                "expired": "This sign-in link has expired.",
            }.get(state, "This is not a valid sign-in link.")
            + " Ask the bot for a new one with /web.",
            410 if state in ("used", "expired") else 404,
        )
    return page("login.html")


async def login(request: Request) -> Response:
    app: App = request.app.state.ua
    own = f"{request.url.scheme}://{request.url.netloc}"
    if not same_origin_post(request.headers, public_url(app.settings), own):
        return error("Open the sign-in link yourself: this form was sent from another site.", 403)
    session_id = await sessions.sign_in(app, request.path_params["token"])
    if session_id is None:
        return error("This sign-in link is used, expired or not valid. Ask the bot: /web.", 410)
    response = RedirectResponse("/organiser/", status_code=303)
    sessions.set_cookie(app, response, session_id, request)
    return response


@signed_in
async def logout(request: Request, app: App, who: sessions.Organiser) -> Response:
    await sessions.sign_out(app, who)
    response = page("error.html", message="You are signed out.")
    sessions.clear_cookie(response)
    return response


# -- cases -----------------------------------------------------------------------------


@signed_in
async def case_list(request: Request, app: App, who: sessions.Organiser) -> Response:
    async with app.store.unit() as tx:
        cases = await tx.list_cases()
        totals = await tx.totals_of([c.id for c in cases if c.id is not None])
    groups = {s.value: [c for c in cases if c.status == s] for s in CaseStatus}
    return render("cases.html", app, who, groups=groups, totals=totals, today=app.core.today())


@signed_in
async def upload(request: Request, app: App, who: sessions.Organiser) -> Response:
    from ua_bot.importer.isolated import read_isolated
    from ua_bot.importer.sources import review_sources

    file = request.state.form.get("document")
    data = await file.read() if hasattr(file, "read") else b""
    if not data:
        return error("Choose a .txt, .docx or .pdf file to upload.")
    result = await read_isolated(file.filename or "document.txt", data)
    if result.case is None:
        return error("Not imported:\n" + result.report.render())
    report = result.report
    name = file.filename or ""
    note = {
        "file": name,
        "found": report.found,
        "missing": report.missing,
        "warnings": list(report.warnings),
        "errors": report.errors,
        "unused": report.unused_lines,
        "checks": report.checks,
        "lines": [line[:500] for line in result.lines[:3000]],  # the document as read
        "sources": review_sources(report.sources),
    }
    stored = await import_case(app.core, _who(who), result, source=name, note=note)
    if stored.revision is not None:  # the case is unchanged: its revision waits for review
        return RedirectResponse(f"/organiser/cases/{stored.case.id}/revision", status_code=303)
    return RedirectResponse(f"/organiser/cases/{stored.case.id}/edit", status_code=303)


def _who(who: sessions.Organiser) -> Who:
    """The signed-in organiser as the application layer knows them."""
    return Who(who.actor, address(who))


@signed_in
async def case_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    return await _case_view(app, who, case)


async def _case_view(app: App, who: sessions.Organiser, case: Case, message: str = "") -> Response:
    async with app.store.unit() as tx:
        supporters, actions = await tx.case_totals(case.stored_id)
    progress = texts(await read(app, who, f"/broadcast_status {case.ua_number}"))
    return render(
        "case.html",
        app,
        who,
        pending=await revisions.pending(app.store, case.stored_id) is not None,
        case=case,
        supporters=supporters,
        actions=actions,
        progress=progress,
        message=message,
    )


def _command_line(case: Case, form: Any) -> str | None:
    """The chat command line of a lifecycle or broadcast form, or ``None``."""
    ua = case.ua_number
    what = form.get("do", "")
    everyone = " --all" if form.get("everyone") else ""
    if what in ("publish", "reopen"):
        return f"/{what} {ua}"
    if what == "close":
        return f"/close {ua} {form.get('outcome', '')}".rstrip()
    if what == "update":
        return f"/update {ua}{everyone} {form.get('text', '')}".rstrip()
    if what == "broadcast":
        return f"/broadcast {ua} {form.get('kind', 'new')}{everyone}"
    if what == "cancel":
        return f"/broadcast_cancel {ua}"
    return None


@signed_in
async def case_action(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    todo = _command_line(case, request.state.form)
    if todo is None:
        return error("I do not know that action.")
    replies = await change(app, who, todo)  # the chat command: the same use case
    after = await _case(app, request) or case
    return await _case_view(app, who, after, "\n".join(texts(replies)))


# -- review and edit ---------------------------------------------------------------------


def _edit(app, who, case, values, errors, note, status=200, pending=False) -> Response:
    count = int(values.get("targets") or 0)
    return render(
        "edit.html",
        app,
        who,
        status,
        case=case,
        v=values,
        errors=errors,
        note=note,
        count=count,
        tr_count=int(values.get("translations") or 0),
        stale={lang: outdated(case, lang) for lang in case.translations},
        labels=LABELS,
        target_text=[f for f in TARGET_TEXT if f != "name"],
        target_lines=TARGET_LINES,
        pending=pending,
    )


async def _note(app: App, case: Case) -> dict:
    async with app.store.unit() as tx:
        return (await tx.case_extra(case.stored_id)).get("web_import") or {}


@signed_in
async def edit_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    pending = await revisions.pending(app.store, case.stored_id) is not None
    return _edit(app, who, case, form_values(case), {}, await _note(app, case), pending=pending)


@signed_in
async def save(request: Request, app: App, who: sessions.Organiser) -> Response:
    """Store the edited case through :func:`ua_bot.cases.edits.save_edit`; a refusal
    (invalid field, stale version, UA number taken) keeps what the organiser typed."""
    old = await _case(app, request)
    if old is None:
        return error("There is no such case.", 404)
    form = request.state.form
    new, errors = read_case(form, old)
    status = 400
    if not errors:
        try:
            seen = str(form.get("version", ""))
            saved = await save_edit(
                app.core, _who(who), old.stored_id, seen, new, _still_correct(form)
            )
        except Stale as e:
            errors, status = {"version": e.markup}, 409
        except Taken as e:
            errors["ua_number"] = e.markup
        else:
            count = len(saved.changes)
            return RedirectResponse(f"/organiser/cases/{old.id}/preview?saved={count}", 303)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    return _edit(app, who, old, values, errors, await _note(app, old), status)


def _still_correct(form: Any) -> frozenset[str]:
    """The languages whose translation the organiser ticked as still correct."""
    ticked = (k for k in form if k.startswith("tr") and k.endswith(".current"))
    return frozenset(str(form.get(k[: -len("current")] + "lang", "")) for k in ticked)



@signed_in
async def revision_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    """A re-imported document's changes, field by field, to accept or discard."""
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    message = ""
    if request.method == "POST":
        form = request.state.form
        try:
            if form.get("do") == "discard":
                await revisions.discard(app.store, case.stored_id, who.actor)
                message = "The document is discarded: the case stays as it is."
            else:
                fields = {str(f) for f in form.getlist("take")}
                _, taken = await revisions.accept(app.store, case.stored_id, who.actor, fields)
                message = f"{len(taken)} field(s) taken from the document."
        except revisions.NoRevision:
            message = "No re-imported document waits for this case any more."
        app.core.cases.invalidate()
        case = await _case(app, request) or case
    rev = await revisions.pending(app.store, case.stored_id)
    return render("revision.html", app, who, case=case, rev=rev, message=message)


@signed_in
async def preview_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    saved = request.query_params.get("saved")
    lang = request.query_params.get("lang", "")
    if lang not in case.translations:
        lang = ""
    shown = await preview(app, who, case, lang or None)
    return render("preview.html", app, who, case=case, shown=shown, saved=saved, lang=lang)


# -- figures and audit ------------------------------------------------------------------


@signed_in
async def stats_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    replies = await read(app, who, f"/stats {case.ua_number}")
    chart = any(isinstance(p, Image) for r in replies for p in r.parts)
    return render("stats.html", app, who, case=case, texts=texts(replies), chart=chart)


async def _part(app, who, request, line: str, kind: type, run=read) -> Any:
    case = await _case(app, request)
    if case is None:
        return None
    replies = await run(app, who, line.format(ua=case.ua_number))
    return next((p for r in replies for p in r.parts if isinstance(p, kind)), None)


@signed_in
async def chart(request: Request, app: App, who: sessions.Organiser) -> Response:
    image = await _part(app, who, request, "/stats {ua}", Image)
    if image is None:
        return error("There is no chart: no action is recorded yet.", 404)
    return Response(image.png, media_type="image/png")


@signed_in
async def export(request: Request, app: App, who: sessions.Organiser) -> Response:
    """The chat /export, run as a command: the same CSV and the same audit entry."""
    doc = await _part(app, who, request, "/export {ua}", Document, change)
    if doc is None:
        return error("There is no such case.", 404)
    return Response(
        doc.data,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{doc.filename}"'},
    )


@signed_in
async def audit_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    async with app.store.unit() as tx:
        commands = await tx.audit_entries(50)
        edits = await tx.recent_case_changes(200)
    return render("audit.html", app, who, commands=commands, edits=edits)
