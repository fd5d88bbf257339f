"""The flow's graph as the `dag` component of a card, in the shape Metaflow's card UI draws.

`graph` may be Metaflow's `_graph_info` (a dict with "steps"), just its steps mapping
`{step: {"type", "next", "doc"?, "matching_join"?, "condition"?, "switch_cases"?}}`, or
Flowlens's `FlowGraph` (flowlens._graph). Step types of either vocabulary are accepted:
Metaflow's `_graph_info` (split-static, split-foreach, split-parallel, split-switch) and
FlowGraph's (split, foreach, split-switch).
"""

_UI_TYPES = {
    "start": "start",
    "linear": "linear",
    "join": "join",
    "end": "end",
    "split": "split",
    "split-static": "split",
    "split-and": "split",
    "foreach": "foreach",
    "split-foreach": "foreach",
    "split-parallel": "foreach",
    "split-switch": "switch",
    "switch": "switch",
}


def _steps_of_flow_graph(graph):
    steps = {}
    for name, node in graph.nodes.items():
        steps[name] = {
            "type": node.type or "linear",
            "next": list(node.out_funcs),
            "doc": node.doc,
            "matching_join": node.matching_join,
            "condition": node.condition,
            "switch_cases": node.switch_cases,
        }
    return steps, getattr(graph, "start_step", None), getattr(graph, "end_step", None)


def _steps(graph):
    if hasattr(graph, "nodes"):
        return _steps_of_flow_graph(graph)
    inner = graph.get("steps")
    if isinstance(inner, dict) and not isinstance(inner.get("type"), str):  # not a step named "steps"
        return inner, graph.get("start_step"), graph.get("end_step")
    return graph, None, None


def dag_data(graph):
    """The `data` of a dag component: {"steps": {...}, "start_step", "end_step"}."""
    steps, start, end = _steps(graph)
    out = {}
    for name, info in steps.items():
        kind = str(info.get("type") or "linear")
        node = {
            "type": _UI_TYPES.get(kind, "unknown"),
            "box_next": kind not in ("linear", "join"),
            "box_ends": info.get("matching_join") or None,
            "next": [str(n) for n in info.get("next") or []],
            "doc": str(info.get("doc") or ""),
        }
        if node["type"] == "switch":
            if info.get("condition") is not None:
                node["condition"] = str(info["condition"])
            if info.get("switch_cases"):
                node["switch_cases"] = {str(k): str(v) for k, v in info["switch_cases"].items()}
        out[str(name)] = node
    return {
        "steps": out,
        "start_step": start or ("start" if "start" in out else None),
        "end_step": end or ("end" if "end" in out else None),
    }


def dag_component(graph):
    return {"type": "dag", "data": dag_data(graph)}


def parameter_names(graph):
    """The flow's parameter names when `graph` is a `_graph_info` (its "parameters" list), else none."""
    params = graph.get("parameters") if isinstance(graph, dict) else None
    if not isinstance(params, list):
        return []
    return [p["name"] if isinstance(p, dict) else str(p) for p in params if isinstance(p, (dict, str))]
