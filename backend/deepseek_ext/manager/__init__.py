"""The model manager: keeps the configured models present (and the default one loaded) on every ollama pod.

``plan``, ``progress``, ``offline``, ``failures``, ``names`` and ``desired`` are pure (no I/O);
``run`` does the I/O through ``deepseek_ext.adapters`` (the state store it shares with the API
is ``adapters.state_store``). See docs/models.md.
"""
