"""Build hook: the geoparser's hot modules compiled with mypyc when a wheel is built (``pip install .``).

Which modules and how: ``[tool.hatch.build.targets.wheel.hooks.custom]`` in pyproject.toml. The compiling
is hatch-mypyc's; this hook only decides when, and tidies up:

- an editable install (``pip install -e .``) stays pure Python, so that an edit takes effect at once;
- ``GEOMAP_PURE_PYTHON=1`` asks for a pure-Python wheel;
- where compiling fails (no C compiler, no Python headers) the wheel is pure Python, with a warning:
  the same code, only slower;
- mypyc leaves the compiled files beside the sources; once they are in the wheel they are removed, or
  they would shadow the sources of a later editable install in the same checkout.

In the compiled modules, module-level constants are ``Final``: mypyc then reads them as C constants and
statics, where a plain module global is a dictionary lookup at every use.
"""

from __future__ import annotations

import os
from typing import Any

from hatch_mypyc.plugin import MypycBuildHook


class CompiledGeoparser(MypycBuildHook):  # type: ignore[misc]  # hatch-mypyc has no type hints
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable" or os.environ.get("GEOMAP_PURE_PYTHON", "") not in ("", "0"):
            return
        try:
            super().initialize(version, build_data)
        except Exception as err:  # hatch-mypyc raises a bare Exception with the compiler's output
            self.clean([version])
            reason = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
            self.app.display_warning(f"geomap: mypyc could not compile ({reason}); building pure Python")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        self.clean([version])


def get_build_hook() -> type[CompiledGeoparser]:
    return CompiledGeoparser
