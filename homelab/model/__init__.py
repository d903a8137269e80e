"""The user's model: what a declaration is made of — a cluster's facts (:mod:`.cluster`), one app
(:mod:`.app_spec`, :mod:`.app_group`, :mod:`.remote_resource`), what runs on a cluster (:mod:`.cluster_plan`),
what an overlay builder knows (:mod:`.context`), the whole declaration (:mod:`.homelab`), where each part
was declared (:mod:`.origin`) and the repository's ``[tool.homelab]`` settings (:mod:`.project`).

Users import these names from :mod:`homelab` itself; the engine reads them and never changes them."""
