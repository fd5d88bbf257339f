"""Configs, @project, the user, parameters from the environment, constants, and mutators, as a task sees them."""

import json

import pytest

CONFIG_FLOW = '''
import json, os
from metaflow import FlowSpec, Config, Parameter, config_expr, current, environment, project, step

def parse_pairs(text):
    return dict(line.split("=", 1) for line in text.split())

def plus_one(ctx):
    return ctx.configs.limits.size + 1

def computed(ctx):
    return {"who": ctx.parameter_name}

@project(name=config_expr("settings.project"))
class CfgFlow(FlowSpec):
    size = Parameter("size", default=config_expr("limits").size, type=int)
    bigger = Parameter("bigger", default=plus_one, type=int)
    label = "fixed"
    settings = Config("settings", default_value={"project": "shop", "nested": {"depth": 2}, "word": "hi"})
    limits = Config("limits", default="limits.json")
    pairs = Config("pairs", default="pairs.txt", parser=parse_pairs)
    made = Config("made", default_value=computed)
    absent = Config("absent")

    @environment(vars={"WORD": settings.word, "DEPTH": config_expr("str(settings.nested.depth)")})
    @step
    def start(self):
        self.seen = {
            "env": (os.environ["WORD"], os.environ["DEPTH"]),
            "attr": self.settings.nested.depth, "item": self.settings["nested"]["depth"],
            "params": (self.size, self.bigger), "pairs": dict(self.pairs), "made": dict(self.made),
            "absent": self.absent, "project": (current.project_name, current.branch_name, current.project_flow_name, current.is_production),
        }
        errors = []
        for attempt in (lambda: setattr(self.settings, "word", "x"), lambda: self.settings.__setitem__("word", "x")):
            try:
                attempt()
            except TypeError:
                errors.append("TypeError")
        for name in ("settings", "label"):
            try:
                setattr(self, name, 1)
            except AttributeError:
                errors.append("AttributeError")
        self.errors = errors
        self.next(self.end)

    @step
    def end(self):
        pass
'''


@pytest.fixture
def config_files(tmp_path):
    (tmp_path / "limits.json").write_text(json.dumps({"size": 3}))
    (tmp_path / "pairs.txt").write_text("a=1 b=2")
    return tmp_path


def _start(r, **params):
    p = r.params(**params)
    result, path = r.run("start", [p])
    assert result["ok"], result
    return r.artifacts(p), r.artifacts(path)


def test_configs_from_defaults_in_decorators_and_parameter_defaults(runner_for, config_files):
    r = runner_for(CONFIG_FLOW, "CfgFlow")
    stored, art = _start(r)
    seen = art["seen"]
    assert seen["env"] == ("hi", "2")
    assert seen["attr"] == seen["item"] == 2
    assert seen["params"] == (3, 4)
    assert seen["pairs"] == {"a": "1", "b": "2"}
    assert seen["made"] == {"who": "made"}
    assert seen["absent"] is None
    assert seen["project"] == ("shop", "user.tester", "shop.user.tester.CfgFlow", False)
    assert art["errors"] == ["TypeError", "TypeError", "AttributeError", "AttributeError"]
    # Stored with the run as plain values, under the attribute and all together in _configs.
    assert type(stored["settings"]) is dict and stored["settings"]["nested"] == {"depth": 2}
    assert stored["_configs"]["limits"] == {"size": 3}
    assert stored["label"] == "fixed" and art["label"] == "fixed"


def test_command_line_configs_win_over_the_environment(runner_for, config_files, monkeypatch):
    (config_files / "other.json").write_text(json.dumps({"size": 10}))
    monkeypatch.setenv("METAFLOW_FLOW_CONFIG_VALUE", json.dumps({"made": {"who": "env"}}))
    monkeypatch.setenv("FLOWLENS_FLOW_OPTIONS", json.dumps({"config": [["limits", str(config_files / "other.json")]], "branch": "feat"}))
    r = runner_for(CONFIG_FLOW, "CfgFlow")
    _, art = _start(r)
    assert art["seen"]["params"] == (10, 11)
    assert art["seen"]["made"] == {"who": "env"}  # --config-value not given: its environment variable applies
    assert art["seen"]["project"][1:3] == ("test.feat", "shop.test.feat.CfgFlow")


