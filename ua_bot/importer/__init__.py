"""UA document import: read .txt/.docx/.pdf, parse the layout, report what was found.

Public API (a contract the core and the CLI rely on):

- ``import_file(path) -> ImportResult``
- ``import_bytes(data, filename) -> ImportResult``
- ``import_text(text) -> ImportResult``
"""
