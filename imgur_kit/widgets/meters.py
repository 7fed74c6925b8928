"""Read-outs: the rate-limit meter and the live status report."""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as widgets

from imgur_kit.client import ImgurClient
from imgur_kit.preflight import Finding
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, note_html


class RateLimitMeter(PlainRepr, widgets.VBox):
    """What the last response said about the rate limits. Parts: ``summary`` (HTML),
    ``client_bar`` and ``user_bar`` (IntProgress, requests remaining). Call :meth:`update`
    after a request to show the latest ``client.rate_limits``; it makes no request itself."""

    _title = "the rate-limit meter, showing the requests left"
    _alternative = "client.rate_limits.summary()"

    def __init__(self, client: ImgurClient):
        self.client = client
        self.summary = widgets.HTML()
        self.client_bar = widgets.IntProgress(
            description="Application requests left today:", min=0, max=1, value=0, style=LABEL_STYLE, bar_style="info"
        )
        self.user_bar = widgets.IntProgress(
            description="Your requests left this hour:", min=0, max=1, value=0, style=LABEL_STYLE, bar_style="info"
        )
        super().__init__(children=[self.summary, self.client_bar, self.user_bar])
        self.update()

    @staticmethod
    def _fill(bar, remaining, limit) -> None:
        if remaining is None or limit is None:
            bar.max, bar.value = 1, 0
            bar.bar_style = ""
            return
        bar.max = max(int(limit), 1)
        bar.value = max(0, min(int(remaining), bar.max))
        # Colour says "running low" to those who see it; the summary says it in words.
        bar.bar_style = "danger" if bar.value < bar.max * 0.1 else "warning" if bar.value < bar.max * 0.3 else "info"

    def update(self) -> None:
        """Show the latest limits the client has seen (before any call, the summary says none are known)."""
        limits = self.client.rate_limits
        self.summary.value = note_html(limits.summary())
        self._fill(self.client_bar, limits.client_remaining, limits.client_limit)
        self._fill(self.user_bar, limits.user_remaining, limits.user_limit)


def rate_limit_meter(client: ImgurClient) -> RateLimitMeter:
    """A meter of the client's remaining requests, updated with ``.update()``.

    No widgets? ``print(client.rate_limits.summary())``.
    """
    return RateLimitMeter(client)


_MARKS = {
    "ok": ("&#10004;", "ok", "#1b5e20"),
    "problem": ("&#10008;", "problem", "#b00020"),
    "unknown": ("?", "unknown", "#6d4c41"),
}


def findings_html(findings: Iterable[Finding]) -> str:
    """The findings as an HTML list: mark, status in words, name, summary and advice."""
    items = []
    for finding in findings:
        symbol, word, colour = _MARKS.get(finding.status, ("?", str(finding.status), "#6d4c41"))
        advice = f"<br><i>{html.escape(finding.advice)}</i>" if finding.advice else ""
        items.append(
            f'<li><span style="color:{colour}">{symbol} {word}</span> '
            f"<b>{html.escape(finding.name)}</b>: {html.escape(finding.summary)}{advice}</li>"
        )
    if not items:
        return note_html("No checks were run.")
    return '<ul class="imgur-kit-status">' + "".join(items) + "</ul>"


class StatusPanel(PlainRepr, widgets.VBox):
    """Preflight findings as a list with ok / problem / unknown marks and advice.
    Parts: ``report`` (HTML), ``findings`` (the list shown); :meth:`show` replaces them."""

    _title = "the status report, one line per check"
    _alternative = "imgur_kit.preflight.summarize(findings)"

    def __init__(self, findings: Iterable[Finding]):
        self.report = widgets.HTML()
        self.findings: list[Finding] = []
        super().__init__(children=[self.report])
        self.show(findings)

    def show(self, findings: Iterable[Finding]) -> None:
        """Render a new list of findings."""
        self.findings = list(findings)
        self.report.value = findings_html(self.findings)


def status_panel(findings: Iterable[Finding]) -> StatusPanel:
    """Render :func:`imgur_kit.preflight.run_all` findings.

    No widgets? ``print(imgur_kit.preflight.summarize(findings))``.
    """
    return StatusPanel(findings)
