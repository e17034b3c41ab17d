"""People: the address book of the app's visible range, and naming colleagues in commands."""
