"""What the office gets: the month's folder, a period's circulars and year results, receipts, workbooks, 年终考核表."""
