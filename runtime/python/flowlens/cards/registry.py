"""Card types by name: the built-in ones, Metaflow's test types, and installed extensions.

An extension package puts card modules under `metaflow_extensions.<org>.plugins.cards`: the
`cards` package itself, its `mfextinit_*.py` modules and its sub-packages may each define a
`CARDS` list of card classes. A module that fails to import is left out (the flow still
runs); the failure is kept and named when a step asks for a type that is then missing.
"""

import importlib
import importlib.util
import os

from .testcards import TEST_CARDS
from .types import BUILTIN_CARDS

_cards = None
_failures = []


def _extension_modules():
    """Module names that may hold a CARDS list, in every installed metaflow_extensions org."""
    try:
        spec = importlib.util.find_spec("metaflow_extensions")
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    names = []
    for root in spec.submodule_search_locations:
        try:
            orgs = sorted(os.listdir(root))
        except OSError:
            continue
        for org in orgs:
            folder = os.path.join(root, org, "plugins", "cards")
            if not os.path.isdir(folder):
                continue
            base = "metaflow_extensions.%s.plugins.cards" % org
            if os.path.isfile(os.path.join(folder, "__init__.py")):
                names.append(base)
            for entry in sorted(os.listdir(folder)):
                path = os.path.join(folder, entry)
                if entry.startswith("mfextinit_") and entry.endswith(".py"):
                    names.append("%s.%s" % (base, entry[:-3]))
                elif os.path.isdir(path) and os.path.isfile(os.path.join(path, "__init__.py")):
                    names.append("%s.%s" % (base, entry))
    return names


def _load_extensions():
    found = []
    for name in _extension_modules():
        try:
            module = importlib.import_module(name)
        except Exception as e:  # a broken card module must not break the flow
            _failures.append("%s (%s: %s)" % (name, type(e).__name__, e))
            continue
        for cls in getattr(module, "CARDS", None) or []:
            if getattr(cls, "type", None):
                found.append(cls)
    return found


def all_cards():
    """Every known card class; the first class of a type wins (built-ins first)."""
    global _cards
    if _cards is None:
        _cards = []
        seen = set()
        for cls in BUILTIN_CARDS + TEST_CARDS + _load_extensions():
            if cls.type not in seen:
                seen.add(cls.type)
                _cards.append(cls)
    return _cards


def card_class(card_type):
    """The card class of a type name, or None."""
    for cls in all_cards():
        if cls.type == card_type:
            return cls
    return None


def missing_type_message(card_type):
    text = "No card type named %r is installed (known types: %s)." % (card_type, ", ".join(sorted(c.type for c in all_cards())))
    if _failures:
        text += " These card modules failed to import: %s." % "; ".join(_failures)
    return text
