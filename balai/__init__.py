"""Balai: public services and their continuous evaluation for an Indonesian Pemda."""
