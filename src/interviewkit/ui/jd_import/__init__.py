"""File → Import job description…: read a job description (a file, or text pasted from the clipboard),
review its requirements in a table (merge, split, delete, retag, re-section) and save what the table shows."""
