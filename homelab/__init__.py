"""homelab: a typed language for a Kubernetes GitOps homelab, compiled to a kustomize tree.

Public names: :class:`Cluster`, :class:`App`, :class:`Deployment`, :class:`Context`,
:class:`Homelab`. The CLI is ``python -m homelab``.
"""

import constructs_lib  # noqa: F401  (first: sets up Node.js for jsii before cdk8s loads)
from homelab.app import App, Builder, Context, Deployment
from homelab.cluster import Cluster
from homelab.errors import HomelabError
from homelab.homelab import Homelab

__all__ = ["App", "Builder", "Cluster", "Context", "Deployment", "Homelab", "HomelabError"]
