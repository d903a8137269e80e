"""Hand-kept repositories with what real ones also contain, which :mod:`tests.importing.foreign`,
:mod:`tests.importing.public`, :mod:`tests.importing.unseen` and :mod:`tests.importing.trees` do not, for
import's tests. Each has a plain root folder ``clusters/home/`` of Applications (the default project,
``CreateNamespace=true``) and flat apps under ``apps/``.

- :func:`yaml_repo`: YAML as people write it: ``.yml`` files, CRLF line endings, a BOM, a leading ``---``,
  documents separated by ``---`` with empty documents and comments between, anchors and merge keys
  (``<<: *defaults``), quoted numbers beside numbers, a ``|`` script with trailing spaces, French and
  Japanese text.
- :func:`sealed_repo`: SealedSecrets sealed cluster-wide and namespace-wide, with ``spec.template`` labels,
  annotations and ``type: kubernetes.io/dockerconfigjson``.
- :func:`generators_repo`: ``configMapGenerator`` with ``envs`` and ``literals``, ``secretGenerator`` with
  ``files``, ``generatorOptions`` (labels, ``disableNameSuffixHash``), an overlay's generator with
  ``behavior: replace``.
- :func:`kustomize_repo`: an overlay (not the base) using ``components:``, ``patches:`` with
  ``options: allowNameChange``, ``labels:`` with ``includeSelectors: false``.
- :func:`names_repo`: app directories named ``my_app``, ``my-app``, ``2048-game``, ``Nextcloud`` and
  ``nextcloud`` (not Python identifiers nor DNS labels, or differing only by case or ``-``/``_``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.importing.foreign import Manifest, application, deployment, service
from tests.importing.trees import kustomization, write


def _dump(obj: object) -> str:
    return yaml.safe_dump(obj, sort_keys=False, allow_unicode=True)


def _flat(root: Path, apps: dict[str, dict[str, object]], namespaces: dict[str, str] | None = None) -> Path:
    """A tree: ``clusters/home/<app>.yaml`` deploying ``apps/<app>`` (each app's files relative to it) into
    its namespace (the Application named after it)."""
    files: dict[str, object] = {}
    for name, app_files in apps.items():
        namespace = (namespaces or {}).get(name, name.lower().replace("_", "-"))
        files[f"clusters/home/{name}.yaml"] = application(namespace, f"apps/{name}", namespace)
        files.update({f"apps/{name}/{rel}": content for rel, content in app_files.items()})
    return write(root, files)


WEB_DEPLOYMENT = """\
---
# the web app: its defaults shared by both containers
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
  annotations:
    description: "Application de gestion des recettes — café, crème brûlée"
    description.ja: "レシピ管理アプリケーション"
spec:
  replicas: 1
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
        - &container
          name: web
          image: ghcr.io/me/web:1.0
          env:
            - name: PORT
              value: "8080"
            - name: WORKERS
              value: "4"
          ports:
            - containerPort: 8080
        - <<: *container
          name: worker
          command: ["/bin/sh", "-c"]
          args:
            - |
              echo start\x20\x20\x20
              exec worker --port 8080\x20\x20
"""

WEB_SERVICE = """\
# leading comment

---
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
# nothing here
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  port: "8080"
  ratio: "0.5"
  enabled: "true"
  greeting: "Bonjour, ça va ? こんにちは"
...
"""


def yaml_repo(root: Path) -> Path:
    """See the module: the app ``web`` (namespace ``web``) in ``.yml`` files with CRLF and a BOM."""
    crlf = WEB_SERVICE.replace("\n", "\r\n")
    files: dict[str, object] = {
        "clusters/home/web.yml": "\ufeff---\n" + _dump(application("web", "apps/web", "web")),
        "apps/web/kustomization.yml": "\ufeff" + _dump(kustomization(["deployment.yml", "service.yml"])),
        "apps/web/deployment.yml": WEB_DEPLOYMENT,
        "apps/web/service.yml": "\ufeff" + crlf,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(str(text).encode())
    return root


def sealed(name: str, namespace: str, scope: str | None, template: Manifest) -> Manifest:
    """A SealedSecret of ``scope`` (``cluster-wide``, ``namespace-wide`` or strict) with ``template``."""
    annotations = {f"sealedsecrets.bitnami.com/{scope}": "true"} if scope else {}
    metadata: Manifest = {"name": name, "namespace": namespace}
    if annotations:
        metadata["annotations"] = annotations
    return {
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": metadata,
        "spec": {"encryptedData": {".dockerconfigjson": "AgB" + name * 8}, "template": template},
    }


def sealed_repo(root: Path) -> Path:
    """See the module: the app ``registry`` (namespace ``registry``) with three SealedSecrets."""
    template = {
        "type": "kubernetes.io/dockerconfigjson",
        "metadata": {"labels": {"app": "registry"}, "annotations": {"note": "pull secret"}},
    }
    secrets = [
        sealed("pull-cluster", "registry", "cluster-wide", template),
        sealed("pull-namespace", "registry", "namespace-wide", {"type": "kubernetes.io/dockerconfigjson"}),
        sealed("pull-strict", "registry", None, dict(template, immutable=True)),
    ]
    files = {
        "deployment.yaml": deployment("registry", "registry:2"),
        "sealed.yaml": secrets,
        "kustomization.yaml": kustomization(["deployment.yaml", "sealed.yaml"]),
    }
    return _flat(root, {"registry": files})


def generators_repo(root: Path) -> Path:
    """See the module: ``gen`` with a base and ``overlays/home`` (the root deploys the overlay)."""
    base = kustomization(
        ["deployment.yaml"],
        generatorOptions={"labels": {"generated": "yes"}, "disableNameSuffixHash": True},
        configMapGenerator=[
            {"name": "gen-env", "envs": ["app.env"], "literals": ["MODE=prod", "PORT=8080"]},
            {"name": "gen-files", "files": ["settings.ini"]},
        ],
        secretGenerator=[{"name": "gen-secret", "files": ["token.txt"], "type": "Opaque"}],
    )
    overlay = kustomization(
        ["../../base"],
        configMapGenerator=[{"name": "gen-files", "behavior": "replace", "literals": ["only=this"]}],
    )
    files: dict[str, object] = {
        "clusters/home/gen.yaml": application("gen", "apps/gen/overlays/home", "gen"),
        "apps/gen/base/deployment.yaml": deployment("gen", "ghcr.io/me/gen:1"),
        "apps/gen/base/app.env": "# comment\nLOG=debug\nNAME=générateur\n",
        "apps/gen/base/settings.ini": "[main]\nkey = value\n",
        "apps/gen/base/token.txt": "not-a-real-token\n",
        "apps/gen/base/kustomization.yaml": base,
        "apps/gen/overlays/home/kustomization.yaml": overlay,
    }
    return write(root, files)


def kustomize_repo(root: Path) -> Path:
    """See the module: ``shop`` with a base and ``overlays/home`` using a component, a renaming patch, labels."""
    component = {
        "apiVersion": "kustomize.config.k8s.io/v1alpha1",
        "kind": "Component",
        "patches": [
            {
                "target": {"kind": "Deployment"},
                "patch": "- op: add\n  path: /metadata/annotations\n  value: {prometheus.io/scrape: 'true'}",
            }
        ],
        "resources": ["monitor.yaml"],
    }
    monitor = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "monitor"}, "data": {"scrape": "30s"}}
    rename = {
        "target": {"kind": "Service", "name": "shop"},
        "patch": "- op: replace\n  path: /metadata/name\n  value: storefront",
        "options": {"allowNameChange": True},
    }
    overlay = kustomization(
        ["../../base"],
        components=["../../components/monitor"],
        patches=[rename],
        labels=[{"pairs": {"team": "shop"}, "includeSelectors": False}],
    )
    files: dict[str, object] = {
        "clusters/home/shop.yaml": application("shop", "apps/shop/overlays/home", "shop"),
        "apps/shop/base/deployment.yaml": deployment("shop", "ghcr.io/me/shop:1"),
        "apps/shop/base/service.yaml": service("shop"),
        "apps/shop/base/kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"]),
        "apps/shop/overlays/home/kustomization.yaml": overlay,
        "apps/shop/components/monitor/kustomization.yaml": component,
        "apps/shop/components/monitor/monitor.yaml": monitor,
    }
    return write(root, files)


NAMES = ("my_app", "my-app", "2048-game", "Nextcloud", "nextcloud")


def names_repo(root: Path, names: tuple[str, ...] = NAMES) -> Path:
    """See the module: one Deployment + Service per app directory, each in its own namespace."""
    apps: dict[str, dict[str, object]] = {}
    namespaces: dict[str, str] = {}
    for name in names:
        label = name.lower().replace("_", "-")
        suffix = "-upper" if name != name.lower() else ("-under" if "_" in name else "")
        namespaces[name] = label + suffix
        front = service(label)
        front["metadata"]["name"] = "front"  # a Service's name starts with a letter (2048-game's cannot)
        apps[name] = {
            "deployment.yaml": deployment(label, f"ghcr.io/me/{label}:1"),
            "service.yaml": front,
            "kustomization.yaml": kustomization(["deployment.yaml", "service.yaml"]),
        }
    return _flat(root, apps, namespaces)
