"""The engine: from a :class:`~homelab.model.homelab.Homelab` to the files of the kustomize tree, in memory.

Synthesis is a pipeline of stages that pass data (:mod:`homelab.engine.pipeline` runs them in order):

- :mod:`~homelab.engine.render`: run the builders, each in a fresh chart; the run's memo of what each
  produced (:class:`~homelab.engine.data.Rendered` objects).
- :mod:`~homelab.engine.derive`: facts computed from rendered objects (application and backup
  namespaces, source repositories, destinations, cluster resources).
- :mod:`~homelab.engine.cluster_dir`: each cluster's ``clusters/overlays/<cluster>`` directory (root
  Application, app-of-apps), from the derived facts.
- :mod:`~homelab.engine.checks` and :mod:`~homelab.engine.tree_checks`: what is refused before anything
  is written (names, duplicates, plaintext, Secret keys, platform, CRD schemas, GitOps cross-references).
- :mod:`~homelab.engine.layout`: which directories exist; an overlay's patches of its base.
- :mod:`~homelab.engine.emit`: the text of every file.

Nothing is written here: see :mod:`homelab.engine.writer`.
"""
