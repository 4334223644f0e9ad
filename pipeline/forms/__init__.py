"""The monthly form: layout, carried-over rows, its guide sheet, and every unit's copy."""
