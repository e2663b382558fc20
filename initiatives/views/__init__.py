"""Public pages: one module per kind of page.

- ``lists``: a collection's filterable list (and its CSV);
- ``records``: a record's detail page;
- ``countries``: the countries and a page per country;
- ``regions``: regions and groupings of countries, and a page per region;
- ``dashboard`` and ``search``.

What the public may see is decided by the querysets the views read, never here.
The modules are imported by name: the registry (``registry.py``) names the detail
views, and the other pages read the registry.
"""
