"""Adapters: the only code that does I/O (Kubernetes API, ollama HTTP API, files).

Each speaks the project's own typed errors, so services and views never see a transport exception.
"""
