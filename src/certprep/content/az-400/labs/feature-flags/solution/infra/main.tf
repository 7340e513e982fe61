resource "azurerm_app_configuration" "shop" {
  name                = "appcs-shop"
  resource_group_name = var.resource_group
  location            = var.location
  sku                 = "standard"
}

resource "azurerm_app_configuration_feature" "new_checkout" {
  configuration_store_id  = azurerm_app_configuration.shop.id
  name                    = "NewCheckout"
  label                   = "production"
  enabled                 = true
  percentage_filter_value = 10
}
