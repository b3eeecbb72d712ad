"""Drafting actions in chat: /letter, /email, /call, /tweet, /fax; /sign; /lang for drafts and
the interface."""

from __future__ import annotations

from ua_bot.commands import command
from ua_bot.contact_health import warning_lines
from ua_bot.context import Context
from ua_bot.drafting import LANGUAGES, Draft, MissingChannel, language, make_draft, phones
from ua_bot.drafting.drafts import address_block
from ua_bot.drafting.pdf import letter_pdf, postage_note
from ua_bot.drafting.weight import LIMIT, weighted_length
from ua_bot.errors import UserError
from ua_bot.handlers.actions import _closed, find_target
from ua_bot.i18n import Translator
from ua_bot.markup import esc, link
from ua_bot.messages import Button, Buttons, Document, Reply, Text
from ua_bot.model import Case, CaseStatus, Target

SIGNATURE_MAX = 80
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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


def did_it(case: Case, kind: str, target_no: int, t: Translator) -> list[Button]:
    return [Button(t("button.did_it"), f"/took_action {case.ua_number} {kind} {target_no}")]


def alternatives(case: Case, target_no: int, kind: str, t: Translator) -> str:
    target = case.targets[target_no - 1]
    others = [t(f"kind.{c}").lower() for c in target.channels() if c != kind]
    if not others:
        return ""
    listed = others[0]
    if len(others) > 1:
        listed = t("draft.or", first=", ".join(others[:-1]), last=others[-1])
    return t("draft.try", options=listed)


async def _supporter_prefs(ctx: Context) -> tuple[str | None, str | None]:
    """(language, signature); no signature where the whole chat sees the draft."""
    async with ctx.store.unit() as tx:
        who = await tx.supporter(ctx.supporter_key)
    if who is None:
        return None, None
    return who.lang, None if ctx.incoming.replies_public else who.signature


