"""Reading articles into the store and writing them out again.

One module per format (``plaintext``, ``csv_rows``, ``jsonl``), ``build`` to validate what they
read against the text and the scheme, ``merge`` for a text met twice, ``importer`` for the
all-or-nothing import service and ``export`` for native JSONL and CSV; ``formats/`` holds the
other tools' formats (brat, Label Studio, doccano, PTC, WebAnno TSV, spaCy) behind a registry.
"""
