"""Thin function views, one module per screen."""
