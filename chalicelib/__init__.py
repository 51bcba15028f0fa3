"""Deployed code of the YunCai mall: handlers, domain rules and data access."""
