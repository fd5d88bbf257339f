"""`metaflow.plugins.cards.card_modules.test_cards`: the card types of Metaflow's test suite."""

from flowlens.cards.testcards import (  # noqa: F401
    _components_digest as _component_values_to_hash,
    TestEditableCard,
    TestEditableCard2,
    TestErrorCard,
    TestImageCard,
    TestJSONComponent,
    TestMockCard,
    TestNonEditableCard,
    TestPathSpecCard,
    TestRefreshCard,
    TestRefreshComponentCard,
    TestStringComponent,
    TestTimeoutCard,
)
