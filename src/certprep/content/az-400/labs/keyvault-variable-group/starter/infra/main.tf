resource "azurerm_key_vault" "shop" {
  name                      = "kv-shop-prod"
  location                  = var.location
  resource_group_name       = var.resource_group
  tenant_id                 = var.tenant_id
  sku_name                  = "standard"
  enable_rbac_authorization = true
}
