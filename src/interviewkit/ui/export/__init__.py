"""PDF export in the app: a preview dialog with page size and hide-names options, and Save…."""
