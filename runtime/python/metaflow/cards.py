"""`metaflow.cards`: cards are not supported by Flowlens; importing it says so."""

raise ImportError("metaflow.cards is not supported by Flowlens (cards are not rendered): remove @card and card components to run here.")
