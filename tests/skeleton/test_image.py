"""The API image archive (`make image`) runs as the chart runs it.

The archive is unpacked and started the way kubelet would start the `deepseek-api` Deployment: the chart's
command and env (read from the rendered Deployment), its volumes (emptyDir as tmpfs, the serving ConfigMap
read-only), the pod's uid, a read-only root filesystem, and the image's own config (Env, WorkingDir, User).
The root is a read-only bind mount in a private mount, network and pid namespace and the process runs as
uid 10001 through chroot --userspec, so a write to the image fails with EROFS as on a node, and the server is
probed over that namespace's loopback. No cluster: the API answers in standalone mode, enough for /healthz.

scripts/build-image.sh reuses the archive when its inputs are unchanged, so only the first run builds.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.helmtools import NAMESPACE, ROOT, one, render

RUNS_THE_IMAGE = (
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="unshare, mounts and chroot need root"),
    pytest.mark.skipif(not shutil.which("buildah"), reason="buildah missing: run scripts/system-deps.sh"),
)


def runs_the_image(test):
    """Builds (or reuses) the archive and starts it: slow, root only."""
    for mark in RUNS_THE_IMAGE:
        test = mark(test)
    return test


VERSION = yaml.safe_load((ROOT / "extension.yaml").read_text())["version"]
BUILD_TIMEOUT = 3600  # a cold build (mmdebstrap, PyPI, vfs copies) on 2 busy cores; warm is seconds


@pytest.fixture(scope="module")
def archive() -> Path:
    result = subprocess.run([str(ROOT / "scripts/build-image.sh")], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PY": sys.executable}, timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, result.stderr[-4000:]
    path = ROOT / result.stdout.strip().splitlines()[-1]
    assert path.name == f"deepseek-extension-api-{VERSION}.oci.tar"
    return path


def _blob(outer: tarfile.TarFile, descriptor: dict):
    algorithm, digest = descriptor["digest"].split(":", 1)
    return outer.extractfile(f"blobs/{algorithm}/{digest}")


def _apply_layer(layer: tarfile.TarFile, rootfs: Path) -> None:
    """Extract one layer, honouring OCI whiteouts; device nodes are left out (the runtime provides /dev)."""
    for member in layer:
        path = rootfs / member.name.lstrip("/")
        if path.name == ".wh..wh..opq":
            for child in path.parent.iterdir() if path.parent.is_dir() else ():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
            continue
        if path.name.startswith(".wh."):
            gone = path.with_name(path.name[len(".wh."):])
            if gone.is_dir() and not gone.is_symlink():
                shutil.rmtree(gone)
            elif gone.exists() or gone.is_symlink():
                gone.unlink()
            continue
        if member.isdev():
            continue
        if member.isdir() and path.is_dir():
            continue  # a directory a lower layer made; only its mode may differ
        if (path.is_symlink() or path.exists()) and not path.is_dir():
            path.unlink()
        # "tar" filter: nothing lands outside rootfs even through the image's absolute symlinks
        layer.extract(member, rootfs, numeric_owner=True, filter="tar")


def unpack(archive_path: Path, rootfs: Path) -> dict:
    """Unpack the archive's one image into rootfs and return its OCI config."""
    with tarfile.open(archive_path) as outer:
        index = json.load(outer.extractfile("index.json"))
        assert len(index["manifests"]) == 1, index
        manifest = json.load(_blob(outer, index["manifests"][0]))
        config = json.load(_blob(outer, manifest["config"]))
        rootfs.mkdir()
        for descriptor in manifest["layers"]:
            with tarfile.open(fileobj=_blob(outer, descriptor), mode="r|*") as layer:
                _apply_layer(layer, rootfs)
    return {"manifest": manifest, "config": config, "ref": index["manifests"][0].get("annotations", {})}


@pytest.fixture(scope="module")
def image(archive, tmp_path_factory) -> dict:
    rootfs = tmp_path_factory.mktemp("image") / "rootfs"
    return {**unpack(archive, rootfs), "rootfs": rootfs}


@pytest.fixture(scope="module")
def deployment(chart) -> dict:
    objects = render(chart)
    return {"deployment": one(objects, "Deployment", "deepseek-api"),
            "serving": one(objects, "ConfigMap", "deepseek-serving"),
            "secrets": {o["metadata"]["name"]: o for o in objects if o["kind"] == "Secret"}}


