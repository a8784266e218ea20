"""A handbook to PDF: assemble the HTML, fetch only allowed files, render with WeasyPrint."""
