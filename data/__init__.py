"""The bundled sample lists (``samples/``), shipped inside the lvzhi package as data."""
