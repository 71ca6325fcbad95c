"""The HTTP API: thin routers over the service layer (app/services)."""
