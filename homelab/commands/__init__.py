"""The ``homelab`` commands, one module each: a typed options class built from the parsed arguments
(``Options.from_args``) and ``run(options) -> int``. :mod:`homelab.cli` holds the argparse tables."""
