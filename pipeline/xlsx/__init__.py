"""Workbooks as the outputs look: cell styles, print setup, the fast big-table writer, .xlsx packages written directly."""
