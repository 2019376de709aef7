"""The API pod's edge: an async front (aiohttp) that owns the APIService port.

ks-apiserver ─► edge (TLS, this package) ─► gunicorn + Flask on 127.0.0.1:8081 (unchanged)
                   └─ ``P/chat/completions`` ─► the model gateway (as ``user:<name>``)

Why an edge: gunicorn's gthread workers give each connection a thread while its body is read,
so ten clients sending one byte every two seconds held every thread and ``/healthz`` waited 30 s
(issue 15). The edge reads each body completely, within a limit and a deadline, on one event loop
before anything reaches gunicorn; a chat stream is a coroutine here, not a worker thread.

Modules: ``config`` (settings), ``errors`` (the JSON envelope of ``api/errors.py``, in aiohttp),
``identity`` (who calls: ``X-Remote-User``, checked against ks-apiserver where it matters),
``proxy`` (body buffering and the forward to gunicorn), ``chat`` (the chat route), ``app``
(wiring and serving), ``cli`` (``deepseek-ext edge``). docs/security.md says what is verified and why.
"""
