"""The API as shipped, against the doubles: shared by the API, fault, hostile and browser suites and
by the benchmarks (bench/ imports this module; tests never import bench/).

``Stack`` renders the packaged chart, seeds the loopback Kubernetes double (tests/doubles/kube.py)
with the rendered objects plus a running install (ready pods, a node, a default StorageClass, a
bound PVC), starts ``N`` loopback ollama doubles (tests/doubles/ollama.py) that the seeded pods
point at, and starts gunicorn exactly as the chart's API Deployment does: the same command
(``gunicorn --config gunicorn.conf.py deepseek_ext.api:create_app()``), the same environment
(read from the rendered Deployment, with file paths re-pointed at local copies of the rendered
``deepseek-serving`` ConfigMap) and therefore the same worker settings.

Why pods on 127.0.1.x: the API finds ollama through the pods' IPs and the ``ollamaPort`` of the
serving config, as in a cluster. All of 127.0.0.0/8 is loopback on Linux, so every fake pod gets
its own address and its own double on the same port, and nothing leaves the machine.

"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.doubles.kube import KubeDouble
from tests.doubles.ollama import OllamaDouble
from tests.helmtools import NAMESPACE, ROOT, find, one, package_chart, render

PREFIX = "/kapis/deepseek.kubesphere.io/v1alpha1"
VENV_BIN = Path(sys.executable).parent
GUNICORN = VENV_BIN / "gunicorn"
POD_NET = "127.0.1."
"""Fake pod IPs: 127.0.1.1 ... 127.0.1.N (N <= 250)."""


# ----- chart -----------------------------------------------------------------------------------
@cache
def packaged_chart() -> Path:
    """The extension packaged once per process, exactly as ``make package`` builds it."""
    return package_chart(Path(tempfile.mkdtemp(prefix="deepseek-bench-dist-")))


def rendered(set_values: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    return render(packaged_chart(), set_values=dict(set_values or {}))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


# ----- a running install, as the Kubernetes API would show it ---------------------------------
def _ready_pod(deployment: Mapping[str, Any], index: int, ip: str, node: str) -> dict[str, Any]:
    """A Running, Ready pod of ``deployment`` (its template's labels and spec), as kubelet reports it."""
    template = copy.deepcopy(deployment["spec"]["template"])
    name = f"{deployment['metadata']['name']}-6d4cf56db6-{index:05d}"
    now = "2026-01-01T00:00:00Z"
    spec = template["spec"]
    spec["nodeName"] = node
    statuses = [
        {"name": c["name"], "ready": True, "restartCount": 0, "image": c["image"], "imageID": "",
         "started": True, "state": {"running": {"startedAt": now}}}
        for c in spec.get("containers", [])
    ]
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": template["metadata"].get("labels", {}),
                     "annotations": template["metadata"].get("annotations", {}),
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                          "name": f"{deployment['metadata']['name']}-6d4cf56db6",
                                          "uid": "00000000-0000-0000-0000-000000000001",
                                          "controller": True}]},
        "spec": spec,
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}], "hostIP": "10.0.0.10",
                   "startTime": now, "qosClass": "Burstable",
                   "conditions": [{"type": t, "status": "True", "lastTransitionTime": now}
                                  for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
                   "containerStatuses": statuses},
    }


