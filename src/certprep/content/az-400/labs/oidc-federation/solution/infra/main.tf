resource "azurerm_user_assigned_identity" "deploy" {
  name                = "id-shop-deploy"
  resource_group_name = var.resource_group
  location            = var.location
}

resource "azurerm_federated_identity_credential" "github_production" {
  name                = "github-production"
  resource_group_name = var.resource_group
  parent_id           = azurerm_user_assigned_identity.deploy.id
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:contoso/shop:environment:production"
  audience            = ["api://AzureADTokenExchange"]
}
