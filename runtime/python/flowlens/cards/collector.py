"""`current.card`: the components a running step adds to its cards, and live refreshes.

One CardManager per @card on the step holds that card's components (in order, by id).
`current.card` (CardCollector) picks the card that `append`/`extend`/`components`/`refresh`
reach, by Metaflow's rules:
- only card types with ALLOW_USER_COMPONENTS are editable;
- one editable card: that one; several: the only one without an id, else none;
- an editable card with `customize=True` wins (when exactly one has it);
- `current.card[id]` reaches any card with that id (when the step has an editable card),
  unless two cards share the id.
A call that cannot be resolved warns once on stderr, adds the warning to the cards (unless
METAFLOW_CARD_NO_WARNING is set), and does nothing else, so the step never fails for it.
"""

import json
import os
import time
import uuid

from .componentstore import ComponentStore, WarningComponent, render_component, warn
from .store import NAME_PATTERN

# A refresh re-renders a card type's whole page at most this often unless its layout changed
# (seconds); Flowlens's own page types are rendered on every due refresh.
RENDER_INTERVAL = float(os.environ.get("METAFLOW_RUNTIME_CARD_RENDER_INTERVAL", "60"))


class CardManager(object):
    """One @card of the running step: its components and its live refreshes."""

    def __init__(self, meta, renderer):
        self.meta = meta
        self._renderer = renderer
        self._components = ComponentStore(meta["type"], meta["id"])
        self._user_data = None
        self._last_refresh = 0.0
        self._last_render = 0.0
        self._rendered_layout = None
        self.render_seq = 0

    @property
    def components(self):
        return self._components

    def append(self, component, id=None):
        self._components.append(component, id=id)

    def extend(self, components):
        self._components.extend(components)

    def clear(self):
        self._components.clear()

    def __iter__(self):
        return iter(self._components)

    def _replace(self, components):
        self._components = ComponentStore(self.meta["type"], self.meta["id"], components)

    def refresh(self, data=None, force=False):
        """Renders the card again while the task runs, at most once per refresh_interval seconds."""
        self._user_data = data
        now = time.time()
        if now - self._last_refresh < float(self.meta["refresh_interval"]):
            return
        self._last_refresh = now
        if self._renderer is None or not self.meta["runtime"]:
            return
        layout_changed = self._rendered_layout != self._components.changed_at
        if force or layout_changed or self.meta["render_every_refresh"] or now - self._last_render > RENDER_INTERVAL:
            self.render_seq += 1
            self._last_render = now
            self._rendered_layout = self._components.changed_at
            self._renderer.runtime(self)
        else:
            self._renderer.runtime_data(self)

    def serialized(self):
        """The rendered components (strings or dicts) the card type receives."""
        out = []
        for c in self._components:
            value = render_component(c)
            if value is not None:
                out.append(value)
        return out

    def latest_data(self, final=False, mode=None):
        """The data a card type's render_runtime / refresh / reload_content_token receive."""
        components = {}
        for c in self._components:
            if getattr(c, "REALTIME_UPDATABLE", False):
                value = render_component(c)
                if value is not None:
                    components[c.component_id] = value
        user = self._user_data
        try:
            json.dumps(user)
        except (TypeError, ValueError):
            warn("The data given to `refresh` cannot be written as JSON: it is ignored.")
            user = {}
        return {
            "user": user,
            "components": components,
            "render_seq": "final" if final else self.render_seq,
            "component_update_ts": self._components.changed_at,
            "mode": mode,
        }


