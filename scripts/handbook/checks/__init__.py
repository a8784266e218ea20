"""The trust gate's checks: files, images, plain text, Markdown, references, personal data, terminology, the site's pages."""
