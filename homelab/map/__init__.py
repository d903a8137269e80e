"""``homelab map``: the whole homelab in one self-contained HTML page, drawn from the synthesised model.

:mod:`~homelab.map.extract` reads what one app's rendered objects say (addresses, databases, volumes, sealed
secrets, charts, how the objects link), :mod:`~homelab.map.model` gathers them per cluster into the map's
JSON, :mod:`~homelab.map.since` compares it with the map of a git revision, :mod:`~homelab.map.html`
writes the page (its script and styles in ``assets/``). Secret values never enter the map: only names and keys.
"""
