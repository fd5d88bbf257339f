"""`metaflow.plugins.cards.card_modules.card`: MetaflowCard and MetaflowCardComponent."""

from flowlens.cards.base import MetaflowCard, MetaflowCardComponent, new_component_id as create_component_id, with_default_component_id  # noqa: F401
