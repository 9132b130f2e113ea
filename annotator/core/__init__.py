"""Pure domain: canonical text, segmentation, spans and the annotation scheme.

Nothing here imports SQLAlchemy, Alembic or Textual (an import-linter contract enforces it).
"""
