"""Search: the Thai analyzer, the Whoosh index (embedded default), query parsing and snippets."""
