"""Blueprints: translate HTTP and events into domain calls, and results back."""
