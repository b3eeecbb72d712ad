"""The organiser pages' request handlers (routes are listed in ``__init__``)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from case_store import organiser_tables as web_store
from case_store.cases import now
from ua_bot.app import App
from ua_bot.markup import plain
from ua_bot.messages import Document, Image, Reply, Text
from ua_bot.model import Case, CaseStatus

from . import sessions
from .commands import change, read
from .forms import LABELS, TARGET_LINES, TARGET_TEXT, changes, form_values, read_case
from .preview import preview
from .security import csrf_ok, csrf_token

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
    session_id = await sessions.sign_in(app, request.path_params["token"])
    if session_id is None:
        return error("This sign-in link is used, expired or not valid. Ask the bot: /web.", 410)
    response = RedirectResponse("/organiser/", status_code=303)
    sessions.set_cookie(app, response, session_id)
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
    from ua_bot.import_store import store_import
    from ua_bot.importer import import_bytes

    file = request.state.form.get("document")
    data = await file.read() if hasattr(file, "read") else b""
    if not data:
        return error("Choose a .txt, .docx or .pdf file to upload.")
    result = import_bytes(data, file.filename or "document.txt")
    if result.case is None:
        return error("Not imported:\n" + result.report.render())
    stored = await store_import(app.store, result)
    case = stored.case
    report = result.report
    note = {
        "file": file.filename or "",
        "found": report.found,
        "missing": report.missing,
        "warnings": [*report.warnings, *stored.warnings],
        "errors": report.errors,
        "unused": report.unused_lines,
    }
    async with app.store.unit() as tx:
        extra = await web_store.case_extra(tx.conn, case.id)
        await web_store.set_case_extra(tx.conn, case.id, {**extra, "web_import": note})
        await tx.audit(who.actor, "web_import", f"UA {case.ua_number} from {note['file']}")
        await web_store.add_changes(tx.conn, [_row(who, case, "import", "", note["file"])])
    app.core.cases.invalidate()
    return RedirectResponse(f"/organiser/cases/{case.id}/edit", status_code=303)


def _row(who: sessions.Organiser, case: Case, field: str, before: str, after: str) -> dict:
    """One line of the change log."""
    return {
        "actor": who.actor,
        "case_id": case.id,
        "ua_number": case.ua_number,
        "field": field[:64],
        "before": before,
        "after": after,
        "at": now(),
    }


@signed_in
async def case_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    return await _case_view(app, who, case)


async def _case_view(app: App, who: sessions.Organiser, case: Case, message: str = "") -> Response:
    async with app.store.unit() as tx:
        supporters, actions = await tx.case_totals(case.id)
    progress = texts(await read(app, who, f"/broadcast_status {case.ua_number}"))
    return render(
        "case.html",
        app,
        who,
        case=case,
        supporters=supporters,
        actions=actions,
        progress=progress,
        message=message,
    )


def _command_line(case: Case, form: Any) -> tuple[str, str] | None:
    """(field for the change log, command line) of a lifecycle form, or ``None``."""
    ua = case.ua_number
    what = form.get("do", "")
    everyone = " --all" if form.get("everyone") else ""
    if what in ("publish", "reopen"):
        return "status", f"/{what} {ua}"
    if what == "close":
        return "status", f"/close {ua} {form.get('outcome', '')}".rstrip()
    if what == "update":
        return "update", f"/update {ua}{everyone} {form.get('text', '')}".rstrip()
    if what == "broadcast":
        kind = form.get("kind", "new")
        return "broadcast", f"/broadcast {ua} {kind}{everyone}"
    if what == "cancel":
        return "broadcast", f"/broadcast_cancel {ua}"
    return None


@signed_in
async def case_action(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    todo = _command_line(case, request.state.form)
    if todo is None:
        return error("I do not know that action.")
    field, line = todo
    replies = await change(app, who, line)
    after = await _case(app, request) or case
    rows = []
    if after.status != case.status:
        rows.append(_row(who, case, "status", case.status.value, after.status.value))
    if after.outcome != case.outcome:  # a close, or an update that reports an outcome
        rows.append(_row(who, case, "outcome", case.outcome, after.outcome))
    if field != "status":
        rows.append(_row(who, case, field, "", line))
    async with app.store.unit() as tx:
        await web_store.add_changes(tx.conn, rows)
    return await _case_view(app, who, after, "\n".join(texts(replies)))


# -- review and edit ---------------------------------------------------------------------


def _edit(app, who, case, values, errors, note, status=200) -> Response:
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
        labels=LABELS,
        target_text=[f for f in TARGET_TEXT if f != "name"],
        target_lines=TARGET_LINES,
    )


async def _note(app: App, case: Case) -> dict:
    async with app.store.unit() as tx:
        return (await web_store.case_extra(tx.conn, case.id)).get("web_import") or {}


@signed_in
async def edit_page(request: Request, app: App, who: sessions.Organiser) -> Response:
    case = await _case(app, request)
    if case is None:
        return error("There is no such case.", 404)
    return _edit(app, who, case, form_values(case), {}, await _note(app, case))


@signed_in
async def save(request: Request, app: App, who: sessions.Organiser) -> Response:
    old = await _case(app, request)
    if old is None:
        return error("There is no such case.", 404)
    form = request.state.form
    new, errors = read_case(form, old)
    if not errors and new.ua_number != old.ua_number:
        async with app.store.unit() as tx:
            if await tx.get_case(ua=new.ua_number) is not None:
                errors["ua_number"] = f"UA {new.ua_number} is another case already."
    if errors:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return _edit(app, who, old, values, errors, await _note(app, old), 400)
    diff = changes(old, new)
    if diff:
        async with app.store.unit() as tx:
            if new.ua_number != old.ua_number:
                await web_store.rename_case(tx.conn, old.id, new.ua_number)
            await tx.save_case(new)
            await _save_translations(tx, old, new)
            await web_store.add_changes(tx.conn, [_row(who, new, f, a, b) for f, a, b in diff])
            fields = ", ".join(sorted({f for f, _, _ in diff}))
            await tx.audit(who.actor, "web_edit", f"UA {new.ua_number}: {fields}")
        app.core.cases.invalidate()
    return RedirectResponse(f"/organiser/cases/{old.id}/preview?saved={len(diff)}", 303)


async def _save_translations(tx: Any, old: Case, new: Case) -> None:
    """Store the translations that were added, changed or removed."""
    for lang in old.translations.keys() - new.translations.keys():
        await tx.delete_case_translation(old.id, lang)
    for lang, text in new.translations.items():
        if old.translations.get(lang) != text:
            await tx.set_case_translation(
                old.id, lang, title=text.title, summary=text.summary, demands=text.demands,
                salutations=text.salutations, persons=text.persons,
            )  # fmt: skip


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


async def _part(app, who, request, line: str, kind: type) -> Any:
    case = await _case(app, request)
    if case is None:
        return None
    replies = await read(app, who, line.format(ua=case.ua_number))
    return next((p for r in replies for p in r.parts if isinstance(p, kind)), None)


@signed_in
async def chart(request: Request, app: App, who: sessions.Organiser) -> Response:
    image = await _part(app, who, request, "/stats {ua}", Image)
    if image is None:
        return error("There is no chart: no action is recorded yet.", 404)
    return Response(image.png, media_type="image/png")


@signed_in
async def export(request: Request, app: App, who: sessions.Organiser) -> Response:
    doc = await _part(app, who, request, "/export {ua}", Document)
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
        edits = await web_store.recent_changes(tx.conn, 200)
    return render("audit.html", app, who, commands=commands, edits=edits)
