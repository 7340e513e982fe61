resource "azurerm_key_vault" "shop" {
  name                      = "kv-shop-prod"
  location                  = var.location
  resource_group_name       = var.resource_group
  tenant_id                 = var.tenant_id
  sku_name                  = "standard"
  enable_rbac_authorization = true
}

resource "azuredevops_variable_group" "shop" {
  project_id   = var.project_id
  name         = "kv-shop-prod"
  description  = "Secrets of the shop, read from Key Vault at run time"
  allow_access = false

  key_vault {
    name                = azurerm_key_vault.shop.name
    service_endpoint_id = var.service_connection_id
  }

  variable {
    name = "sqlPassword"
  }
}
