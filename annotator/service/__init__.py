"""The rulebook: which document a user means, the checks every change passes, and the
annotating operations with their rules.

The CLI, the terminal UI, imports and the report call this layer; it calls the store. A rule
lives here once, so every front end gives the same answer with the same message.
"""
