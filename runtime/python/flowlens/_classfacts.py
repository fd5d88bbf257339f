"""What the runtime records about a flow class, kept beside the class rather than on it.

Finishing a class (`_finalize`) replaces some of its attributes (configs by their values,
parameters and constants by read-only properties) and builds its graph once. The originals and
the results are recorded here, per class object (a subclass has its own), so that the class,
and so `dir(self)` in a step, shows only what the user's code and Metaflow's API define.
"""

import weakref
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass(eq=False)
class ClassFacts:
    finalized: bool = False
    # attribute name -> Parameter / Config, once the class attributes were replaced.
    parameters: Optional[Dict[str, Any]] = None
    configs: Optional[Dict[str, Any]] = None
    # Names of the class-level constants, and of every read-only artifact (configs and constants).
    constants: Optional[List[str]] = None
    fixed_names: Optional[List[str]] = None
    # The FlowMutators decorating this class itself (not its bases), top-first.
    mutators: List[Any] = field(default_factory=list)
    # Values built once on first read (`_graph`, `_steps`): attribute name -> value.
    built: Dict[str, Any] = field(default_factory=dict)


_FACTS: "weakref.WeakKeyDictionary[type, ClassFacts]" = weakref.WeakKeyDictionary()


def facts_of(cls) -> ClassFacts:
    facts = _FACTS.get(cls)
    if facts is None:
        facts = _FACTS[cls] = ClassFacts()
    return facts
