"""Terraform check kinds: every real quickstart in ../shared/fixtures/terraform parses and carries no false
secret; valid and broken modules give the expected messages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from certprep.domain.labs import Check
from certprep.labcheck.runner import run_check

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "terraform"
QUICKSTARTS = sorted(FIXTURES.glob("*.tf")) if FIXTURES.is_dir() else []

SLOT = """
terraform {
  backend "azurerm" {
    resource_group_name  = "tfstate"
    storage_account_name = "tfstate123"
    container_name       = "state"
    key                  = "web.tfstate"
  }
}

variable "environment" {
  type = string
  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment is dev or prod"
  }
}

variable "sql_password" {
  type      = string
  sensitive = true
}

resource "azurerm_linux_web_app_slot" "staging" {
  name           = "staging"
  app_service_id = azurerm_linux_web_app.app.id
  site_config {
    always_on = true
  }
}
"""


def run(folder: Path, kind: str, **args: Any) -> tuple[bool, str]:
    r = run_check(Check("c", "c", kind, args, 1, "h", "https://learn.microsoft.com/", 10), folder)
    return r.passed, r.message


@pytest.mark.skipif(not QUICKSTARTS, reason="../shared/fixtures/terraform is not present")
def test_every_quickstart_parses_without_a_false_secret(tmp_path: Path) -> None:
    for source in QUICKSTARTS:
        folder = tmp_path / source.stem
        folder.mkdir()
        shutil.copy(source, folder / "main.tf")
        ok, message = run(folder, "terraform-no-secrets")
        assert ok, f"{source.name}: {message}"


@pytest.mark.skipif(not QUICKSTARTS, reason="../shared/fixtures/terraform is not present")
def test_resources_of_a_real_quickstart(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "quickstart_101-cosmos-db-free-tier_main.tf", tmp_path / "main.tf")
    assert run(
        tmp_path, "terraform-resource", type="azurerm_cosmosdb_account", attributes={"enable_free_tier": True}
    )[0]
    ok, message = run(
        tmp_path, "terraform-resource", type="azurerm_cosmosdb_account", attributes={"offer_type": "Premium"}
    )
    assert (
        not ok
        and message
        == "main.tf: azurerm_cosmosdb_account.example offer_type is 'Standard', expected 'Premium'"
    )
    ok, message = run(
        tmp_path,
        "terraform-resource",
        type="azurerm_cosmosdb_account",
        attributes={"consistency_policy.consistency_level": "BoundedStaleness"},
    )
    assert ok, message
    assert run(tmp_path, "terraform-backend", backend="azurerm") == (
        False,
        "no backend block: the state stays on the machine that runs terraform",
    )


def test_slot_backend_validation(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(SLOT)
    assert run(
        tmp_path,
        "terraform-resource",
        type="azurerm_linux_web_app_slot",
        name="staging",
        blocks=["site_config"],
    )[0]
    assert run(
        tmp_path,
        "terraform-resource",
        type="azurerm_linux_web_app_slot",
        attributes={"site_config.always_on": True},
    )[0]
    ok, message = run(
        tmp_path, "terraform-resource", type="azurerm_linux_web_app_slot", blocks=["auth_settings"]
    )
    assert not ok and message == "main.tf: azurerm_linux_web_app_slot.staging has no auth_settings block"
    assert run(tmp_path, "terraform-resource", type="azurerm_mssql_database") == (
        False,
        "no resource of type azurerm_mssql_database in any .tf file",
    )
    assert run(tmp_path, "terraform-backend", backend="azurerm") == (
        True,
        "main.tf: the state is kept in the azurerm backend",
    )
    assert run(tmp_path, "terraform-backend", backend="s3") == (False, "main.tf: backend 'azurerm', not 's3'")
    assert run(tmp_path, "terraform-variable-validation", variable="environment")[0]
    assert run(tmp_path, "terraform-variable-validation", variable="sql_password") == (
        False,
        "main.tf: variable sql_password has no validation block",
    )
    assert run(tmp_path, "terraform-no-secrets") == (True, "no secret is written in the Terraform files")


@pytest.mark.parametrize(
    ("tf", "message"),
    [
        (
            'variable "admin_password" {\n  default = "Sup3rS3cret!"\n}\n',
            "main.tf: variable admin_password has a secret as its default value",
        ),
        (
            'resource "azurerm_mssql_server" "s" {\n  administrator_login_password = "Sup3rS3cret!"\n}\n',
            "main.tf: resource.azurerm_mssql_server.s.administrator_login_password is a literal secret",
        ),
        (
            'locals {\n  conn = "AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"\n}\n',
            "main.tf:2: a credential is written in the file",
        ),
    ],
)
def test_hard_coded_secrets_are_found(tmp_path: Path, tf: str, message: str) -> None:
    (tmp_path / "main.tf").write_text(tf)
    assert run(tmp_path, "terraform-no-secrets") == (False, message)


def test_unparsable_terraform_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "a" "b" {\n  name = \n}\n')
    ok, message = run(tmp_path, "terraform-resource", type="a")
    assert not ok and message.startswith("main.tf:") and "not valid Terraform" in message
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(empty, "terraform-no-secrets") == (False, "the lab folder has no .tf file")
