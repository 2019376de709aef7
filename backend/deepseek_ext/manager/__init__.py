"""The model manager: keeps the configured models present (and the default one loaded) on every ollama pod.

``plan``, ``progress``, ``offline``, ``failures`` and ``desired`` are pure (no I/O); ``run`` and
``sources`` do the I/O through ``deepseek_ext.adapters`` (the state store the API shares is
``adapters.state_store``). Words come from ``core`` (``ManagerPhase``, ``ModelRecord``,
``ObjectNames``, ``FailureCode``), sentences from the message catalog. See docs/models.md.
"""
