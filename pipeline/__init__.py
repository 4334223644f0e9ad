"""The information and publicity assessment pipeline of a county bureau."""

__version__ = "0.1.0"