def test_environment_configs_and_production(runner_for, config_files, monkeypatch):
    (config_files / "prod.txt").write_text("z=9")
    monkeypatch.setenv("METAFLOW_FLOW_CONFIG", json.dumps({"pairs": "prod.txt"}))
    monkeypatch.setenv("METAFLOW_FLOW_CONFIG_VALUE", json.dumps({"limits": {"size": 5}}))
    monkeypatch.setenv("METAFLOW_PRODUCTION", "True")
    r = runner_for(CONFIG_FLOW, "CfgFlow")
    _, art = _start(r)
    assert art["seen"]["pairs"] == {"z": "9"}
    assert art["seen"]["params"] == (5, 6)
    assert art["seen"]["project"][1] == "prod" and art["seen"]["project"][3] is True


@pytest.mark.parametrize(
    "options, message",
    [
        ({"config_value": [["limits", "{not json"]]}, "is not valid JSON"),
        ({"config": [["limits", "/nonexistent/x.json"]]}, "could not be read for 'limits'"),
        ({"config_value": [["nope", "{}"]]}, "has no configuration named 'nope'"),
    ],
)
def test_bad_configs_fail_with_one_clear_message(runner_for, config_files, monkeypatch, options, message):
    monkeypatch.setenv("FLOWLENS_FLOW_OPTIONS", json.dumps(options))
    try:
        r = runner_for(CONFIG_FLOW, "CfgFlow")
    except Exception as e:  # a config read while the class body runs fails the import
        assert message in str(e)
        return
    result, _ = r.run("_parameters", (), parameters={})
    assert not result["ok"] and message in result["failure"]["headline"], result


def test_a_required_config_without_value_is_refused(runner_for, tmp_path):
    src = '''
from metaflow import FlowSpec, Config, step

class R(FlowSpec):
    must = Config("must", required=True)

    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    r = runner_for(src, "R")
    result, _ = r.run("_parameters", (), parameters={})
    assert not result["ok"] and "missing configuration for 'must'" in result["failure"]["headline"]


def test_later_tasks_of_a_run_reuse_the_stored_configs(runner_for, config_files):
    from flowlens import _flowopts

    r = runner_for(CONFIG_FLOW, "CfgFlow")
    p = r.params()
    (config_files / "limits.json").write_text(json.dumps({"size": 99}))
    _flowopts.set_task_context({"flowName": "CfgFlow", "ref": {"runId": "1", "step": "start"}})
    try:
        stored = _flowopts.stored_configs("CfgFlow")
        assert stored is not None and stored["limits"] == {"size": 3}
        assert _flowopts.stored_configs("OtherFlow") is None
    finally:
        _flowopts.set_task_context({})
    assert r.artifacts(p)["limits"] == {"size": 3}


def test_the_project_tags_are_recorded_with_the_run(runner_for, config_files):
    r = runner_for(CONFIG_FLOW, "CfgFlow")
    r.params()
    with open(str(config_files / ".metaflow" / "CfgFlow" / "1" / "_flowlens" / "system_tags.json")) as f:
        assert json.load(f) == {"system_tags": ["project:shop", "project_branch:user.tester"]}


PARAMS_FLOW = '''
import os
from metaflow import FlowSpec, IncludeFile, Parameter, current, step

os.environ["METAFLOW_RUN_FROM_MODULE"] = "set-by-module"
with open("included.txt", "w") as f:
    f.write("made at import")

