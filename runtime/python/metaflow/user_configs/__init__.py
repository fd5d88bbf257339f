"""Metaflow's `metaflow.user_configs` names, implemented by `flowlens.configs`."""
