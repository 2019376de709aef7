"""gunicorn settings shared by `make run`, the container image and the benchmarks.

gthread keeps connections alive and lets one worker serve several polling console tabs while
another waits on the Kubernetes API; shared caches live per worker process.
"""

import os

bind = os.environ.get("DEEPSEEK_BIND", "0.0.0.0:8080")
worker_class = "gthread"
workers = int(os.environ.get("DEEPSEEK_WORKERS", "2"))
threads = int(os.environ.get("DEEPSEEK_THREADS", "4"))
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("DEEPSEEK_LOG_LEVEL", "info")
# Never log request headers: they carry the user's bearer token.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms user=%({x-remote-user}i)s'
