"""`@project`: the project a flow belongs to, its branch, and the system tags a run then carries.

The branch is `user.<user>` by default, `test.<b>` with `--branch b`, `prod` with
`--production`, `prod.<b>` with both (METAFLOW_BRANCH / METAFLOW_PRODUCTION stand in for the
options). `branch=` / `production=` on the decorator itself win, and giving both the decorator
attribute and a different command-line value is an error, as in Metaflow.
"""

import os
import re

from . import _flowopts
from .exceptions import MetaflowException

_INVALID = re.compile(r"[^a-z0-9_]")
_MAX_LEN = 128


class ProjectException(MetaflowException):
    headline = "@project error"


def project_decorator(cls):
    for d in getattr(cls, "_flow_decorators", []) or []:
        if d["name"] == "project":
            return d
    return None


def project_info(cls, user):
    """`current`'s project fields for the flow class, or None without @project."""
    deco = project_decorator(cls)
    if deco is None:
        return None
    from .configs import config_values, resolve_delayed

    attributes = resolve_delayed(dict(deco["attributes"]), config_values(cls))
    name = attributes.get("name")
    given_branch, given_production = _flowopts.project_options()
    branch, production = given_branch, given_production
    if "branch" in attributes:
        if given_branch is not None and attributes["branch"] != given_branch:
            raise ProjectException("You cannot pass branch as both a command-line argument and an attribute of the @project decorator.")
        branch = attributes["branch"]
    if "production" in attributes:
        if given_production and attributes["production"] != given_production:
            raise ProjectException("You cannot pass production as both a command-line argument and an attribute of the @project decorator.")
        production = bool(attributes["production"])
    branch_name = _branch_name(name, branch, production, user)
    return {
        "project_name": name,
        "branch_name": branch_name,
        "is_user_branch": branch is None and not production,
        "is_production": production,
        "project_flow_name": ".".join((str(name), str(branch_name), cls.__name__)),
    }


def _branch_name(name, branch, production, user):
    if not name or not isinstance(name, str):
        raise ProjectException("@project needs a name. Try @project(name='some_name')")
    if _INVALID.search(name):
        raise ProjectException("The @project name must contain only lowercase alphanumeric characters and underscores (got %r)." % name)
    if len(name) > _MAX_LEN:
        raise ProjectException("The @project name must be shorter than %d characters." % _MAX_LEN)
    if branch:
        if _INVALID.search(branch):
            raise ProjectException("The branch name must contain only lowercase alphanumeric characters and underscores (got %r)." % branch)
        if len(branch) > _MAX_LEN:
            raise ProjectException("Branch name is too long. The maximum is %d characters." % _MAX_LEN)
        return ("prod.%s" if production else "test.%s") % branch
    if production:
        return "prod"
    return "user.%s" % os.environ.get("METAFLOW_OWNER", user)


def system_tags(info):
    if not info:
        return []
    return ["project:%s" % info["project_name"], "project_branch:%s" % info["branch_name"]]
