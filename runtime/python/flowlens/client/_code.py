"""`Run.code`: the code package the run record names (`code_package.key`, a tarball)."""

import io
import json
import os
import tarfile
import tempfile

from ._decode import load_json
from .exceptions import MetaflowException


class MetaflowCode:
    def __init__(self, run, package, flow_file):
        self._run = run
        self._layout = run._layout
        self.key = package["key"]
        self.sha = package.get("sha")
        self._flow_file = flow_file
        self._bytes = None

    @property
    def path(self):
        return self._layout.store.url(self.key)

    def _tar_bytes(self):
        if self._bytes is None:
            body = self._layout.store.get(self.key)
            if body is None:
                raise MetaflowException(
                    "The code package of run %s is missing: %s" % (self._run.pathspec, self.path)
                )
            self._bytes = body
        return self._bytes

    @property
    def tarball(self):
        """The package as an open tarfile.TarFile (gzip or plain)."""
        try:
            return tarfile.open(fileobj=io.BytesIO(self._tar_bytes()), mode="r:*")
        except tarfile.TarError as e:
            raise MetaflowException("The code package %s is not a tar archive: %s" % (self.path, e)) from e

    @property
    def info(self):
        """The package's INFO record (Metaflow's), when it has one."""
        with self.tarball as tar:
            for name in ("INFO", ".flowlens/INFO", "INFO.json"):
                try:
                    member = tar.extractfile(name)
                except KeyError:
                    continue
                if member is not None:
                    return load_json(member.read())
        return None

    def _script_names(self):
        names = []
        info = self.info or {}
        if info.get("script"):
            names.append(info["script"])
        if self._flow_file:
            names.append(os.path.basename(self._flow_file))
        return names

    @property
    def script_name(self):
        names = self._script_names()
        return names[0] if names else None

    @property
    def flowspec(self):
        """The text of the flow file as it was when the run started."""
        with self.tarball as tar:
            members = tar.getnames()
            for name in self._script_names():
                for candidate in members:
                    if candidate == name or candidate.endswith("/" + name) or os.path.basename(candidate) == name:
                        f = tar.extractfile(candidate)
                        if f is not None:
                            return f.read().decode("utf-8")
        raise MetaflowException(
            "The flow file %s is not in the code package %s (it holds: %s)"
            % (self._flow_file, self.path, ", ".join(members[:20]))
        )

    def extract(self):
        """Unpacks the package into a new temporary folder and returns it (a TemporaryDirectory)."""
        tmp = tempfile.TemporaryDirectory(prefix="flowlens-code-")
        with self.tarball as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp.name, filter="data")  # no absolute paths, links out, or devices
            else:  # Pythons before the extraction filters (3.8.17 / 3.9.17 / 3.10.12 / 3.11.4)
                tar.extractall(tmp.name)
        return tmp

    def __repr__(self):
        return "MetaflowCode(%s)" % json.dumps(self.path)
