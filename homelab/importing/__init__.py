"""``homelab import``: a hand-written Argo CD + kustomize tree becomes a homelab in the language.

The stages, each its own module: reading the tree, recognising its objects as the library's constructs
(:mod:`homelab.importing.claims`, one recogniser per construct family in :mod:`homelab.importing.recognise`),
arranging them into apps and clusters, writing Python (values as source: :mod:`homelab.importing.source`) and
proving the new repository renders the same tree.
"""
