"""Drafting actions in chat: /letter, /email, /call, /tweet, /fax; /sign and /lang for drafts."""

from __future__ import annotations

from ua_bot import markup as md
from ua_bot.commands import command
from ua_bot.context import Context
from ua_bot.drafting import LANGUAGES, NEEDS, Draft, MissingChannel, language, make_draft
from ua_bot.drafting.drafts import address_block
from ua_bot.drafting.pdf import letter_pdf, postage_note
from ua_bot.drafting.weight import LIMIT, weighted_length
from ua_bot.errors import UserError
from ua_bot.handlers.actions import _closed, find_target
from ua_bot.messages import Button, Buttons, Document, Reply, Text
from ua_bot.model import Case, CaseStatus

SIGNATURE_MAX = 80
# Language names a case may give, to the codes /lang takes.
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "chinese": "zh",
    "mandarin": "zh",
    "arabic": "ar",
    "russian": "ru",
    "portuguese": "pt",
    "german": "de",
    "korean": "ko",
    "japanese": "ja",
}
LABEL = {"letter": "Letter", "email": "Email", "call": "Call", "tweet": "Tweet", "fax": "Fax"}


def did_it(case: Case, kind: str, target_no: int) -> list[Button]:
    return [Button("I did it", f"/took_action {case.ua_number} {kind} {target_no}")]


def alternatives(case: Case, target_no: int, kind: str) -> str:
    target = case.targets[target_no - 1]
    others = [LABEL[c] for c in target.channels() if c != kind]
    if not others:
        return ""
    listed = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " or " + others[-1]
    return f"; try {listed}"


async def _supporter_prefs(ctx: Context) -> tuple[str | None, str | None]:
    async with ctx.store.unit() as tx:
        who = await tx.supporter(ctx.supporter_key)
    return (who.lang, who.signature) if who is not None else (None, None)


async def _draft_command(ctx: Context, kind: str) -> Reply:
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua)
    words = rest.split()
    want_pdf = kind == "letter" and bool(words) and words[-1].lower() == "pdf"
    if want_pdf:
        words = words[:-1]
    if case.status == CaseStatus.CLOSED:
        return _closed(case)
    if not case.targets:
        return Reply.text(f"UA {md.esc(case.ua_number)} lists no officials to contact.")
    target_no = find_target(case, " ".join(words))
    if target_no == 0:
        able = [i for i, t in enumerate(case.targets, 1) if kind == "tweet" or kind in t.channels()]
        if len(able) == 1:
            target_no = able[0]
        elif not able:
            return Reply.text(
                f"No target of UA {md.esc(case.ua_number)} has a {NEEDS[kind]}.", private=True
            )
        else:
            extra = " pdf" if want_pdf else ""
            return Reply.text(
                f"Who should the {LABEL[kind].lower()} go to?",
                [
                    Button(
                        f"{i}. {case.targets[i - 1].name}"[:40],
                        f"/{kind} {case.ua_number} {i}{extra}",
                    )
                    for i in able
                ],
                private=True,
            )
    lang, signature = await _supporter_prefs(ctx)
    try:
        draft = make_draft(
            case,
            target_no,
            kind,
            now=ctx.core.now(),
            lang=lang,
            signature=signature,
            templates_dir=ctx.core.settings.ua_bot_templates_dir,
        )
    except MissingChannel as e:
        return Reply.text(
            f"{md.esc(e.target.name)} has no {NEEDS[kind]} in this case"
            f"{alternatives(case, target_no, kind)}.",
            private=True,
        )
    heading = f"*{LABEL[kind]} to {md.esc(draft_target(case, target_no))} for UA "
    heading += f"{md.esc(case.ua_number)}*"
    lines = [heading]
    if lang and language(lang).code != lang.lower()[:2]:
        lines.append(f"_No {md.esc(lang)} template yet: here is the English text._")
    lines += RENDER[kind](case, target_no, draft)
    if not signature:
        lines.append("_Add your name and city to drafts with /sign NAME, CITY._")
    buttons = did_it(case, kind, target_no)
    if want_pdf:
        target = case.targets[target_no - 1]
        pdf = letter_pdf(draft, address_block(target))
        doc = Document(
            filename=f"letter-{case.ua_number.replace('/', '-')}-{target_no}.pdf",
            data=pdf,
            mime="application/pdf",
            caption=f"Letter to {target.name}, UA {case.ua_number}",
        )
        note = postage_note(target)
        text = heading + "\nPrint it, sign it and post it in a DL window envelope."
        if note:
            text += "\n" + md.esc(note)
        return Reply([Text(text), doc, Buttons.of(buttons)], private=True)
    return Reply([Text("\n".join(lines)), Buttons.of(buttons)], private=True)


def draft_target(case: Case, target_no: int) -> str:
    return case.targets[target_no - 1].name


def _block(text: str) -> list[str]:
    return ["", md.esc(text), ""]


def _letter(case: Case, target_no: int, d: Draft) -> list[str]:
    lines = _block(d.text)
    lines.append(f"Send /letter {md.esc(case.ua_number)} {target_no} pdf for a printable page.")
    note = postage_note(case.targets[target_no - 1])
    if note:
        lines.append(md.esc(note))
    return lines


