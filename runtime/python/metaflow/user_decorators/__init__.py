"""Metaflow's `metaflow.user_decorators` names, implemented by `flowlens.mutators` and `flowlens.mutable`."""
