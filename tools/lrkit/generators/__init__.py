"""Exact procedural generators of competition-style logic problems: one module per family, ``registry`` joins them."""