def chart_container(deployment: dict, name: str) -> dict:
    spec = deployment["deployment"]["spec"]["template"]["spec"]
    return next(c for c in spec["containers"] if c["name"] == name)


def chart_env(container: dict) -> dict[str, str]:
    """The container's env as kubelet resolves it for this pod (fieldRef metadata.namespace only)."""
    env = {}
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
        else:
            assert item["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.namespace"}}, item
            env[item["name"]] = NAMESPACE
    return env


# Runs in fresh mount, net and pid namespaces (as root on the host): lays out the container's filesystem and
# becomes the pod's user. $1 rootfs, $2 "uid:gid", $3 working dir, $4 file of NAME=VALUE lines (the
# container's environment), $5 file of "tmpfs <path> <size>" / "bind-ro <source> <path>" lines; the rest is
# the command.
LAUNCH = r"""
set -eu
root=$1 user=$2 workdir=$3 envfile=$4 mounts=$5; shift 5
ip link set lo up
mount --make-rprivate /
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755,size=1m dev "$root/dev"
for node in null zero full random urandom; do : > "$root/dev/$node"; mount --bind "/dev/$node" "$root/dev/$node"; done
while read -r kind a b; do
  case $kind in
    tmpfs) mount -t tmpfs -o "mode=1777,size=$b" tmpfs "$root$a" ;;
    bind-ro) mount --bind "$a" "$root$b"; mount -o remount,bind,ro "$root$b" ;;
  esac
done < "$mounts"
mount -o remount,bind,ro "$root"
exec env -i $(cat "$envfile") chroot --userspec="$user" "$root" /usr/bin/env --chdir="$workdir" "$@"
"""


