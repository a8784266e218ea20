"""What the site and the PDF both show: labels, catalogue, practice card and pages, handbook programmes."""
