"""The loopback server stays quiet about clients that went away, and only about them."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler

import pytest

from tests.doubles.loopback import LoopbackServer


def _raising(error: type[Exception]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            raise error("from the handler")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _get_and_wait(server: LoopbackServer) -> None:
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(server.url + "/", timeout=5)
    time.sleep(0.2)  # handle_error runs in the server's thread after the connection closed


@pytest.mark.parametrize("error", [BrokenPipeError, ConnectionResetError])
def test_a_client_that_went_away_is_not_reported(capsys, error: type[Exception]) -> None:
    with LoopbackServer(_raising(error)) as server:
        _get_and_wait(server)
    assert "Exception occurred" not in capsys.readouterr().err


def test_any_other_handler_error_is_still_reported_with_its_traceback(capsys) -> None:
    with LoopbackServer(_raising(ValueError)) as server:
        _get_and_wait(server)
    err = capsys.readouterr().err
    assert "Exception occurred during processing of request" in err
    assert "ValueError: from the handler" in err
