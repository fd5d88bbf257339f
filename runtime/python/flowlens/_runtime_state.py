"""Process-wide flags the harness sets; kept in their own module to avoid import cycles."""

# True while the harness imports a flow module, so that `MyFlow()` at its bottom does nothing.
loading_flow_module = False
