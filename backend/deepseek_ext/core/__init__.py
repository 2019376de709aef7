"""The pure core: catalog, sizing, config resolution, validation and status rules.

Everything in this package is purely computational: no file, network or Kubernetes I/O, and no
imports of flask, requests or kubernetes (a test imports it with those blocked). Callers load
data at the edge (``deepseek_ext.adapters``) and pass it in.
"""
