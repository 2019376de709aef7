"""The frontend chart: JSBundle + ConfigMap as KubeSphere accepts them, serving the built bundle.

The bundle is public (ks-apiserver serves /dist/* without authorization), so it is also checked
for what it must never contain: URLs outside the cluster.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.helmtools import CRDS_DIR, HELM, KUBE_VERSIONS, NAMESPACE, RELEASE, ROOT, one, render

BUNDLE_LINK_PREFIX = "/dist/deepseek"


def crd_schema(kind: str) -> dict:
    """The openAPIV3Schema of a KubeSphere CRD from tests/data/crds/ (first served version)."""
    docs = [d for d in yaml.safe_load_all((CRDS_DIR / f"{kind}.yaml").read_text()) if d]
    crd = one(docs, "CustomResourceDefinition")
    return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]


@pytest.fixture(scope="module")
def objects(bundle: Path, chart: Path) -> list[dict]:
    return render(chart)


def test_jsbundle_validates_against_the_kubesphere_crd(objects: list[dict]) -> None:
    jsbundle = one(objects, "JSBundle", "deepseek-frontend-js-bundle")
    assert jsbundle["apiVersion"] == "extensions.kubesphere.io/v1alpha1"
    jsonschema.validate(jsbundle, crd_schema("JSBundle"))


def test_jsbundle_link_is_under_the_extension_dist_path(objects: list[dict]) -> None:
    link = one(objects, "JSBundle")["status"]["link"]
    # KubeSphere's webhook rejects a link that does not start with /dist/<extension name>.
    assert link.startswith(BUNDLE_LINK_PREFIX + "/"), link
    assert link.endswith(".js")


def test_jsbundle_reads_the_bundle_from_the_rendered_configmap(objects: list[dict]) -> None:
    ref = one(objects, "JSBundle")["spec"]["rawFrom"]["configMapKeyRef"]
    configmap = one(objects, "ConfigMap", ref["name"])
    assert ref["namespace"] == configmap["metadata"]["namespace"] == NAMESPACE
    assert ref["key"] in configmap["data"]


@pytest.mark.parametrize("version", KUBE_VERSIONS)
def test_bundle_configmap_is_a_valid_configmap(objects: list[dict], version: str) -> None:
    configmap = one(objects, "ConfigMap", "deepseek-frontend")
    kubernetes_validate.validate(configmap, version, strict=True)


def test_configmap_serves_the_built_bundle_unchanged(objects: list[dict], bundle: Path) -> None:
    served = one(objects, "ConfigMap", "deepseek-frontend")["data"]["index.js"]
    assert served.rstrip("\n") == bundle.read_text().rstrip("\n")
    # ConfigMaps hold at most 1 MiB, and the chart travels in one too: stay far below.
    assert len(served.encode()) < 256 * 1024


def test_committed_bundle_is_what_frontend_config_builds(bundle: Path, rebuilt_bundle: Path) -> None:
    # The bundle is committed for ksbuilder's no-build publishing path; a change under
    # frontend-config/ without `make bundle` would publish the old console.
    # Digests, not the bytes: pytest's diff of two ~200 KB one-line modules runs for many minutes.
    committed, built = bundle.read_bytes(), rebuilt_bundle.read_bytes()
    assert hashlib.sha256(committed).hexdigest() == hashlib.sha256(built).hexdigest(), (
        f"stale bundle ({len(committed)} bytes committed, {len(built)} built): run `make bundle` and commit it")


def test_bundle_is_a_systemjs_module_with_only_console_shared_imports(bundle: Path) -> None:
    text = bundle.read_text()
    match = re.search(r"System\.register\(\[([^\]]*)\]", text)
    assert match, "not a System.register module"
    imports = {name.strip().strip("'\"") for name in match.group(1).split(",") if name.strip()}
    shared = {"react", "react-dom", "react-router-dom", "styled-components", "react-query", "lodash", "dayjs",
              "@kubed/components", "@kubed/hooks", "@kubed/icons", "@ks-console/shared"}
    assert imports <= shared, f"imports the console does not provide: {imports - shared}"


# In-cluster or loopback addresses only: the page tells users to open localhost after a
# port-forward; every other address comes from the API at run time.
_ALLOWED_HOST = re.compile(r"^(localhost|127\.0\.0\.1|[a-z0-9.-]+\.svc(\.cluster\.local)?)(:\d+)?$")


# Strings of the bundled libraries that look like URLs but are never fetched: XML namespace names
# DOMPurify compares element namespaces with, and the text of marked's error message.
_NOT_ADDRESSES = {"http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg",
                  "http://www.w3.org/1998/Math/MathML", "https://github.com/markedjs/marked"}


def test_bundle_has_no_url_outside_the_cluster(bundle: Path) -> None:
    text = bundle.read_text()
    for name in _NOT_ADDRESSES:
        text = text.replace(name, "")
    hosts = re.findall(r"https?://([^/\s'\"`)]+)", text)
    outside = sorted({h for h in hosts if not _ALLOWED_HOST.match(h)})
    assert outside == [], f"URLs outside the cluster in the bundle: {outside}"


def test_only_the_deepseek_menu_skips_the_console_menu_filter(bundle: Path) -> None:
    # skipAuth only shows the menu (the console filters menus by the user's own GlobalRole, never
    # by group-bound roles; docs/console.md); the API authorizes every call and the page shows 403.
    assert len(re.findall(r"skipAuth\s*:\s*(?:true|!0)", bundle.read_text())) == 1


def test_packaging_without_the_bundle_fails_with_the_way_out(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import package  # scripts/package.py: stages the extension as ksbuilder does
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
        staged = package.stage(ROOT, Path(tmp))
        (staged / "charts/frontend/files/index.js").write_text("// placeholder\n")
        result = subprocess.run([HELM, "template", RELEASE, str(staged), "--namespace", NAMESPACE],
                                capture_output=True, text=True)
    assert result.returncode != 0
    assert "make bundle" in result.stderr and "files/index.js" in result.stderr, result.stderr


def test_package_ships_the_built_bundle_and_no_bundle_sources(bundle: Path, chart: Path) -> None:
    with tarfile.open(chart) as tgz:
        names = tgz.getnames()
        served = tgz.extractfile("deepseek/charts/frontend/files/index.js")
        assert served is not None and served.read() == bundle.read_bytes()
    assert not [n for n in names if "/frontend-config/" in n or "node_modules" in n]