def installed_objects(objects: Iterable[Mapping[str, Any]], *, ollama_ips: list[str],
                      node: str = "node-1") -> list[dict[str, Any]]:
    """The rendered chart plus what a healthy cluster adds: pods, Deployment status, node, PVC bound."""
    out = [copy.deepcopy(dict(o)) for o in objects]
    serving = json.loads(one(out, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    for dep in find(out, "Deployment"):
        name = dep["metadata"]["name"]
        ips = ollama_ips if name == serving["ollamaDeployment"] else [f"127.0.2.{len(out) % 200 + 1}"]
        for i, ip in enumerate(ips):
            out.append(_ready_pod(dep, i, ip, node))
        n = len(ips)
        dep["status"] = {"observedGeneration": 1, "replicas": n, "readyReplicas": n, "availableReplicas": n,
                         "updatedReplicas": n,
                         "conditions": [{"type": "Available", "status": "True",
                                         "reason": "MinimumReplicasAvailable"}]}
        if name == serving["ollamaDeployment"]:
            dep["spec"]["replicas"] = n
    for pvc in find(out, "PersistentVolumeClaim"):
        pvc["spec"].setdefault("storageClassName", "standard")
        pvc["spec"]["volumeName"] = "pvc-0001"
        pvc["status"] = {"phase": "Bound", "accessModes": pvc["spec"].get("accessModes", ["ReadWriteOnce"]),
                         "capacity": {"storage": pvc["spec"]["resources"]["requests"]["storage"]}}
    out.append({
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard",
                     "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate",
    })
    out.append({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": node, "labels": {"kubernetes.io/hostname": node, "kubernetes.io/os": "linux",
                                              "kubernetes.io/arch": "amd64"}},
        "spec": {},
        "status": {"capacity": {"cpu": "32", "memory": "131072Mi", "pods": "250"},
                   "allocatable": {"cpu": "31500m", "memory": "130000Mi", "pods": "250"},
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "nodeInfo": {"kubeletVersion": "v1.32.4", "architecture": "amd64",
                                "operatingSystem": "linux"}},
    })
    return out


class OllamaFleet:
    """``n`` ollama doubles, one per fake pod IP, all on the same port (the serving config's ollamaPort)."""

    def __init__(self, n: int, *, models: Iterable[str], loaded: bool = True, port: int | None = None,
                 **knobs: Any) -> None:
        if not 1 <= n <= 250:
            raise ValueError(f"ollama pods: {n} given, 1-250 allowed (one loopback address each)")
        self.ips = [f"{POD_NET}{i + 1}" for i in range(n)]
        self.port = port or free_port(self.ips[0])
        self.models = list(models)
        self._knobs, self._loaded = knobs, loaded
        self.doubles = [OllamaDouble(host=ip, port=self.port, local=tuple(self.models), **knobs)
                        for ip in self.ips]
        if loaded:
            for d in self.doubles:
                for m in self.models:
                    d.loaded[m] = None  # loaded with keep_alive -1, as the manager leaves it

    def start(self) -> OllamaFleet:
        for d in self.doubles:
            # The doubles' own start() polls for shutdown every 50 ms; a hundred of them would spend
            # the benchmark machine's CPU on wake-ups. Half a second only slows down stop().
            d.start(poll_interval=0.5)
        self.running = True
        return self

    def stop(self) -> None:
        """Stop every double (idempotent): their ports then refuse connections, like a dead pod."""
        if getattr(self, "running", False):
            for d in self.doubles:
                d.stop()
        self.running = False

    def restart(self) -> OllamaFleet:
        """Fresh doubles on the same addresses (a pod that came back), models on disk and loaded again."""
        self.stop()
        knobs = self._knobs
        self.doubles = [OllamaDouble(host=ip, port=self.port, local=tuple(self.models), **knobs)
                        for ip in self.ips]
        if self._loaded:
            for d in self.doubles:
                for m in self.models:
                    d.loaded[m] = None
        return self.start()

    def configure(self, **knobs: Any) -> None:
        for d in self.doubles:
            d.configure(**knobs)

    def requests(self) -> int:
        """Requests the API made to ollama (all doubles; the doubles' own admin paths excluded)."""
        return sum(n for d in self.doubles for k, n in d.stats.requests.items() if "/_double" not in k)

    def reset_stats(self) -> None:
        for d in self.doubles:
            d.stats.requests.clear()


# ----- the API as shipped ----------------------------------------------------------------------
def _deployment_env(objects: list[dict[str, Any]]) -> dict[str, str]:
    """Literal env of the rendered API container (``valueFrom`` entries are filled in by the caller)."""
    dep = one(objects, "Deployment", "deepseek-api")
    api = next(c for c in dep["spec"]["template"]["spec"]["containers"] if c["name"] == "api")
    return {e["name"]: str(e["value"]) for e in api.get("env", []) if "value" in e}


