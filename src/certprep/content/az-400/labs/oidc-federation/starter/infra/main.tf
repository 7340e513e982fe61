resource "azurerm_user_assigned_identity" "deploy" {
  name                = "id-shop-deploy"
  resource_group_name = var.resource_group
  location            = var.location
}
