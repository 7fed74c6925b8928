"""The authorization-type recommendation and its chooser widget."""

import pytest

from imgur_kit.steps.auth_types import (
    ANONYMOUS,
    POSTMAN_CALLBACK,
    WITH_CALLBACK,
    WITHOUT_CALLBACK,
    recommend_auth_type,
)


def test_local_gets_a_callback_on_the_capture_port():
    rec = recommend_auth_type("local", port=8765)
    assert rec.auth_type == "OAuth 2 authorization with a callback URL" == WITH_CALLBACK
    assert rec.callback_url == "http://localhost:8765/callback"
    assert rec.flow == "capture"


@pytest.mark.parametrize("where", ["remote", "binder", "Colab", " JupyterHub "])
def test_remote_places_paste_without_a_callback_and_say_why(where):
    rec = recommend_auth_type(where)
    assert rec.auth_type == "OAuth 2 authorization without a callback URL" == WITHOUT_CALLBACK
    assert rec.flow == "paste"
    assert "localhost" in rec.why and "paste" in rec.why


def test_postman_gets_postmans_callback():
    rec = recommend_auth_type("postman")
    assert rec.auth_type == WITH_CALLBACK
    assert rec.callback_url == POSTMAN_CALLBACK == "https://www.getpostman.com/oauth2/callback"


def test_script_gets_anonymous_usage():
    rec = recommend_auth_type("cli")
    assert rec.auth_type == "Anonymous usage without user authorization" == ANONYMOUS
    assert rec.callback_url  # the form requires one even for anonymous apps


def test_unknown_place_is_a_clear_error():
    with pytest.raises(ValueError, match="choose one of 'local', 'hub', 'remote', 'postman', 'script'"):
        recommend_auth_type("the moon")


def test_chooser_answers_with_label_and_url():
    from imgur_kit.widgets import auth_type_chooser

    chooser = auth_type_chooser(environment="binder")
    assert chooser.where.value == "remote"
    assert WITHOUT_CALLBACK in chooser.answer.value
    chooser.where.value = "postman"
    assert POSTMAN_CALLBACK in chooser.answer.value
    assert chooser.recommendation.callback_url == POSTMAN_CALLBACK
    chooser.where.value = "local"
    assert "http://localhost:8765/callback" in chooser.answer.value
    assert chooser.where.description == "Where will you run your code?"
    assert auth_type_chooser().where.value == "local"
