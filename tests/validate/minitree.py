"""A small hand-written kustomize tree for the validation tests, clean until a test breaks it."""

from __future__ import annotations

from pathlib import Path

REPO = "https://git.example/lab"

FILES: dict[str, str] = {
    "clusters/overlays/home/kustomization.yaml": """
resources:
  - argocd.yaml
  - wiki-app-of-apps.yaml
  - storage.yaml
""",
    "clusters/overlays/home/argocd.yaml": """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: argocd, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://argoproj.github.io/argo-helm
    chart: argo-cd
    targetRevision: 8.x
    helm:
      valuesObject:
        configs:
          params:
            application.namespaces: wiki
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
""",
    "clusters/overlays/home/storage.yaml": """
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: driver.longhorn.io
""",
    "clusters/overlays/home/wiki-app-of-apps.yaml": f"""
apiVersion: v1
kind: Namespace
metadata: {{name: wiki}}
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {{name: wiki, namespace: argocd}}
spec:
  sourceRepos: [{REPO}, https://charts.example]
  sourceNamespaces: [wiki]
  destinations: [{{namespace: wiki, server: https://kubernetes.default.svc}}]
  clusterResourceWhitelist: [{{group: "", kind: PersistentVolume}}]
  namespaceResourceWhitelist: [{{group: "*", kind: "*"}}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: wiki, namespace: argocd}}
spec:
  project: wiki
  source: {{repoURL: {REPO}, targetRevision: main, path: kustomize/wiki/overlays/home}}
  destination: {{server: https://kubernetes.default.svc, namespace: wiki}}
""",
    "wiki/base/kustomization.yaml": """
resources:
  - deployment.yaml
  - service.yaml
""",
    "wiki/base/deployment.yaml": """
apiVersion: apps/v1
kind: Deployment
metadata: {name: wiki}
spec:
  replicas: 1
  selector: {matchLabels: {app: wiki}}
  template:
    metadata: {labels: {app: wiki}}
    spec:
      containers:
        - name: wiki
          image: wiki:1.0
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: wiki-db-app, key: password}}
            - name: TOKEN
              valueFrom: {secretKeyRef: {name: wiki-config, key: token}}
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: wiki-data}
""",
    "wiki/base/service.yaml": """
apiVersion: v1
kind: Service
metadata: {name: wiki}
spec:
  selector: {app: wiki}
  ports: [{port: 80, targetPort: 3000}]
""",
    "wiki/overlays/home/kustomization.yaml": """
resources:
  - ../../base
  - database.yaml
  - config.yaml
  - data.yaml
  - ingress.yaml
  - chart.yaml
patches:
  - target: {group: apps, version: v1, kind: Deployment, name: wiki}
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 2
""",
    "wiki/overlays/home/database.yaml": """
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: wiki-db, namespace: wiki}
spec:
  instances: 1
  storage: {size: 1Gi, storageClass: fast}
""",
    "wiki/overlays/home/config.yaml": """
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: wiki-config, namespace: wiki}
spec:
  encryptedData: {token: AgBxyz}
  template:
    metadata: {name: wiki-config, namespace: wiki}
""",
    "wiki/overlays/home/data.yaml": """
apiVersion: v1
kind: PersistentVolume
metadata: {name: wiki-data}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  nfs: {server: nas, path: /wiki}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: wiki-data, namespace: wiki}
spec:
  volumeName: wiki-data
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
""",
    "wiki/overlays/home/ingress.yaml": """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: wiki, namespace: wiki}
spec:
  ingressClassName: tailscale
  defaultBackend: {service: {name: wiki, port: {number: 80}}}
  tls: [{hosts: [wiki]}]
""",
    "wiki/overlays/home/chart.yaml": """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: wiki-search, namespace: wiki}
spec:
  project: wiki
  source:
    repoURL: https://charts.example
    chart: search
    targetRevision: 1.x
    helm:
      valuesObject:
        auth: {existingSecret: wiki-config}
        persistence: {storageClass: fast}
  destination: {server: https://kubernetes.default.svc, namespace: wiki}
""",
}


def write(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write the tree under ``root/kustomize`` with ``changes`` (path → new content, None deletes)."""
    files = {**FILES, **(changes or {})}
    tree = root / "kustomize"
    for rel, text in files.items():
        if text is None:
            continue
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"))
    return tree