class CardCollector(object):
    """`current.card` in a step with one or more @card."""

    def __init__(self, metas, renderer=None, card_class=None):
        self._no_warnings = bool(os.environ.get("METAFLOW_CARD_NO_WARNING"))
        self._warned = set()
        self._managers = {}
        self._by_id = {}
        self._default = None
        self._metas = list(metas)
        for meta in self._metas:
            self._managers[meta["uuid"]] = CardManager(meta, renderer)
        self._resolve(card_class)

    def _resolve(self, card_class):
        editable = [m for m in self._metas if m["editable"]]
        if not editable:
            return
        ids = [m["id"] for m in self._metas if m["id"] is not None]
        for m in self._metas:
            if m["id"] is not None:
                self._by_id[m["id"]] = m["uuid"]
        if len(editable) == 1:
            self._default = editable[0]["uuid"]
            return
        without_id = [m for m in editable if m["id"] is None]
        if len(without_id) == 1:
            self._default = without_id[0]["uuid"]
        repeated = sorted(set(i for i in ids if ids.count(i) > 1))
        if repeated:
            warn("Several @card decorators have the same id: %s. `current.card['%s']` will not work." % (", ".join(repeated), repeated[0]))
            for i in repeated:
                del self._by_id[i]
        customized = [m for m in editable if m["customize"]]
        if len(customized) > 1:
            warn("Several @card decorators have `customize=True`; only one per step may. `current.card.append` ignores all of them.")
        elif len(customized) == 1:
            self._default = customized[0]["uuid"]

    def managers(self):
        return [self._managers[m["uuid"]] for m in self._metas]

    def _warn_once(self, key, lines):
        if key in self._warned:
            return
        self._warned.add(key)
        warn(" ".join(lines))
        if not self._no_warnings:
            for manager in self._managers.values():
                manager.append(WarningComponent("\n".join(lines)))

    def _unresolved(self, what):
        if len(self._metas) == 1:
            meta = self._metas[0]
            first = ("Card of type `%s` is not an editable card." if meta["exists"] else "Card of type `%s` doesn't exist.") % meta["type"]
            return [first, "`current.card.%s` does nothing in this task." % what, "Use an editable card type (default or blank)."]
        return [
            "`current.card.%s` cannot tell which of the step's editable cards is meant." % what,
            "`current.card.%s` does nothing in this task." % what,
            "Give every @card of the step an `id` and use `current.card[ID]`, or mark one with `customize=True`.",
        ]

    def _target(self, what):
        if self._default is None:
            self._warn_once(what, self._unresolved(what))
            return None
        return self._managers[self._default]

    def append(self, component, id=None):
        target = self._target("append")
        if target is not None:
            target.append(component, id=id)

    def extend(self, components):
        target = self._target("extend")
        if target is not None:
            target.extend(components)

    @property
    def components(self):
        target = self._target("components")
        return None if target is None else target.components

    def clear(self):
        if self._default is not None:
            self._managers[self._default].clear()

    def refresh(self, *args, **kwargs):
        if self._default is not None:
            self._managers[self._default].refresh(*args, **kwargs)

    def get(self, type=None):
        """The cards of the step with that type (a list of card managers)."""
        return [self._managers[m["uuid"]] for m in self._metas if m["type"] == type]

    def __getitem__(self, key):
        if key in self._by_id:
            return self._managers[self._by_id[key]]
        self._warn_once(
            ("getitem", key),
            ["`current.card['%s']` is not a card of this step: set `id='%s'` on its @card to reach it." % (key, key),
             "`current.card['%s']` gives an empty list that is not part of any card." % key],
        )
        return []

    def __setitem__(self, key, value):
        if key not in self._by_id:
            warn("`current.card['%s']` is not a card of this step: set `id='%s'` on its @card to reach it." % (key, key))
            return
        if not isinstance(value, list):
            warn("`current.card['%s']` is set to a list of components, not %s: it is left as it was." % (key, type(value).__name__))
            return
        self._managers[self._by_id[key]]._replace(value)


def card_metas(decorators, card_class):
    """The cards of a step from its @card attribute dicts (top first), with their uuid and rules."""
    metas = []
    for attrs in decorators:
        cls = card_class(attrs.get("type"))
        card_id = attrs.get("id")
        if card_id is not None and not NAME_PATTERN.match(str(card_id)):
            warn("@card id '%s' is not letters, digits and underscores: the card is stored without an id and `current.card['%s']` does not reach it." % (card_id, card_id))
            card_id = None
        metas.append({
            "uuid": uuid.uuid4().hex,
            "type": attrs.get("type"),
            "id": card_id,
            "attributes": attrs,
            "options": attrs.get("options") or {},
            "editable": bool(cls is not None and cls.ALLOW_USER_COMPONENTS),
            "runtime": bool(cls is not None and cls.RUNTIME_UPDATABLE),
            "render_every_refresh": bool(getattr(cls, "RENDER_EVERY_REFRESH", False)),
            "exists": cls is not None,
            "customize": str(attrs.get("customize")) == "True",
            "refresh_interval": attrs.get("refresh_interval", 5) or 0,
        })
    return metas
