"""Dialogs (product editor...)."""
