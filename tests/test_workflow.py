"""The GitHub Actions workflow: valid (check-jsonschema's vendored schema, offline) and doing what CI needs."""

from __future__ import annotations

import subprocess
import sys

import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def test_workflow_validates_against_the_github_workflow_schema() -> None:
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOW)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


def _runs(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def _uses(job: dict) -> list[str]:
    return [step.get("uses", "").split("@")[0] for step in job["steps"]]


def test_pull_requests_check_test_and_build_strictly() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    runs = "\n".join(_runs(workflow["jobs"]["check"]))
    assert "claimline check --strict --format github" in runs
    assert "python -m pytest" in runs
    assert "claimline build --strict\n" in runs + "\n"
    assert "claimline build --strict --engine properdocs" in runs
    setup = next(s for s in workflow["jobs"]["check"]["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"


def test_main_deploys_with_the_official_pages_actions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    deploy = workflow["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["needs"] == "check"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"] == \
        [u for u in _uses(deploy) if "pages" in u]
    upload = next(s for s in deploy["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    build = next(s for s in deploy["steps"] if "claimline build --strict" in s.get("run", ""))
    pages = next(s for s in deploy["steps"] if s.get("uses", "").startswith("actions/configure-pages"))
    # a project site lives under a path (https://org.github.io/repo/): the build is told its address
    assert build["env"]["SITE_URL"] == "${{ steps.%s.outputs.base_url }}/" % pages["id"]
    assert "site_url: !ENV [SITE_URL," in (REPO / "mkdocs.yml").read_text("utf-8")
