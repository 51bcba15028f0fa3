"""What the API answers: pydantic models that the OpenAPI description (chalicelib.openapi) publishes as each route's
2xx schema, one module per area. A route names its model in `api_route(..., response="catalog:ListingView")`, so
pydantic is imported for them only by the description, never on the API's cold start.

Fields may be added without notice (every model allows extra fields); the ones named here are the contract, and every
API test (tests/contract.py) and the Schemathesis run hold the answers to them."""
