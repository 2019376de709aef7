"""One place that turns every error into JSON with a code: never an HTML page or a traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def error_body(status: int, code: str, message_en: str, message_zh: str, **extra):
    body = {"status": status, "code": code, "message": {"en": message_en, "zh": message_zh}}
    body.update(extra)
    return jsonify(body), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        return error_body(status, exc.name.replace(" ", ""), exc.description or exc.name, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_body(500, "InternalError", "Internal error; see the API logs.", "内部错误，请查看 API 日志。")
