"""Cards: reports a step makes (`@card`), stored in Metaflow's card layout.

The runtime side (decorator wiring, `current.card`, card types, the page writer, storage,
live refresh, the client) lives in the modules beside this file; the component classes a
step appends live in `components/`. The README beside the runtime explains the split.
"""
