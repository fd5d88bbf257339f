"""`metaflow.client`: Metaflow's client API module path (`from metaflow.client import Flow`), served
by Flowlens's client (`flowlens.client`); names load on first use, as there."""

from flowlens import client as _client

__all__ = list(_client.__all__)


def __getattr__(name):
    return getattr(_client, name)
