"""Deploy template sources, packaging and moto provisioning."""
