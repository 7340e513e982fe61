terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
  backend "azurerm" {
    resource_group_name  = "rg-tfstate"
    storage_account_name = "sttfstateshop"
    container_name       = "tfstate"
    key                  = "shop.tfstate"
    use_azuread_auth     = true
  }
}

variable "environment" {
  type = string
  validation {
    condition     = contains(["dev", "test", "prod"], var.environment)
    error_message = "environment must be dev, test or prod."
  }
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}

resource "azurerm_mssql_server" "shop" {
  name                         = "sql-shop-${var.environment}"
  resource_group_name          = "rg-shop-${var.environment}"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "shopadmin"
  administrator_login_password = var.sql_admin_password
  minimum_tls_version          = "1.2"
}
