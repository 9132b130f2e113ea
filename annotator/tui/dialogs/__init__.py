"""Modal dialogs the screens open: confirm, pick one of several, write a note, the keys.

Each is a ``ModalScreen[T]`` that answers through ``dismiss()``; every text it shows (words of
the article, notes, titles) is plain text, never markup.
"""
