"""The key map in store/keys.py's docstring is what its functions build: the map cannot drift from the code."""

from __future__ import annotations

import inspect

from chalicelib.store import keys


def test_every_key_function_is_in_the_map_with_the_key_it_builds() -> None:
    builders = {
        name: fn
        for name, fn in inspect.getmembers(keys, inspect.isfunction)
        if fn.__module__ == keys.__name__ and name != "sorted_by"
    }
    assert len(builders) >= 25
    doc = keys.__doc__ or ""
    for name, build in builders.items():
        params = list(inspect.signature(build).parameters)
        built = build(*[f"{{{p}}}" for p in params])
        line = next((ln for ln in doc.splitlines() if ln.split() and ln.split()[0] == built), "")
        assert line, f"{name}: {built} is not in the map"
        assert name in line.split()[1].rstrip(":"), f"{name}: the map names {line.split()[1]} for {built}"


def test_sort_keys_join_their_parts() -> None:
    assert keys.sorted_by("2026-11-23T02:00:00.000Z", "YC1") == "2026-11-23T02:00:00.000Z#YC1"
