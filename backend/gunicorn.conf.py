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
# gunicorn >= 25.1 opens a control socket for `gunicornc` under $XDG_RUNTIME_DIR or $HOME/.gunicorn
# (gunicorn/config.py ControlSocket); on the image's read-only root it logs "Control server error: [Errno 30]
# Read-only file system" at every start. Nothing here uses gunicornc, and a socket that can resize or stop the
# workers is one more thing to guard: off.
control_socket_disable = True


# prometheus-client multiprocess mode (the chart sets PROMETHEUS_MULTIPROC_DIR=/tmp/metrics): the
# directory must exist and be empty before workers start, and a dead worker's live gauges go.
def on_starting(server):
    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if metrics_dir:
        os.makedirs(metrics_dir, exist_ok=True)
        for name in os.listdir(metrics_dir):
            if name.endswith(".db"):
                os.remove(os.path.join(metrics_dir, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
