from __future__ import annotations

import subprocess
import sys

import pytest

import geomap


@pytest.mark.parametrize("name", geomap.__all__)
def test_public_names_resolve(name: str) -> None:
    assert getattr(geomap, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = geomap.nope


def test_importing_geomap_leaves_pandas_and_folium_for_later() -> None:
    code = "import sys, geomap; print('pandas' in sys.modules, 'folium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
