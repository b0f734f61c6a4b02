"""Deployment helpers: media storage chosen by configuration (local disk or S3-compatible)."""
