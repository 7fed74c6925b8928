"""The rate-limit meter and the status report."""

import re
from html import unescape

from imgur_kit.preflight import PROBLEM, UNKNOWN, Finding


def test_meter_follows_the_clients_limits(session, sandbox):
    from imgur_kit.widgets import rate_limit_meter

    client = session.client
    meter = rate_limit_meter(client)
    client.credits()
    meter.update()
    assert meter.summary.value
    assert meter.client_bar.max > 1 and 0 < meter.client_bar.value <= meter.client_bar.max
    assert meter.client_bar.description == "Application requests left today:"
    sandbox.set_credits(client_remaining=5)
    client.credits()
    meter.update()
    assert meter.client_bar.value <= 5
    assert meter.client_bar.bar_style == "danger"


def test_status_panel_marks_each_finding():
    from imgur_kit.widgets import status_panel

    findings = [
        Finding("API host", "ok", "reachable."),
        Finding("Registration", PROBLEM, "the form redirects away.", "Use an existing Client ID."),
        Finding("Token", UNKNOWN, "no token to check."),
    ]
    report = status_panel(findings)
    # What a reader sees, item by item: the mark and the status in words (not only a colour),
    # the check's name, what it found, and the advice under the finding it belongs to.
    items = [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", report.report.value)
    ]
    assert items == [
        "\u2714 ok API host : reachable.",
        "\u2718 problem Registration : the form redirects away. Use an existing Client ID.",
        "? unknown Token : no token to check.",
    ]
    report.show([])
    assert "No checks were run" in report.report.value
