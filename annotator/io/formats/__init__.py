"""Other tools' formats: brat, Label Studio, doccano, PTC, WebAnno TSV, CSV tables, spaCy.

One module per format, each with a reader (files -> ``ForeignDocument`` records of
:mod:`annotator.io.formats.model`) and, where the format can be written, a writer;
:mod:`annotator.io.formats.registry` names them.
``resolve`` turns what a reader read into records for the native build and write path;
``graph`` and ``losses`` prepare an export and list what a format cannot hold.
"""
