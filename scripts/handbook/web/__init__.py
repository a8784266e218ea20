"""The MkDocs plugin (wiring only) and what only the site needs: pages, head, policy, feed, export, search, preview."""
