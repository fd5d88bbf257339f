"""`metaflow.plugins.cards`: where Metaflow keeps its card plugin."""
