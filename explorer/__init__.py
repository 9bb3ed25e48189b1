"""lvzhi (履职): read, search and compare Chinese township duty lists."""

__version__ = "0.1.0"
