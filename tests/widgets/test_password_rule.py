"""The password rule and its checker widget: right verdicts, and the password never echoed."""

import pytest

from imgur_kit.steps.password_rule import RULE_LENGTH, RULE_LETTER, RULE_NUMBER, password_problems, password_verdict


@pytest.mark.parametrize(
    "password, unmet",
    [
        ("", [RULE_LENGTH, RULE_LETTER, RULE_NUMBER]),
        ("abc1", [RULE_LENGTH]),
        ("abcdef", [RULE_NUMBER]),
        ("123456", [RULE_LETTER]),
        ("abc123", []),
        ("Zürich9", []),  # a non-ASCII letter is still a letter
        ("abcde²", [RULE_NUMBER]),  # a superscript is not a number key
        (None, [RULE_LENGTH, RULE_LETTER, RULE_NUMBER]),
    ],
)
def test_password_problems_names_the_unmet_rules(password, unmet):
    assert password_problems(password) == unmet


def test_verdict_never_repeats_the_password():
    for pw in ("hunter", "s3cretpass", "x1"):
        assert pw not in password_verdict(pw)
    assert password_verdict("12") == "This password still needs at least 6 characters and at least one letter."


def test_checker_widget_says_live_and_hides_the_password():
    from imgur_kit.widgets import password_checker

    checker = password_checker()
    assert checker.password.description == "Password to check:"
    assert "Type a password" in checker.verdict.value
    checker.password.value = "abc"
    assert "still needs" in checker.verdict.value and "Problem" in checker.verdict.value
    checker.password.value = "abc123"
    assert "meets Imgur's rule" in checker.verdict.value
    assert "abc123" not in checker.verdict.value
    assert "abc123" not in repr(checker)
    checker.clear()
    assert checker.password.value == ""
