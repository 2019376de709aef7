"""DeepSeek extension for KubeSphere: extension API, model manager and CLI.

Layout: ``core`` is pure (catalog, sizing, config resolution, validation and status rules; no I/O),
``adapters`` talk to Kubernetes and ollama, ``services`` combine the two, ``api`` translates HTTP,
``manager`` owns model downloads, ``cli`` serves pipelines.
"""

__version__ = "0.2.0"
