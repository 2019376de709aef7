"""The model manager: keeps the configured models present (and the default one loaded) on every ollama pod.

``plan``, ``progress``, ``offline``, ``failures``, ``names`` and ``desired`` are pure (no I/O);
``store`` and ``run`` do the I/O through ``deepseek_ext.adapters``. See docs/models.md.
"""
