"""Search: the Thai analyzer, the Whoosh index over the database (embedded default; rebuilt from
the database at any time), query tiers and snippets, and the index compared with the database."""
