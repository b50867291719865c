"""cmctei: a TEI-XML toolkit for archives of declassified government records."""

__version__ = "0.2.0"
