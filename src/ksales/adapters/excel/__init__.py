"""Excel workbooks (openpyxl)."""
