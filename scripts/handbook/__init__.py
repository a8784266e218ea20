"""The practice handbook generator, in stages; each imports only the stages above it in this list.

- core (this folder): `urls` (languages, URL segments), `messages` and `problems`, `plaintext`, `layout`,
  `markdown_render`, `repository`, `settings` (read once from mkdocs.yml), `cache` (results kept between
  runs, authenticated): the facts and utilities every stage shares.
- `content/`: read and validate the contributed files, no MkDocs: YAML reader, vocabulary, the models,
  loaders, names, links, translation.
- `checks/`: the trust gate's checks: files, images, plain text, Markdown, references, personal data,
  terminology, the site's own pages.
- `gate`: the checked content, in one visible order (`load_content`).
- `views/`: what the site and the PDF both show: labels, catalogue, practice card and pages, handbooks.
- `pdf/`: a handbook to PDF (assemble, fetch, render).
- `web/`: the MkDocs plugin (wiring) and what only the site needs.
- `contribute/`: scaffold, issue form, from-issue.
- `dev/`: maintainers' tools (benchmarks), imported by nothing the site needs.
- `cli/`: the `handbook` command.

tests/test_stages.py fails on an import that runs back up this list.
"""
