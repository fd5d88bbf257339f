"""`metaflow.plugins`: the plugin modules whose names flows and tests import."""
