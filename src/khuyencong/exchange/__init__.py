"""Data exchange: khuyencong data in the shapes of open data standards.

Each standard is a public module with the same four verbs, as cattrs' ``preconf`` modules
have, so a program written against one guesses the other:

- :mod:`khuyencong.exchange.threesixty`: grants in the 360Giving data standard, from approved
  projects and support records, as JSON or CSV (``fmt="json"`` or ``"csv"``).
- :mod:`khuyencong.exchange.iati`: indicators with targets and actuals as IATI results, as XML
  or JSON (``fmt="xml"`` or ``"json"``).

===========================================  ==================================================
``loads(text, fmt=...)``                     objects from text
``dumps(objects, fmt=...)``                  text (a ``str``) from objects
``read(path_or_stream, fmt=None)``           objects from a file; the format from its suffix
``write(objects, path_or_stream, fmt=None)`` a file from objects; returns ``None``
===========================================  ==================================================

Every export validates against the standard's required fields before it writes, every reader
reports every problem with its ``$.path``, and a file that cannot be read at all raises
:class:`~khuyencong.exceptions.FileFormatError`. The package itself re-exports nothing: import
the module of the standard (``from khuyencong.exchange import threesixty``).

>>> from khuyencong.exchange import iati, threesixty
>>> threesixty.FORMATS, iati.FORMATS
(('json', 'csv'), ('xml', 'json'))
"""

from khuyencong.exchange import iati, threesixty

__all__ = ["iati", "threesixty"]
