"""Pure rules and calculations: no database, web, command-line or file-format code lives here."""
