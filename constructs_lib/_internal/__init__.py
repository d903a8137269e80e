"""The construct library's machinery, not its API: what a homelab or a cdk8s program imports is in
:mod:`constructs_lib` (the constructs and their value types), never here.

- :mod:`.construct`: the base of the constructs, the builder's scope and their place in a cdk8s tree;
- :mod:`.runtime_types`: props checked at run time against their annotations (``@type_checked``);
- :mod:`.k8s_json`: typed ``cdk8s_plus_33.k8s`` pieces as the JSON the API reads;
- :mod:`.k8s_names`: Kubernetes naming rules;
- :mod:`.yaml_io`: deterministic YAML;
- :mod:`.node_runtime`: which Node.js jsii runs cdk8s on;
- :mod:`.plaintext` and :mod:`.secret_keys`: the checks of secrets in clear and of Secret keys.

Besides the library itself, the one allowed user is the engine (:mod:`homelab`), which renders through
them; nothing here imports :mod:`homelab`.
"""
