"""The apps, one module each: props, a ``base(scope)`` builder, per-cluster builders and ``APP``."""
