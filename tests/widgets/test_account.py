"""The account checklist: the seed's steps, progress kept in a 0600 file in the config folder."""

import json
import stat

from imgur_kit.steps.account import STEPS, ProgressStore, needed_steps, print_account_steps, progress_line

FILE_NAME = ProgressStore.FILE_NAME


def test_steps_follow_the_mobile_app_route():
    texts = " ".join(step.text for step in STEPS)
    for phrase in (
        "Continue with Google",
        "username",
        "settings",
        "Edit profile",
        "Forgot Password",
        "e-mail",
        "at least 6 characters",
        "one letter and one number",
        "Sign in on the Imgur website",
        "Registered an application",
    ):
        assert phrase in texts, phrase
    assert len({step.key for step in STEPS}) == len(STEPS)


def test_the_web_and_app_routes_are_alternatives():
    everything = len(STEPS)
    assert len(needed_steps(set())) == everything
    web_only = needed_steps({"web-signup", "web-done"})
    assert all("app-" not in step.key for step in web_only)
    app_only = needed_steps({"app-web-signin"})
    assert all(not step.key.startswith("web-") for step in app_only)
    assert progress_line({"web-signup", "web-done"}).startswith("2 of 5 steps done; next: Registered")
    assert progress_line(
        {"web-signup", "web-done", "register-app", "got-credentials", "stored-credentials"}
    ).startswith("All 5 steps done")


def test_print_account_steps(capsys):
    print_account_steps({"web-signup"})
    out = capsys.readouterr().out
    assert "[x] Open imgur.com" in out and "[ ] Install the Imgur app" in out


def test_progress_file_is_private_and_forgiving(isolated_environment):
    store = ProgressStore()
    assert store.path == isolated_environment / FILE_NAME
    assert store.load() == set()
    path = store.save({"web-signup", "app-install"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text()) == {"done": ["app-install", "web-signup"]}
    assert store.load() == {"web-signup", "app-install"}
    path.write_text("{not json")
    assert store.load() == set()  # losing progress never stops anyone


def test_checklist_remembers_ticks_across_widgets(isolated_environment):
    from imgur_kit.widgets import account_checklist

    first = account_checklist()
    assert not any(box.value for box in first.checkboxes.values())
    assert first.checkboxes["app-google"].description.startswith('In the app, choose "Continue with Google"')
    first.checkboxes["web-signup"].value = True
    first.checkboxes["web-done"].value = True
    assert "Progress saved in" in first.message.value
    assert "2 of 5 steps done" in first.progress.value
    saved = isolated_environment / FILE_NAME
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    again = account_checklist()
    assert again.done == {"web-signup", "web-done"}
    assert again.checkboxes["web-done"].value is True


def test_checklist_says_when_progress_cannot_be_saved(tmp_path):
    from imgur_kit.widgets import account_checklist

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    checklist = account_checklist(store_dir=blocker / "inside")
    checklist.checkboxes["web-signup"].value = True
    assert "Problem: Your progress could not be saved" in checklist.message.value
    assert "Traceback" not in checklist.message.value
