"""chipclass: classify AI chips under US export controls (ECCN 3A090)."""

__version__ = "0.2.0"
