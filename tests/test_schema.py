"""The JSON Schemas editors' tools use: generated from the model, committed, and in sync with it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import REPO
from generator.cli import main
from generator.config import load_settings
from generator.errors import Problems
from generator.read import read_article_file, read_yaml_file
from generator.schema import claim_schema, schema_files


def test_committed_schemas_match_the_model() -> None:
    """Fails when a field is added or changed in generator/model.py without running `claimline schema`."""
    settings = load_settings(REPO)
    for path, data in schema_files(settings).items():
        assert path.read_bytes() == data, f"{path.relative_to(REPO)} is stale: run claimline schema"


def test_schema_check_command_detects_drift(sample_project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["schema", "--check", "--project", str(sample_project)]).exit_code == 0
    schema = sample_project / "claims" / "claim.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"statement"', '"statment"', 1), "utf-8")
    result = runner.invoke(main, ["schema", "--check", "--project", str(sample_project)])
    assert result.exit_code == 1
    assert "claims/claim.schema.json: out of date; run claimline schema" in result.output
    assert runner.invoke(main, ["schema", "--project", str(sample_project)]).output == \
        "Wrote claims/claim.schema.json\n"
    assert runner.invoke(main, ["schema", "--check", "--project", str(sample_project)]).exit_code == 0


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / name).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", sorted((REPO / "claims").glob("*.yaml")), ids=lambda p: p.name)
def test_every_sample_claim_validates_against_the_schema(path: Path) -> None:
    doc = read_yaml_file(path, Problems())
    errors = [e.message for e in _validator("claims/claim.schema.json").iter_errors(doc.data)]
    assert errors == []


@pytest.mark.parametrize("path", sorted((REPO / "content").glob("*.txt")) + sorted((REPO / "content").glob("*.md")),
                         ids=lambda p: p.name)
def test_every_sample_article_front_matter_validates(path: Path) -> None:
    source = read_article_file(path, Problems())
    errors = [e.message for e in _validator("content/article.schema.json").iter_errors(source.meta.data)]
    assert errors == []


@pytest.mark.parametrize("claim, problem", [
    ({"statement": "s", "claimant": "c", "date": "2021", "rating": "false", "statment": "x"}, "statment"),
    ({"statement": "s", "claimant": "c", "date": "2021", "rating": "mostly-flase"}, "mostly-flase"),
    ({"statement": "s", "claimant": "c", "date": "7 Dec", "rating": "false"}, "7 Dec"),
    ({"claimant": "c", "date": "2021", "rating": "false"}, "statement"),
    ({"statement": "s", "claimant": "c", "date": "2021", "rating": "false",
      "related": [{"claim": "x", "relation": "refutes"}]}, "refutes"),
])
def test_schema_rejects_what_check_rejects(claim: dict, problem: str) -> None:
    errors = " ".join(e.message for e in _validator("claims/claim.schema.json").iter_errors(claim))
    assert problem in errors


def test_schema_accepts_how_yaml_12_tools_read_values() -> None:
    """VS Code reads `date: 2021` as a number and `claimant: Jane` as text; both are valid claims."""
    claim = {"statement": "s", "claimant": "Jane Doe", "date": 2021, "rating": "pending", "tags": "Ukraine"}
    assert list(_validator("claims/claim.schema.json").iter_errors(claim)) == []
    assert list(_validator("claims/claim.schema.json").iter_errors({**claim, "date": "unknown"})) == []


def test_rating_enum_follows_the_sites_scale(project) -> None:
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text("utf-8")
                  + "extra:\n  claimline:\n    ratings:\n      - {id: correct, label: Correct}\n"
                    "      - {id: wrong, label: Wrong}\n")
    assert claim_schema(load_settings(project.root))["properties"]["rating"]["enum"] == ["correct", "wrong",
                                                                                         "pending"]


def test_new_claim_points_vscode_at_the_schema(sample_project: Path) -> None:
    result = CliRunner().invoke(main, ["new", "claim", "x-claim", "--project", str(sample_project),
                                       "--statement", "s", "--claimant", "c", "--date", "2021"])
    assert result.exit_code == 0
    first = (sample_project / "claims" / "x-claim.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=claim.schema.json"
