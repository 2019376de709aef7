"""The model gateway: the only door to ollama (``deepseek-ext gateway``).

ollama has no authentication and serves its admin API (pull, push, create, copy, delete, blobs) to
whoever reaches its port (ollama ``server/routes.go:1803-1812``). In the chart ollama listens on
loopback inside its pod and this gateway, a second container of the same pod, is what the Service
``deepseek-backend-server-service:11434`` reaches. It

* forwards only inference and read endpoints (``routes``), for configured models only;
* requires a key per application (``keys``: name -> sha256, re-read on change, constant-time compare);
* counts requests and tokens per key from ollama's own usage fields (``usage``, Prometheus);
* limits concurrent requests (and optionally tokens per minute) per key (``limits``);
* renames ollama's ``reasoning`` to DeepSeek's ``reasoning_content`` on the OpenAI-compatible
  endpoints (``reasoning``), so NextChat and DeepSeek clients show R1's thinking;
* streams chunk by chunk and cancels the upstream request when the client goes away (``app``).

A second listener (``admin``) forwards everything, for the model manager and the API only, with a
key of their own.

Stack: aiohttp. One well-kept library gives both the server and a streaming client with connection
pooling, per-chunk reads and cancellation on disconnect (``handler_cancellation``); it is already in
the image's dependency tree, and it needs no ASGI server (Starlette would need uvicorn and httpx).
"""
