"""`forge-scaffold modes` prints the catalog that decides what the template emits."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from forge_scaffold.catalog import load_catalog
from forge_scaffold.cli import app


def test_modes_json_is_the_catalog(runner: CliRunner) -> None:
    result = runner.invoke(app, ["modes", "--json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    catalog = load_catalog()
    assert [m["name"] for m in payload] == list(catalog.names)
    for entry, mode in zip(payload, catalog.modes, strict=True):
        assert entry["files"] == list(mode.files)
        assert entry["always_on"] is (mode.name == "python")


def test_modes_table_names_every_mode_and_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["modes"])
    assert result.exit_code == 0, result.stderr
    for mode in load_catalog().modes:
        assert mode.name in result.stdout
        for file in mode.files:
            assert file in result.stdout
