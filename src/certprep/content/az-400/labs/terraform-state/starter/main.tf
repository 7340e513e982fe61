terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

variable "environment" {
  type = string
}

variable "sql_admin_password" {
  type    = string
  default = "Sql-Adm1n-2026!"
}

resource "azurerm_mssql_server" "shop" {
  name                         = "sql-shop-${var.environment}"
  resource_group_name          = "rg-shop-${var.environment}"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "shopadmin"
  administrator_login_password = var.sql_admin_password
  minimum_tls_version          = "1.0"
}
