"""The dashboard's parts, one module per part of the page. They render; the engine decides."""
