"""Widgets for getting an Imgur account: the progress checklist and the password checker."""

from __future__ import annotations

import html

import ipywidgets as widgets

from imgur_kit.credentials import display_path
from imgur_kit.steps.account import STEPS, ProgressStore, progress_line
from imgur_kit.steps.explaining import explain
from imgur_kit.steps.password_rule import RULE_TEXT, password_problems, password_verdict
from imgur_kit.widgets.phrasing import LABEL_STYLE, PlainRepr, note_html, ok_html, problem_html

# Labels must show in full: the browser tests find inputs by their label.
WIDE = widgets.Layout(width="auto")


class AccountChecklist(PlainRepr, widgets.VBox):
    """The account steps as checkboxes; every tick is saved at once.

    Parts: ``checkboxes`` (step key -> Checkbox), ``progress`` (HTML line),
    ``message`` (HTML, where saving problems show), ``store`` (ProgressStore).
    """

    _title = "the account checklist, ticking off the sign-up steps as you do them"
    _alternative = "imgur_kit.steps.account.print_account_steps()"

    def __init__(self, store: ProgressStore):
        self.store = store
        done = store.load()
        self.checkboxes = {}
        children = []
        group = None
        for step in STEPS:
            if step.group != group:
                group = step.group
                children.append(widgets.HTML(f"<b>{html.escape(group)}</b>"))
            box = widgets.Checkbox(
                value=step.key in done, description=step.text, indent=False, style=LABEL_STYLE, layout=WIDE
            )
            box.observe(self._on_tick, names="value")
            self.checkboxes[step.key] = box
            children.append(box)
        self.progress = widgets.HTML(note_html(progress_line(done)))
        self.message = widgets.HTML("")
        super().__init__(children=[*children, self.progress, self.message])

    @property
    def done(self) -> set[str]:
        """The keys of the ticked steps."""
        return {key for key, box in self.checkboxes.items() if box.value}

    def _on_tick(self, change) -> None:
        done = self.done
        self.progress.value = note_html(progress_line(done))
        try:
            path = self.store.save(done)
        except Exception as exc:  # noqa: BLE001 - a sentence, never a traceback
            self.message.value = problem_html("Your progress could not be saved: " + explain(exc))
        else:
            self.message.value = note_html(f"Progress saved in {display_path(path)}.")


def account_checklist(store_dir=None) -> AccountChecklist:
    """The account checklist; progress is kept in *store_dir* (default: the kit's config folder).

    No widgets? ``imgur_kit.steps.account.print_account_steps()`` prints the same steps.
    """
    return AccountChecklist(ProgressStore(store_dir))


class PasswordChecker(PlainRepr, widgets.VBox):
    """A Password field and a live verdict. Parts: ``password`` (Password), ``verdict`` (HTML).

    The verdict names missing rules only; the password is never echoed anywhere.
    """

    _title = "the password checker, saying which of Imgur's password rules a password meets"
    _alternative = 'imgur_kit.steps.password_rule.password_problems("...")'

    def __init__(self):
        self.password = widgets.Password(
            description="Password to check:",
            placeholder=RULE_TEXT,
            style=LABEL_STYLE,
            layout=widgets.Layout(width="32em"),
        )
        self.verdict = widgets.HTML(note_html(password_verdict("")))
        self.password.observe(self._on_change, names="value")
        super().__init__(children=[self.password, self.verdict])

    def _on_change(self, change) -> None:
        pw = change["new"]
        if pw and not password_problems(pw):
            self.verdict.value = ok_html(password_verdict(pw))
        elif pw:
            self.verdict.value = problem_html(password_verdict(pw))
        else:
            self.verdict.value = note_html(password_verdict(pw))

    def clear(self) -> None:
        """Empty the field (e.g. before saving the notebook)."""
        self.password.value = ""


def password_checker() -> PasswordChecker:
    """A local password-rule checker (6 characters minimum, 1 letter, 1 number).

    No widgets? ``imgur_kit.steps.password_rule.password_problems("...")`` returns the unmet rules.
    """
    return PasswordChecker()
