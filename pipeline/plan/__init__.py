"""The year's plan workbook: reading and checking it, and starting next year's."""
