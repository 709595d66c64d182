"""Shared building blocks for generated Word and PDF documents (no models)."""
