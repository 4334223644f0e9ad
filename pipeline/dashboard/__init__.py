"""看板.html: the year at a glance (figures from the ledger through scoring; one offline page)."""
