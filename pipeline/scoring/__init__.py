"""Pieces, units, persons, periods, the year's counts and the year-end assessment, from the ledger's rows."""
