"""imgur-kit: a small, careful client for the Imgur API, and a local sandbox to rehearse on."""
__version__ = "0.1.0"
