"""The pure core of ksales: orders, periods, filters, rules and results. No I/O, no clock."""