class P(FlowSpec):
    flag = Parameter("flag", default=True)
    from_module = Parameter("from_module", default="default")
    words = Parameter("words", default="a,b", separator=",")
    text = IncludeFile("text", default="included.txt")
    missing = IncludeFile("missing", required=False)

    @step
    def start(self):
        self.names = sorted(current.parameter_names)
        self.next(self.end)

    @step
    def end(self):
        pass
'''


def test_parameters_from_the_environment_separator_and_include_files(runner_for, monkeypatch):
    monkeypatch.setenv("METAFLOW_RUN_FLAG", "False")
    r = runner_for(PARAMS_FLOW, "P")
    art = r.artifacts(r.params())
    assert art["flag"] is False
    assert art["from_module"] == "set-by-module"
    assert art["words"] == ["a", "b"]
    assert art["text"] == "made at import"
    assert art["missing"] is None
    # A value on the command line wins over the environment.
    r2 = runner_for(PARAMS_FLOW, "P")
    assert r2.artifacts(r2.params(flag="true"))["flag"] is True


MUTATOR_FLOW = '''
from metaflow import FlowSpec, FlowMutator, StepMutator, Parameter, UserStepDecorator, step, user_step_decorator

class AddEnv(StepMutator):
    def mutate(self, mutable_step):
        mutable_step.add_decorator("environment", deco_kwargs={"vars": {"ADDED": "yes"}})

class AddParam(FlowMutator):
    def pre_mutate(self, mutable_flow):
        mutable_flow.add_parameter("extra", Parameter("extra", default=7))

class Around(UserStepDecorator):
    def pre_step(self, step_name, flow, inputs=None):
        flow.order = ["pre:" + step_name]

    def post_step(self, step_name, flow, exception=None):
        flow.order = flow.order + ["post"]

@user_step_decorator
def swallow(step_name, flow, inputs=None, attributes=None):
    try:
        yield
    except ValueError:
        flow.swallowed = True
        flow.next(flow.end)

@AddParam
class M(FlowSpec):
    @AddEnv
    @Around
    @step
    def start(self):
        import os
        self.added = os.environ.get("ADDED")
        self.order = self.order + ["body"]
        self.next(self.middle)

    @swallow
    @step
    def middle(self):
        raise ValueError("handled by the decorator")

    @step
    def end(self):
        pass
'''


def test_mutators_and_user_step_decorators(runner_for):
    r = runner_for(MUTATOR_FLOW, "M")
    p = r.params()
    assert r.artifacts(p)["extra"] == 7
    result, path = r.run("start", [p])
    assert result["ok"], result
    art = r.artifacts(path)
    assert art["added"] == "yes"
    assert art["order"] == ["pre:start", "body", "post"]
    result, path = r.run("middle", [path])
    assert result["ok"], result
    assert r.artifacts(path)["swallowed"] is True


JOIN_FLOW = '''
from metaflow import FlowSpec, Config, step

class J(FlowSpec):
    rate = 0.5
    cfg = Config("cfg", default_value={"k": 1})

    @step
    def start(self):
        self.next(self.a, self.b)

    @step
    def a(self):
        self.next(self.join)

    @step
    def b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.seen = (self.rate, self.cfg.k)
        self.next(self.end)

    @step
    def end(self):
        pass
'''


def test_a_join_carries_the_configs_and_constants(runner_for):
    from helpers import graph

    g = graph(start=("split-static", ["a", "b"]), a=("linear", ["join"]), b=("linear", ["join"]), join=("join", ["end"]), end=("end", []))
    r = runner_for(JOIN_FLOW, "J", g)
    _, start = r.run("start", [r.params()])
    branches = [r.run(step, [start])[1] for step in ("a", "b")]
    result, join = r.run("join", branches)
    assert result["ok"], result
    art = r.artifacts(join)
    assert art["seen"] == (0.5, 1)
    assert art["rate"] == 0.5 and art["cfg"] == {"k": 1}
