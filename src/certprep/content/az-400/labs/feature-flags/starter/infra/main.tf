resource "azurerm_app_configuration" "shop" {
  name                = "appcs-shop"
  resource_group_name = var.resource_group
  location            = var.location
  sku                 = "standard"
}