def _email(case: Case, target_no: int, d: Draft) -> list[str]:
    t = case.targets[target_no - 1]
    lines = [f"To: {md.esc(t.emails[0])}"]
    if t.emails[1:]:
        lines.append(f"Cc: {md.esc(', '.join(t.emails[1:]))}")
    lines.append(f"Subject: {md.esc(d.subject)}")
    lines += _block(d.text)
    if d.link:
        lines.append(md.link("Open it in your email app", d.link))
    else:
        lines.append("This email is too long for a link: copy this text into your email app.")
    return lines


def _call(case: Case, target_no: int, d: Draft) -> list[str]:
    lines = [f"Number: {md.link(d.number, d.link)}"]
    if d.local_time is not None:
        zone = getattr(d.local_time.tzinfo, "key", "")
        where = f"in {md.esc(d.place)}" if d.place else "there"
        lines.append(f"Local time {where}: {d.local_time:%H:%M, %A} ({md.esc(zone)})")
    lines += [f"_{md.esc(w)}_" for w in d.warnings]
    lines += _block(d.text)
    return lines


def _tweet(case: Case, target_no: int, d: Draft) -> list[str]:
    lines = _block(d.text)
    lines.append(f"{weighted_length(d.text)}/{LIMIT} characters as X counts them.")
    lines.append(md.link("Post it on X", d.link))
    return lines


def _fax(case: Case, target_no: int, d: Draft) -> list[str]:
    return [f"Fax number: {md.esc(d.number)}", *_block(d.text)]


RENDER = {"letter": _letter, "email": _email, "call": _call, "tweet": _tweet, "fax": _fax}


@command(
    "letter", "A letter to a target, ready to print (add pdf for a PDF)", args="[UA] [target] [pdf]"
)
async def letter(ctx: Context) -> Reply:
    return await _draft_command(ctx, "letter")


@command(
    "email", "An email to a target, with a link that opens your email app", args="[UA] [target]"
)
async def email(ctx: Context) -> Reply:
    return await _draft_command(ctx, "email")


@command("call", "A call script, the number and the local time there", args="[UA] [target]")
async def call(ctx: Context) -> Reply:
    return await _draft_command(ctx, "call")


@command("tweet", "A post for X that fits 280 characters", args="[UA] [target]")
async def tweet(ctx: Context) -> Reply:
    return await _draft_command(ctx, "tweet")


@command("fax", "A fax with a cover line", args="[UA] [target]")
async def fax(ctx: Context) -> Reply:
    return await _draft_command(ctx, "fax")


@command(
    "sign", "Your name and city at the end of drafts (/sign off removes it)", args="NAME, CITY"
)
async def sign(ctx: Context) -> Reply:
    text = " ".join(ctx.args.split())
    if not text:
        _, signature = await _supporter_prefs(ctx)
        now = f"Your drafts are signed: {md.esc(signature)}. " if signature else ""
        return Reply.text(
            f"{now}Send /sign NAME, CITY to sign drafts, /sign off to stop.", private=True
        )
    if text.lower() == "off":
        async with ctx.unit() as tx:
            if await tx.supporter(ctx.supporter_key) is not None:
                await tx.set_supporter_fields(ctx.supporter_key, signature=None)
        return Reply.text("Done: drafts are no longer signed.", private=True)
    if len(text) > SIGNATURE_MAX:
        raise UserError(f"Please keep the signature under {SIGNATURE_MAX} characters.")
    async with ctx.unit() as tx:
        await tx.set_supporter_fields(ctx.supporter_key, signature=text)
    return Reply.text(
        f"Your drafts will be signed: {md.esc(text)}. /sign off removes it; /forget_me deletes "
        "everything stored about you.",
        private=True,
    )


async def _case_languages(ctx: Context, ua: str | None) -> list[str]:
    try:
        case = await ctx.resolve_case(ua)
    except UserError:
        return []
    codes = [LANGUAGE_CODES.get(n.strip().lower(), "") for n in case.languages]
    return [c for c in codes if c]


@command("lang", "The language of your drafts", args="[code]")
async def lang(ctx: Context) -> Reply:
    ua, rest = ctx.split_ua()
    code = rest.strip().lower()
    offered = list(LANGUAGES)
    offered += [c for c in await _case_languages(ctx, ua) if c not in offered]
    if not code:
        current, _ = await _supporter_prefs(ctx)
        now = md.esc(current or "en")
        return Reply.text(
            f"Your drafts are in {now}. Choose a language:",
            [Button(c, f"/lang {c}") for c in offered[:8]],
            private=True,
        )
    if code not in offered and code not in LANGUAGE_CODES.values():
        raise UserError(
            f"I have no drafts in {md.esc(code[:20])}. Choose one of: {md.esc(', '.join(offered))}."
        )
    async with ctx.unit() as tx:
        await tx.set_supporter_fields(ctx.supporter_key, lang=code)
    if code in LANGUAGES:
        return Reply.text(f"Your drafts will be in {md.esc(LANGUAGES[code].name)}.", private=True)
    return Reply.text(
        f"Noted: {md.esc(code)}. There is no {md.esc(code)} template yet, so drafts stay in "
        "English; translate them if you can, the officials read it.",
        private=True,
    )
