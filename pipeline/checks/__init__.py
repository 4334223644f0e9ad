"""The row rules (Great Expectations suites), the checks GX cannot express, and the rules across months."""
