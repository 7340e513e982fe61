resource "azurerm_service_plan" "shop" {
  name                = "asp-shop"
  resource_group_name = var.resource_group
  location            = var.location
  os_type             = "Linux"
  sku_name            = "B1"
}

resource "azurerm_linux_web_app" "shop" {
  name                = "app-shop-prod"
  resource_group_name = var.resource_group
  location            = var.location
  service_plan_id     = azurerm_service_plan.shop.id
  site_config {}
}
