"""Whatever the text, the importer answers with a result and a report, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ua_bot.importer import import_bytes, import_text

PIECES = [
    "URGENT ACTION", "UA 12/13 Fear for safety",
    "UA: 9/10 Index: AMR 19/015/2010 Brazil Date: 1 May 2010",
    "FURTHER INFORMATION ON UA 41/16", "THIRD UA 41/16", "1) TAKE ACTION", "APPEALS TO:",
    "PLEASE SEND APPEALS BEFORE 14 JUNE TO:", "Contact this official by 27 December, 2017:",
    "COPIES TO:", "Salutation: Dear President", "Dear Minister,", "Yours sincerely,",
    "Fax: +86 10 6238 1025", "Phone: 1 202 495 2266 I Fax: 1 202", "Email: a@b.org OR c@d",
    "Twitter: @x", "President", "Xi Jinping", "People's Republic of China", "(Note: call)",
    "- calling for release;", "n urging them;", "ADDITIONAL INFORMATION", "Name: Group",
    "URGENT ACTION TITLE:", "URGENT ACTION LETTER:", "I urge you to release him and to stop it.",
    "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USING THIS MODEL LETTER",
    "PREFERRED LANGUAGE TO ADDRESS TARGET:", "APPEAL DEADLINE NOTICE:", "", "[bookmark: x]",
    "2) LET US KNOW YOU TOOK ACTION", "No further action is requested.", "\f", "Page 2 of 3",
]  # fmt: skip
lines = st.one_of(st.sampled_from(PIECES), st.text(max_size=80))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, max_size=40))
def test_any_text_gives_a_result(parts: list[str]) -> None:
    r = import_text("\n".join(parts))
    assert not any("importer failed" in e for e in r.report.errors), r.report.errors
    assert (r.case is None) == bool(r.report.errors)
    data = r.to_json()
    assert set(data["report"]) == {
        "found", "missing", "unused_lines", "warnings", "errors", "checks", "sources",
    }  # fmt: skip
    r.report.render()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.pdf", "a.docx", "a"]))
def test_any_bytes_give_a_result(data: bytes, name: str) -> None:
    r = import_bytes(data, name)
    assert (r.case is None) == bool(r.report.errors)
    assert all(e and "\n" not in e for e in r.report.errors)
