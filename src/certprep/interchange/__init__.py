"""Open formats in and out: iCalendar, Anki packages (and, later, QTI, Moodle XML, GIFT). Pure writers and readers over
domain values; no database."""