async def _draft_command(ctx: Context, kind: str) -> Reply:
    t = ctx.t
    ua, rest = ctx.split_ua()
    case = await ctx.resolve_case(ua)
    words = rest.split()
    want_pdf = kind == "letter" and bool(words) and words[-1].lower() == "pdf"
    if want_pdf:
        words = words[:-1]
    if case.status == CaseStatus.CLOSED:
        return _closed(case, t)
    if not case.targets:
        return Reply.text(t("targets.none", ua=esc(case.ua_number)))
    target_no = find_target(case, " ".join(words), t)
    if target_no == 0:
        able = [
            i
            for i, target in enumerate(case.targets, 1)
            if kind == "tweet" or kind in target.channels()
        ]
        if len(able) == 1:
            target_no = able[0]
        elif not able:
            return Reply.text(
                t("draft.no_channel", ua=esc(case.ua_number), need=t(f"need.{kind}")),
                private=True,
            )
        else:
            extra = " pdf" if want_pdf else ""
            return Reply.text(
                t(f"who.{kind}"),
                [
                    Button(
                        case.targets[i - 1].name[:40],
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
            t(
                "draft.missing",
                name=esc(e.target.name),
                need=t(f"need.{kind}"),
                alternatives=alternatives(case, target_no, kind, t),
            ),
            private=True,
        )
    heading = t(
        "draft.heading",
        kind=t(f"kind.{kind}"),
        name=esc(draft_target(case, target_no)),
        ua=esc(case.ua_number),
    )
    lines = [heading]
    warned = await warning_lines(ctx.store, case, t, target_no=target_no, channel=kind)
    lines += [f"_{w}_" for w in warned]
    if lang and language(lang).code != lang.lower()[:2]:
        lines.append(t("draft.no_template", lang=esc(lang)))
    note = await ctx.english_note(case)
    if note:
        lines.append(f"_{note}_")
    lines += RENDER[kind](case, target_no, draft, t)
    if not signature:
        lines.append(t("draft.sign_hint"))
    buttons = did_it(case, kind, target_no, t)
    closed_now = draft.local_time is not None and not phones.in_office_hours(draft.local_time)
    if kind == "call" and closed_now and not ctx.incoming.replies_public:
        buttons.append(Button(t("callback.offer"), f"/remind_call {case.ua_number} {target_no}"))
    if want_pdf:
        target = case.targets[target_no - 1]
        pdf = letter_pdf(draft, address_block(target), rtl=language(draft.lang).rtl)
        doc = Document(
            filename=f"letter-{case.ua_number.replace('/', '-')}-{target_no}.pdf",
            data=pdf,
            mime="application/pdf",
            caption=t("draft.pdf_caption", name=target.name, ua=case.ua_number),
        )
        text = heading + "\n" + t("draft.print")
        if postage_note(target):
            text += "\n" + t("draft.postage")
        return Reply([Text(text), doc, Buttons.of(buttons)], private=True)
    return Reply([Text("\n".join(lines)), Buttons.of(buttons)], private=True)


def draft_target(case: Case, target_no: int) -> str:
    return case.targets[target_no - 1].name


def _block(text: str) -> list[str]:
    return ["", esc(text), ""]


def _letter(case: Case, target_no: int, d: Draft, t: Translator) -> list[str]:
    lines = _block(d.text)
    lines.append(t("draft.pdf_hint", ua=esc(case.ua_number), target=target_no))
    if postage_note(case.targets[target_no - 1]):
        lines.append(t("draft.postage"))
    return lines


def _email(case: Case, target_no: int, d: Draft, t: Translator) -> list[str]:
    target = case.targets[target_no - 1]
    lines = [t("draft.to", email=esc(target.emails[0]))]
    if target.emails[1:]:
        lines.append(t("draft.cc", emails=esc(", ".join(target.emails[1:]))))
    lines.append(t("draft.subject", subject=esc(d.subject)))
    lines += _block(d.text)
    if d.link:
        lines.append(link(t("draft.open_email"), d.link))
    else:
        lines.append(t("draft.too_long"))
    return lines


def _call(case: Case, target_no: int, d: Draft, t: Translator) -> list[str]:
    lines = [t("draft.number", number=link(d.number, d.link))]
    if d.local_time is not None:
        zone = getattr(d.local_time.tzinfo, "key", "")
        where = t("draft.in_place", place=esc(d.place)) if d.place else t("draft.there")
        day, time = t(f"weekday.{WEEKDAYS[d.local_time.weekday()]}"), f"{d.local_time:%H:%M}"
        lines.append(t("draft.local_time", where=where, time=f"{time}, {day}", zone=esc(zone)))
        if not phones.in_office_hours(d.local_time):
            lines.append(_off_hours(case.targets[target_no - 1], time, day, t))
    return lines + _block(d.text)


def _off_hours(target: Target, time: str, day: str, t: Translator) -> str:
    """The drafting module's office-hours warning, in the supporter's language."""
    alt = [t(f"kind.{w}").lower() for w in ("email", "fax") if w in target.channels()]
    if len(alt) > 1:
        alt = [t("draft.or", first=alt[0], last=alt[1])]
    instead = " " + t("draft.instead", options=alt[0]) if alt else ""
    return "_" + t("draft.off_hours", time=time, day=day) + instead + "_"


def _tweet(case: Case, target_no: int, d: Draft, t: Translator) -> list[str]:
    lines = _block(d.text)
    lines.append(t("draft.tweet_length", length=weighted_length(d.text), limit=LIMIT))
    lines.append(link(t("draft.post_on_x"), d.link))
    return lines


def _fax(case: Case, target_no: int, d: Draft, t: Translator) -> list[str]:
    return [t("draft.fax_number", number=esc(d.number)), *_block(d.text)]


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
    "sign",
    "Your name and city at the end of drafts (/sign off removes it)",
    args="NAME, CITY",
    personal=True,
    private_chat=True,
)
async def sign(ctx: Context) -> Reply:
    t = ctx.t
    text = " ".join(ctx.args.split())
    if not text:
        _, signature = await _supporter_prefs(ctx)
        now = t("sign.signed", signature=esc(signature)) if signature else ""
        return Reply.text(t("sign.how", now=now), private=True)
    if text.lower() == "off":
        async with ctx.unit() as tx:
            if await tx.supporter(ctx.supporter_key) is not None:
                await tx.set_supporter_fields(ctx.supporter_key, signature=None)
        return Reply.text(t("sign.off"), private=True)
    if len(text) > SIGNATURE_MAX:
        raise UserError(t("sign.too_long", max=SIGNATURE_MAX))
    async with ctx.unit() as tx:
        await tx.set_supporter_fields(ctx.supporter_key, signature=text)
    return Reply.text(t("sign.done", signature=esc(text)), private=True)


async def _case_languages(ctx: Context, ua: str | None) -> list[str]:
    try:
        case = await ctx.resolve_case(ua)
    except UserError:
        return []
    codes = [LANGUAGE_CODES.get(n.strip().lower(), "") for n in case.languages]
    return [c for c in codes if c]


# Each language by its own name, for the /lang buttons: a reader finds theirs at a glance.
ENDONYMS = {
    "ar": "العربية",
    "de": "Deutsch",
    "fr": "Français",
    "ja": "日本語",
    "ko": "한국어",
    "pt": "Português",
    "ru": "Русский",
    "zh": "中文",
}


def own_name(code: str) -> str:
    """``English``, ``Español``, ``Français``; the code when no name is known."""
    known = LANGUAGES.get(code)
    return known.name if known else ENDONYMS.get(code, code)


def language_name(t: Translator, code: str) -> str:
    """``Spanish`` in English, ``español`` in Spanish; the code when no name is known."""
    known = LANGUAGES.get(code)
    return t.get(f"language.{code}", known.name if known else code)


@command("lang", "The language of the bot's messages and of your drafts", args="[code]")
async def lang(ctx: Context) -> Reply:
    t = ctx.t
    ua, rest = ctx.split_ua()
    code = rest.strip().lower()
    offered = list(LANGUAGES)  # then any language an organiser wrote texts for, then the case's
    offered += sorted(c for c in ctx.core.texts if c not in offered and len(c) <= 8)
    offered += [c for c in await _case_languages(ctx, ua) if c not in offered]
    if not code:
        current, _ = await _supporter_prefs(ctx)
        return Reply.text(
            t("lang.current", name=esc(language_name(t, current or "en"))),
            [Button(own_name(c), f"/lang {c}") for c in offered[:8]],
            private=True,
        )
    if code not in offered and code not in LANGUAGE_CODES.values():
        raise UserError(t("lang.unknown", code=esc(code[:20]), codes=esc(", ".join(offered))))
    async with ctx.unit() as tx:
        await tx.set_supporter_fields(ctx.supporter_key, lang=code)
    ctx.core.langs.note(ctx.supporter_key, code)
    t = ctx.core.translator(code)  # the answer is in the new language already
    if code in LANGUAGES:
        return Reply.text(t("lang.set", name=esc(language_name(t, code))), private=True)
    return Reply.text(t("lang.no_template", code=esc(code)), private=True)
