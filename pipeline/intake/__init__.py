"""Finding, opening, reading and typing the returned forms of a month."""