def _deployment_command(objects: list[dict[str, Any]]) -> list[str]:
    dep = one(objects, "Deployment", "deepseek-api")
    api = next(c for c in dep["spec"]["template"]["spec"]["containers"] if c["name"] == "api")
    return list(api.get("command") or []) + list(api.get("args") or [])


class ApiServer:
    """gunicorn with the rendered Deployment's command and env, bound to 127.0.0.1:<free port>."""

    def __init__(self, objects: list[dict[str, Any]], workdir: Path, *, kubeconfig: Path | None,
                 extra_env: Mapping[str, str] | None = None) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        serving_dir = workdir / "serving"
        serving_dir.mkdir(parents=True, exist_ok=True)
        for key, value in one(objects, "ConfigMap", "deepseek-serving")["data"].items():
            (serving_dir / key).write_text(value)
        self.serving_dir = serving_dir
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DEEPSEEK_", "KUBERNETES_", "PROMETHEUS_")) and k != "KUBECONFIG"}
        shipped = _deployment_env(objects)
        for key, value in shipped.items():
            # Files mounted under /etc/deepseek/serving in the pod are local copies here.
            env[key] = value.replace("/etc/deepseek/serving", str(serving_dir))
        metrics = workdir / "metrics"
        metrics.mkdir(exist_ok=True)
        if "PROMETHEUS_MULTIPROC_DIR" in env:
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        env["DEEPSEEK_NAMESPACE"] = NAMESPACE  # valueFrom: metadata.namespace in the pod
        env["DEEPSEEK_BIND"] = f"127.0.0.1:{self.port}"
        env["HOME"] = str(workdir)  # no ~/.kube/config of the person running this
        env["PATH"] = f"{VENV_BIN}:{env.get('PATH', '')}"
        if kubeconfig is None:
            env["DEEPSEEK_STANDALONE"] = "1"
        else:
            env["KUBECONFIG"] = str(kubeconfig)
        env.update(extra_env or {})
        self.env = env
        command = _deployment_command(objects)
        if not command or Path(command[0]).name != "gunicorn":
            raise RuntimeError(f"the API Deployment no longer runs gunicorn: {command}")
        # The image copies backend/gunicorn.conf.py to /app; the checkout has it under backend/.
        self.command = [str(GUNICORN)] + [
            str(ROOT / "backend/gunicorn.conf.py") if a.endswith("gunicorn.conf.py") else a
            for a in command[1:]
        ]
        self.log_path = workdir / "gunicorn.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> ApiServer:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.workdir, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not become ready in {timeout:g}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # Our own process group (start_new_session): the master and its workers, nothing else.
        # SIGQUIT: gunicorn's quick shutdown; nothing here needs the graceful drain of SIGTERM.
        os.killpg(self.proc.pid, signal.SIGQUIT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


class ManagerProcess:
    """The model manager as the chart's ``manager`` container runs it, in its own process group.

    ``extra_args`` shorten its clocks for tests (``--interval 0.5``...): same code, smaller numbers.
    """

    def __init__(self, objects: list[dict[str, Any]], api: ApiServer, *,
                 extra_args: Iterable[str] = ()) -> None:
        dep = one(objects, "Deployment", "deepseek-api")
        container = next(c for c in dep["spec"]["template"]["spec"]["containers"] if c["name"] == "manager")
        command = list(container.get("command") or []) + list(container.get("args") or [])
        if not command or Path(command[0]).name != "deepseek-ext":
            raise RuntimeError(f"the manager container no longer runs deepseek-ext: {command}")
        self.command = [str(VENV_BIN / "deepseek-ext"), *command[1:], *extra_args]
        self.env = {k: v for k, v in api.env.items()
                    if k not in ("DEEPSEEK_BIND", "PROMETHEUS_MULTIPROC_DIR")}
        self.workdir = api.workdir
        self.log_path = api.workdir / "manager.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ManagerProcess:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.workdir, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self) -> None:
        """SIGKILL, as an OOM kill or a node failure ends it: no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


@dataclass
class Stack:
    """Kubernetes double + ollama fleet + gunicorn; ``with Stack(ollama_pods=10) as s: s.url``."""

    ollama_pods: int = 1
    set_values: Mapping[str, Any] = field(default_factory=dict)
    loaded: bool = True
    """Models loaded on every ollama double (status Ready) or only on disk."""
    present: bool = True
    """Models on the ollama disks at start; False = a fresh install, the manager has to pull them."""
    ollama_knobs: Mapping[str, Any] = field(default_factory=dict)
    """Constructor knobs of every ollama double (bytes_per_second, models_dir...)."""
    with_cluster: bool = True
    """False = no kubeconfig at all (standalone mode)."""
    extra_env: Mapping[str, str] = field(default_factory=dict)
    workdir: Path | None = None
    extra_objects: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._own_workdir = self.workdir is None
        self.workdir = Path(self.workdir or tempfile.mkdtemp(prefix="deepseek-stack-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        values = dict(self.set_values)
        if self.ollama_pods > 1:
            # Several ollama pods share one volume only with ReadWriteMany (a validated rule).
            values.setdefault("backend.server.replicas", self.ollama_pods)
            values.setdefault("backend.persistence.accessModes[0]", "ReadWriteMany")
        self.objects = rendered(values)
        self.serving = json.loads(one(self.objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
        self.fleet = OllamaFleet(self.ollama_pods, models=self.serving["models"] if self.present else [],
                                 loaded=self.loaded and self.present, **dict(self.ollama_knobs))
        self.serving["ollamaPort"] = self.fleet.port
        # The API and the manager call the gateway's admin port; here the doubles stand in for it.
        self.serving["ollamaAdminPort"] = self.fleet.port
        cm = one(self.objects, "ConfigMap", "deepseek-serving")
        cm["data"]["config.json"] = json.dumps(self.serving, indent=2)
        seeded = installed_objects(self.objects, ollama_ips=self.fleet.ips) + self.extra_objects
        self.kube = KubeDouble(seeded)
        self.api: ApiServer | None = None
        self.managers: list[ManagerProcess] = []
        self.proxy: Any = None
        """Whatever a test puts between the API and the Kubernetes double (tests/faults/proxy.py)."""

    @property
    def url(self) -> str:
        assert self.api is not None
        return self.api.url

    def start(self) -> Stack:
        self.start_doubles()
        return self.start_api()

    def start_doubles(self) -> Stack:
        self.fleet.start()
        self.kube.start()
        return self

    def start_api(self, *, kube_server: str | None = None) -> Stack:
        """Start gunicorn; ``kube_server`` puts something (a fault proxy) between it and the double."""
        assert self.workdir is not None
        kubeconfig = None
        if self.with_cluster:
            kubeconfig = self.kube.write_kubeconfig(self.workdir / "kubeconfig")
            if kube_server:
                config = yaml.safe_load(kubeconfig.read_text())
                config["clusters"][0]["cluster"]["server"] = kube_server
                kubeconfig.write_text(yaml.safe_dump(config))
        self.api = ApiServer(self.objects, self.workdir, kubeconfig=kubeconfig, extra_env=self.extra_env)
        try:
            self.api.start()
        except BaseException:
            self.stop()
            raise
        return self

    def manager(self, *extra_args: str) -> ManagerProcess:
        """A model manager beside the running API (same env), not started yet."""
        assert self.api is not None, "start_api() first"
        proc = ManagerProcess(self.objects, self.api, extra_args=extra_args)
        self.managers.append(proc)
        return proc

    def stop(self) -> None:
        for proc in getattr(self, "managers", []):
            proc.stop()
        if self.api is not None:
            self.api.stop()
        self.kube.stop()
        self.fleet.stop()

    def cleanup(self) -> None:
        if self._own_workdir and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.cleanup()
