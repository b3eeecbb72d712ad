"""Slack organiser scope (issue 17): a workspace admin's rights end at their workspace, and
with UA_BOT_SLACK_TEAMS only the listed workspaces can install the app."""

from __future__ import annotations

from case_store.outbox_tables import outbox
from tests.broadcasting import count_rows
from tests.test_slack_e2e import slack_app
from tests.test_slack_oauth import install, oauth_app, teams_installed
from ua_bot.model import CaseStatus


async def test_only_listed_workspaces_can_install_the_app(core, settings, store):
    settings.ua_bot_slack_teams = "T1"
    async with oauth_app(core, settings, store) as (api, slack, base):
        refused = await install(slack.http, base, api, "T2")
        assert refused.status_code == 403 and "cannot be installed" in refused.text
        assert (await install(slack.http, base, api, "T1")).status_code == 200
    assert await teams_installed(store) == ["T1"]


async def test_without_a_list_any_workspace_installs(core, settings, store):
    async with oauth_app(core, settings, store) as (api, slack, base):
        assert (await install(slack.http, base, api, "T2")).status_code == 200
    assert await teams_installed(store) == ["T2"]


async def test_a_workspace_admin_cannot_touch_cases_or_other_platforms(
    core, settings, store, sample
):
    settings.ua_bot_workspace_admins_are_organisers = True
    async with store.unit() as tx:
        await tx.subscribe(core.hasher.supporter("telegram:1"), "telegram:1", None)
    async with slack_app(core, settings, store) as (api, slack):
        api.admins.add("U_OWNER")
        lines = [
            "/close 253/17 taken over",
            "/broadcast 253/17 new",
            "/audit",
            "/drafts",
            "/update 253/17 released: not true",
            "/export all",
            "/goal 253/17 5",
        ]
        for n, line in enumerate(lines, 1):
            await slack.command(line, team="T9", user="U_OWNER", channel="C9")
            answer = (await api.wait_sent(n))[-1]
            assert "organisers only" in answer.text, line
        await slack.command("/ua broadcast-here", team="T9", user="U_OWNER", channel="C9")
        ok = (await api.wait_sent(len(lines) + 1))[-1]
        assert "will receive" in ok.text
    assert await count_rows(store, outbox) == 0
    case = await core.cases.get("253/17")
    assert case.status == CaseStatus.PUBLISHED and not case.outcome
    async with store.unit() as tx:
        assert await tx.broadcast_channels() == ["slack:T9:C9"]


async def test_a_workspace_admin_sees_only_their_workspaces_figures_under_the_small_rule(
    core, settings, store, sample
):
    """Five actions from T1, four from T2: 5 is shown, 4 is "<5" (the boundary of the
    small-number rule), in the overview's workspace share and in the case's figures."""
    settings.ua_bot_workspace_admins_are_organisers = True
    settings.ua_bot_organisers = "slack:T2:U_ORG"
    settings.__dict__.pop("organisers", None)
    async with slack_app(core, settings, store) as (api, slack):
        api.admins.add("U_OWNER")
        for n, team in enumerate(["T1"] * 5 + ["T2"] * 4):
            await slack.command("/took_action 253/17 email", team=team, user=f"U{n}")
        await api.wait_sent(9)
        asks = [
            ("/stats", "T2", "U_OWNER"),
            ("/stats", "T1", "U_OWNER"),
            ("/stats 253/17", "T1", "U_OWNER"),
            ("/stats 253/17", "T2", "U_OWNER"),
            ("/stats", "T2", "U_ORG"),
        ]
        got = []
        for n, (line, team, user) in enumerate(asks, 10):
            await slack.command(line, team=team, user=user, channel="C1")
            got.append((await api.wait_sent(n))[-1].text)
    t2_overview, t1_overview, t1_detail, t2_detail, organiser_overview = got
    assert t2_overview.endswith("actions from this workspace: &lt;5")
    assert t1_overview.endswith("actions from this workspace: 5")
    for text in (t2_overview, t1_overview, t1_detail, t2_detail):
        assert "supporter" not in text.lower() and "9" not in text  # no deployment figures
    assert "Actions from this workspace: 5" in t1_detail and "Email: 5" in t1_detail
    assert "Actions from this workspace: &lt;5" in t2_detail and "Email: &lt;5" in t2_detail
    assert "9 actions by 9 supporters (this workspace: &lt;5)" in organiser_overview


async def test_at_debug_no_log_line_holds_what_supporters_wrote(db_url, settings, sample):
    """slack-sdk (message bodies) and aiosqlite (statement parameters) log at DEBUG."""
    import logging

    from case_store import Store
    from tests.conftest import SECRET
    from tests.hostile import captured_logs
    from ua_bot.core import Core
    from ua_bot.handlers import command_table
    from ua_bot.identity import Hasher

    with captured_logs(logging.DEBUG) as logs:  # as UA_BOT_LOG_LEVEL=DEBUG, set first
        store = Store.from_url(db_url)
        core = Core(store, settings, Hasher(SECRET), command_table())
        async with slack_app(core, settings, store) as (api, slack):
            await slack.command("/sign Ann Lee, Leeds", user="U5", channel="D5")
            await slack.command("/my_data", user="U5", channel="D5")
            answers = await api.wait_sent(2)
        await store.close()
    assert "Ann Lee" in answers[-1].text  # it was said, to the supporter
    assert "Ann Lee" not in logs.getvalue()


async def test_oauth_bot_tokens_are_encrypted_in_the_database(core, settings, store, sample):
    from tests.hostile import as_text, dump_tables

    async with oauth_app(core, settings, store) as (api, slack, base):
        assert (await install(slack.http, base, api, "T1")).status_code == 200
        await slack.command("/case", team="T1", channel="C1")
        (card,) = await api.wait_sent(1)
    assert card.token == "xoxb-T1-installed"  # read back and used
    tables = await dump_tables(store)
    assert tables["slack_bots"] and "xoxb-" not in as_text(tables)

    from adapters.slack.sender import SlackSender

    sender = SlackSender(settings, engine=store.engine)  # the worker reads it too
    assert await sender.bot_token("T1") == "xoxb-T1-installed"
    await sender.close()