class Container:
    """One container of the chart's pod, started from the unpacked image."""

    def __init__(self, image: dict, deployment: dict, name: str, workdir: Path) -> None:
        pod = deployment["deployment"]["spec"]["template"]["spec"]
        self.spec = chart_container(deployment, name)
        config = image["config"]["config"]
        # kubelet: image Env, then the container's env over it; HOME from the image's passwd for the uid.
        self.uid = int(pod["securityContext"]["runAsUser"])
        self.gid = int(pod["securityContext"].get("runAsGroup", self.uid))
        env = dict(item.split("=", 1) for item in config.get("Env", []))
        env["HOME"] = self._home(image["rootfs"])
        env.update(chart_env(self.spec))
        self.env_file = workdir / f"{name}.env"
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        assert not any(" " in line for line in self.env_file.read_text().splitlines()), "env values with spaces"
        self.workdir = config.get("WorkingDir") or "/"
        self.mounts_file = workdir / f"{name}.mounts"
        self.mounts_file.write_text(self._mounts(image["rootfs"], pod, deployment, workdir))
        self.rootfs = image["rootfs"]

    def _home(self, rootfs: Path) -> str:
        for line in (rootfs / "etc/passwd").read_text().splitlines():
            fields = line.split(":")
            if int(fields[2]) == self.uid:
                return fields[5]
        return "/"

    def _mounts(self, rootfs: Path, pod: dict, rendered: dict, workdir: Path) -> str:
        serving = rendered["serving"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        lines = []
        for mount in self.spec.get("volumeMounts", []):
            volume, target = volumes[mount["name"]], mount["mountPath"]
            (rootfs / target.lstrip("/")).mkdir(parents=True, exist_ok=True)  # the runtime makes mount points
            if "emptyDir" in volume:
                size = volume["emptyDir"].get("sizeLimit", "64Mi").replace("Mi", "m").replace("Gi", "g")
                lines.append(f"tmpfs {target} {size}")
            elif "configMap" in volume:
                assert volume["configMap"]["name"] == serving["metadata"]["name"]
                files = workdir / f"configmap-{mount['name']}"
                files.mkdir(exist_ok=True)
                for key, text in serving["data"].items():
                    (files / key).write_text(text)
                lines.append(f"bind-ro {files} {target}")
            elif "secret" in volume:
                # kubelet projects each key of the rendered Secret as a file (the gateway's admin key).
                secret = rendered["secrets"][volume["secret"]["secretName"]]
                files = workdir / f"secret-{mount['name']}"
                files.mkdir(exist_ok=True)
                for key, value in (secret.get("data") or {}).items():
                    (files / key).write_bytes(base64.b64decode(value))
                lines.append(f"bind-ro {files} {target}")
            else:
                raise AssertionError(f"volume kind not emulated: {volume}")
        return "".join(line + "\n" for line in lines)

    def argv(self, command: list[str]) -> list[str]:
        readonly = self.spec["securityContext"]["readOnlyRootFilesystem"]
        assert readonly is True, "the chart runs the image read-only; this harness only emulates that"
        return ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "sh", "-c", LAUNCH, "launch",
                str(self.rootfs), f"{self.uid}:{self.gid}", self.workdir, str(self.env_file), str(self.mounts_file),
                *command]

    def run(self, command: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv(command), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def api(image, deployment, tmp_path_factory) -> Container:
    return Container(image, deployment, "api", tmp_path_factory.mktemp("api"))


def _probe(pid: int, port: int, path: str) -> int | None:
    """Status of GET path on the container's loopback (entering its network namespace), None if no answer."""
    code = ("import sys, urllib.request, urllib.error\n"
            "try:\n"
            f"    r = urllib.request.urlopen('http://127.0.0.1:{port}{path}', timeout=3); print(r.status)\n"
            "except urllib.error.HTTPError as e: print(e.code)\n"
            "except OSError: print('none')\n")
    out = subprocess.run(["nsenter", f"--target={pid}", "--net", sys.executable, "-c", code],
                         capture_output=True, text=True, timeout=30).stdout.strip()
    return int(out) if out.isdigit() else None


@pytest.fixture(scope="module")
def served(api, tmp_path_factory) -> Iterator[dict]:
    """The api container running its chart command; yields /healthz's status and the log so far."""
    log_path = tmp_path_factory.mktemp("log") / "api.log"
    port = int(chart_env(api.spec)["DEEPSEEK_BIND"].rsplit(":", 1)[1])
    with log_path.open("w") as log:
        # A session of its own: `unshare --kill-child` cannot reach gunicorn once setpriv changed its
        # uid (the kernel clears the parent-death signal then), so the finalizer signals the group.
        proc = subprocess.Popen(api.argv(api.spec["command"]), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        status, deadline = None, time.monotonic() + 90
        while status != 200 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(1)
            status = _probe(proc.pid, port, "/healthz")
        time.sleep(1)  # let the second worker finish booting, so its log lines are in too
        yield {"status": status, "log": log_path.read_text(), "exit": proc.poll()}
    finally:
        # SIGTERM, as kubelet stops a container: gunicorn (pid 1 of the namespace) must end with its workers.
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        deadline = time.monotonic() + 20
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError("the api container was still running 20 s after SIGTERM")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@runs_the_image
def test_archive_names_the_image_and_runs_as_the_chart_user(image, deployment):
    assert image["ref"]["org.opencontainers.image.ref.name"] == (
        f"docker.io/kubesphere/deepseek-extension-api:{VERSION}")
    config = image["config"]["config"]
    assert config["User"] == "10001:10001"
    assert config["Cmd"] == chart_container(deployment, "api")["command"]
    assert image["config"]["architecture"] == "amd64" and image["config"]["os"] == "linux"


@runs_the_image
@pytest.mark.skipif(not shutil.which("skopeo"), reason="skopeo missing: run scripts/system-deps.sh")
def test_skopeo_reads_the_archive_as_air_gapped_users_copy_it(archive):
    # docs/images.md: skopeo copy oci-archive:dist/... docker://registry.local/...
    result = subprocess.run(["skopeo", "inspect", f"oci-archive:{archive}"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    inspected = json.loads(result.stdout)
    assert inspected["Labels"]["org.opencontainers.image.version"] == VERSION
    assert inspected["Os"] == "linux"


@runs_the_image
def test_api_answers_healthz_as_non_root_on_a_read_only_root(served):
    assert served["status"] == 200, served["log"][-3000:]
    assert served["exit"] is None, served["log"][-3000:]
    assert "Booting worker" in served["log"]


@runs_the_image
def test_gunicorn_tries_no_write_to_the_read_only_root(served):
    # gunicorn >= 25.1 opened a control socket under $HOME/.gunicorn: "Control server error: [Errno 30]".
    assert "Booting worker" in served["log"]
    assert "Read-only file system" not in served["log"]
    assert "Control server error" not in served["log"]


@runs_the_image
def test_the_harness_enforces_the_pod_user_and_a_read_only_root(api):
    # What makes the test above able to fail: the process is uid 10001 and the image cannot be written, not
    # even where gunicorn's control socket would go, while the chart's emptyDir on /tmp can.
    script = ("import os, errno\n"
              "print(os.getuid(), os.getgid())\n"
              "for path in (os.path.expanduser('~/.gunicorn/x'), '/app/x'):\n"
              "    try: os.makedirs(path)\n"
              "    except OSError as e: print(path, errno.errorcode[e.errno])\n"
              "    else: print(path, 'created')\n"
              "os.mkdir('/tmp/ok'); print('/tmp ok')\n")
    result = api.run(["python3", "-c", script])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["10001 10001", "/nonexistent/.gunicorn/x EROFS", "/app/x EROFS", "/tmp ok"]


@runs_the_image
def test_cli_version_in_the_image(image, deployment, tmp_path_factory):
    manager = Container(image, deployment, "manager", tmp_path_factory.mktemp("manager"))
    assert manager.spec["command"][0] == "deepseek-ext"
    result = manager.run([manager.spec["command"][0], "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"deepseek-ext {VERSION}"


# --- the online build and the mirroring guide (fast, no root) ---

WORKFLOW = ROOT / ".github/workflows/release.yaml"


def _steps(workflow: dict) -> dict[str, dict]:
    return {step["uses"].split("@")[0]: step for job in workflow["jobs"].values() for step in job["steps"]
            if "uses" in step}


def test_release_workflow_builds_the_same_dockerfile_for_amd64_and_arm64_on_tags():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    steps = _steps(workflow)
    build = steps["docker/build-push-action"]["with"]
    assert build["file"] == "backend/Dockerfile" and build["context"] == "."
    assert set(build["platforms"].split(",")) == {"linux/amd64", "linux/arm64"}
    assert build["push"] == "${{ github.ref_type == 'tag' }}"
    assert build["tags"] == "${{ env.IMAGE }}:${{ steps.version.outputs.version }}"
    assert f"{workflow['env']['IMAGE']}:{VERSION}" in _extension_images()
    assert {"docker/setup-qemu-action", "docker/setup-buildx-action", "docker/login-action"} <= set(steps)
    # no build arg: online the Dockerfile's own default base (python:3.11-slim-bookworm) is used
    assert "build-args" not in build
    assert workflow["permissions"] == {"contents": "read"}


class _StrictLoader(yaml.SafeLoader):
    """safe_load that refuses duplicate keys (PyYAML keeps the last one silently; GitHub rejects the file)."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def test_release_workflow_is_plain_yaml_without_duplicate_keys_or_tabs():
    text = WORKFLOW.read_text()
    assert "\t" not in text and all(len(line) <= 120 for line in text.splitlines())
    assert yaml.load(text, Loader=_StrictLoader) == yaml.safe_load(text)
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("a: 1\na: 2\n", Loader=_StrictLoader)


def test_release_workflow_stays_out_of_the_extension_package(chart):
    with tarfile.open(chart) as package:
        assert not [name for name in package.getnames() if "/.github/" in name]


def _extension_images() -> list[str]:
    return yaml.safe_load((ROOT / "extension.yaml").read_text())["images"]


@pytest.mark.parametrize("doc", ["docs/images.md", "docs/images_zh.md"])
def test_mirroring_guide_names_every_image_and_the_registry_setting(doc):
    text = (ROOT / doc).read_text()
    missing = [image for image in _extension_images() if f"`{image}`" not in text]
    assert not missing, f"{doc} lacks {missing}"
    assert "skopeo copy --all" in text and "global.imageRegistry" in text and "make image" in text
    # the guide's loop reads the list from extension.yaml; check it extracts exactly that list
    loop = subprocess.run(["sed", "-n", "/^images:/,/^[^ -]/s/^ *- *//p", "extension.yaml"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert "sed -n '/^images:/,/^[^ -]/s/^ *- *//p' extension.yaml" in text
    assert loop.stdout.split() == _extension_images()
