"""The flow's graph as Python code sees it: `FlowSpec._graph`, `FlowSpec._steps`, `iter(flow)`.

Metaflow builds this from each step's source when the class is defined; tests and libraries
read it (`flow._graph[name].type`, `.in_funcs`, `.out_funcs`, `for step in flow`). Flowlens
builds it on first use from the same source (most tasks never ask, and parsing costs an
import of `inspect` and `ast`), with Metaflow's node types: start, linear, split, foreach,
split-switch, join, end.
"""

import ast
import inspect
import textwrap

from ._classfacts import facts_of


class GraphNode(object):
    """One step: its name, type and edges, under the attribute names Metaflow's nodes use."""

    def __init__(self, name, func):
        self.name = name
        self.func_name = name
        self.type = None
        self.out_funcs = []
        self.in_funcs = []
        self.num_args = func.__code__.co_argcount
        self.decorators = list(getattr(func, "decorators", []))
        self.doc = inspect.cleandoc(func.__doc__) if func.__doc__ else ""
        self.func_lineno = func.__code__.co_firstlineno
        self.source_file = func.__code__.co_filename
        self.foreach_param = None
        self.num_parallel = 0
        self.parallel_foreach = False
        self.parallel_step = any(getattr(d, "name", None) == "parallel" for d in self.decorators)
        self.condition = None
        self.switch_cases = {}
        self.split_parents = []
        self.matching_join = None
        self.is_inside_foreach = False
        self.has_tail_next = False

    def __repr__(self):
        return "<step %s (%s) -> %s>" % (self.name, self.type, ", ".join(self.out_funcs))


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None


def _self_attr(node):
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _parse_tail(node, func):
    """Fills the node's transition from the step's last statement, as Metaflow reads it."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
        tree = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return
    body = getattr(tree, "body", None)
    tail = body[-1] if isinstance(body, list) and body else None
    call = tail.value if isinstance(tail, ast.Expr) else None
    if not isinstance(call, ast.Call) or _self_attr(call.func) != "next":
        return
    node.has_tail_next = True
    keywords = {k.arg: k.value for k in call.keywords}
    if len(call.args) == 1 and isinstance(call.args[0], ast.Dict) and "condition" in keywords:
        cases = {}
        for key, value in zip(call.args[0].keys, call.args[0].values):
            cases[_literal(key) if key is not None else None] = _self_attr(value)
        node.type = "split-switch"
        node.condition = _literal(keywords["condition"])
        node.switch_cases = cases
        node.out_funcs = [v for v in cases.values() if v]
        return
    node.out_funcs = [a for a in (_self_attr(arg) for arg in call.args) if a]
    if "foreach" in keywords:
        node.type = "foreach"
        node.foreach_param = _literal(keywords["foreach"])
    elif "num_parallel" in keywords:
        node.type = "foreach"
        node.parallel_foreach = True
        node.num_parallel = _literal(keywords["num_parallel"]) or 0
    elif len(node.out_funcs) > 1:
        node.type = "split"
    elif len(node.out_funcs) == 1:
        node.type = "join" if node.num_args > 1 else "linear"


class FlowGraph(object):
    """Steps by name (iteration in name order, as Metaflow's), with in/out edges and matching joins."""

    def __init__(self, cls):
        self.name = cls.__name__
        self.nodes = {}
        funcs = {}
        for attr in sorted(dir(cls)):
            if attr.startswith("_"):
                continue  # never a step name, and `_graph` itself is built here
            func = getattr(cls, attr, None)
            if callable(func) and getattr(func, "is_step", False):
                node = GraphNode(attr, func)
                _parse_tail(node, func)
                self.nodes[attr] = node
                funcs[attr] = func
        self._funcs = funcs
        self.start_step = self._pick("start_annotated", "start")
        self.end_step = self._pick("end_annotated", "end")
        if len(self.nodes) == 1:
            self.start_step = self.end_step = next(iter(self.nodes))
        if self.start_step and self.start_step == self.end_step:
            self.nodes[self.start_step].type = "end"
        else:
            if self.start_step and self.nodes[self.start_step].type in (None, "linear"):
                self.nodes[self.start_step].type = "start"
            if self.end_step:
                self.nodes[self.end_step].type = "end"
        self.sorted_nodes = []
        if self.start_step:
            self._traverse(self.nodes[self.start_step], [], [])
        for node in self.nodes.values():
            node.in_funcs = sorted(set(node.in_funcs))
            foreaches = [p for p in node.split_parents if self.nodes[p].type == "foreach"]
            node.is_inside_foreach = any(self.nodes[f].matching_join != node.name for f in foreaches)

    def _pick(self, flag, fallback):
        marked = [name for name, func in self._funcs.items() if getattr(func, flag, False)]
        if len(marked) == 1:
            return marked[0]
        return fallback if not marked and fallback in self.nodes else None

    def _traverse(self, node, seen, split_parents):
        if node.name in self.sorted_nodes:
            self.sorted_nodes.remove(node.name)
        self.sorted_nodes.append(node.name)
        node.split_parents = list(split_parents)
        if node.type in ("split", "foreach"):
            split_parents = split_parents + [node.name]
        elif node.type == "join" and split_parents:
            self.nodes[split_parents[-1]].matching_join = node.name
            split_parents = split_parents[:-1]
        for name in node.out_funcs:
            if name not in seen and name in self.nodes:
                child = self.nodes[name]
                child.in_funcs.append(node.name)
                self._traverse(child, seen + [name], split_parents)

    def __getitem__(self, name):
        return self.nodes[name]

    def __contains__(self, name):
        return name in self.nodes

    def __iter__(self):
        return iter(self.nodes.values())

    def __len__(self):
        return len(self.nodes)


class ClassGraph(object):
    """A class-level attribute built once per flow class on first read (`_graph`, `_steps`)."""

    def __init__(self, build):
        self.build = build

    def __set_name__(self, owner, name):
        self.attr = name

    def __get__(self, obj, cls):
        built = facts_of(cls).built
        cached = built.get(self.attr)
        if cached is None:
            cached = built[self.attr] = self.build(cls)
        return cached


def build_graph(cls):
    return FlowGraph(cls)


def build_steps(cls):
    return [getattr(cls, node.name) for node in cls._graph]
