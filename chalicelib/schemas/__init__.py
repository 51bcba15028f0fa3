"""Request bodies and query strings (pydantic), one module per area."""
