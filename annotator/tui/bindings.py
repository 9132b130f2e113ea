"""Every key of the terminal UI, in one place, each with an id a keymap can rebind.

Screens, dialogs and widgets take their ``BINDINGS`` from here, so the settings file can be
checked against the complete list of ids (:func:`binding_ids`) without importing any screen
(the agreement screen pulls in the report and numpy, which a start-up should not wait for).
A binding's ``tooltip`` is what the help screen (``?``) and the command palette show.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from annotator.core.scheme import Scheme

APP = [
    Binding(
        "question_mark",
        "help",
        "Help",
        id="help",
        tooltip="Every key of this screen, with what it does",
    ),
    Binding(
        "ctrl+q",
        "quit",
        "Quit",
        show=False,
        priority=True,
        id="quit",
        tooltip="Quit once every change is saved",
    ),
]

DOCUMENTS = [
    # Priority, so that the keys typed right after "f" or "/" reach the filter box.
    Binding("f", "filter", "Filter", priority=True, id="filter", tooltip="Type to narrow the list"),
    Binding(
        "slash",
        "filter",
        "Filter",
        show=False,
        priority=True,
        id="filter-slash",
        tooltip="Type to narrow the list",
    ),
    Binding("s", "sort", "Sort", id="sort", tooltip="Sort by the next column"),
    Binding(
        "ctrl+l",
        "refresh_documents",
        "Refresh",
        show=False,
        id="refresh-documents",
        tooltip="Read your progress again (changes made in another terminal, a merge)",
    ),
    Binding("i", "app.agreement", "Agreement", id="agreement", tooltip="Agreement report"),
    Binding("q", "app.quit", "Quit", id="quit-documents", tooltip="Quit"),
    Binding("escape", "focus_table", show=False, id="leave-filter", tooltip="Back to the table"),
]


def _key(
    key: str, action: str, description: str, binding_id: str, tooltip: str, show: bool = False
) -> Binding:
    return Binding(key, action, description, show=show, id=binding_id, tooltip=tooltip)


ANNOTATE = [
    _key("x", "remove", "Remove", "remove", "Remove the annotation under the cursor", True),
    _key("c", "note", "Note", "note", "Write the note of the annotation under the cursor", True),
    _key("u", "undo", "Undo", "undo",
         "Undo your last change (any document, across restarts)", True),
    _key("ctrl+r", "redo", "Redo", "redo", "Redo the change last undone"),
    _key("D", "done", "Done", "done",
         "Mark the document done (warns about gaps); again to reopen", True),
    # Priority, so that the keys typed right after "/" reach the search bar.
    Binding(
        "slash",
        "search",
        "Search",
        priority=True,
        id="search",
        tooltip="Search the text; Enter selects the next match after the cursor"
        " (v then extends it)",
    ),
    _key("n", "search_next", "Next match", "search-next", "Select the next match (wraps around)"),
    _key("N", "search_previous", "Prev match", "search-previous", "Select the previous match"),
    _key("p", "toggle_panel", "Panel", "toggle-panel", "Hide or show the side panel", True),
    _key("ctrl+l", "refresh_document", "Refresh", "refresh",
         "Show what the database holds now: changes made in another terminal, a merge"),
    _key("greater_than_sign", "step_document(1)", "Next doc", "next-document", "Next document"),
    _key("less_than_sign", "step_document(-1)", "Prev doc", "previous-document",
         "Previous document"),
    _key("q", "back", "Back", "back", "Back to the documents list", True),
    _key("left_square_bracket", "move_boundary('start','word',-1)", "Start ← word",
         "start-word-left", "Move the span's start one word left"),
    _key("right_square_bracket", "move_boundary('start','word',1)", "Start → word",
         "start-word-right", "Move the span's start one word right"),
    _key("left_curly_bracket", "move_boundary('end','word',-1)", "End ← word",
         "end-word-left", "Move the span's end one word left"),
    _key("right_curly_bracket", "move_boundary('end','word',1)", "End → word",
         "end-word-right", "Move the span's end one word right"),
    _key("left_parenthesis", "move_boundary('start','char',-1)", "Start ← char",
         "start-char-left", "Move the span's start one character left"),
    _key("right_parenthesis", "move_boundary('start','char',1)", "Start → char",
         "start-char-right", "Move the span's start one character right"),
    _key("comma", "move_boundary('end','char',-1)", "End ← char",
         "end-char-left", "Move the span's end one character left"),
    _key("full_stop", "move_boundary('end','char',1)", "End → char",
         "end-char-right", "Move the span's end one character right"),
    # Not in the footer: the attribution prompt above it says Enter and esc.
    Binding(
        "enter",
        "attribute_confirm",
        "Set span",
        show=False,
        id="attribute-confirm",
        tooltip="Use the selection (or the word) as the requested source or cue",
    ),
    Binding(
        "escape",
        "attribute_cancel",
        "Leave open",
        show=False,
        id="attribute-cancel",
        tooltip="Leave the attribution incomplete",
    ),
    # After attribute-confirm: while an attribution asks for a span, Enter answers it.
    _key("enter", "accept_suggestion", "Accept", "accept-suggestion",
         "Accept the suggestion under the cursor: it becomes your annotation"),
    _key("backspace", "reject_suggestion", "Reject", "reject-suggestion",
         "Reject the suggestion under the cursor (u brings it back)"),
    _key("s", "next_suggestion", "Next suggestion", "next-suggestion",
         "Move to the next pending suggestion (wraps around)"),
    _key("S", "toggle_suggestions", "Suggestions", "toggle-suggestions",
         "Show or hide the machines' suggestions"),
]  # fmt: skip

ADJUDICATE = [
    _key("n", "next_disagreement", "Next", "next-disagreement",
         "Next open disagreement, in document order (wraps around)", True),
    _key("N", "previous_disagreement", "Previous", "previous-disagreement",
         "Previous open disagreement"),
    *(
        _key(str(k), f"take({k})", f"Take {k}", f"take-{k}",
             f"Gold takes annotator {k}'s version (a statement with its source and cue)", k <= 3)
        for k in range(1, 10)
    ),
    _key("a", "take_all", "Take all", "take-all",
         "Gold takes every distinct version of a span passage", True),
    _key("x", "reject", "Reject", "reject",
         "Gold gets nothing here; the rejection stays decided", True),
    # Priority: on the article, "e" is otherwise the end-of-word motion; esc clears a selection.
    Binding("e", "edit", "Edit gold", priority=True, id="edit-gold",
            tooltip="Edit the gold by hand with the annotate screen's keys (esc to stop)"),
    Binding("escape", "stop_editing", "Stop editing", priority=True, id="stop-editing",
            tooltip="Back to deciding (after editing the gold by hand)"),
]  # fmt: skip
"""The Adjudicate screen's deciding keys; after ``e`` the annotate screen's keys edit gold."""

DOCUMENT_VIEW = [
    _key("h,left", "char(-1)", "Left", "document.char-left", "Move the cursor one character left"),
    _key("l,right", "char(1)", "Right", "document.char-right",
         "Move the cursor one character right"),
    _key("w", "word(1)", "Next word", "document.word-next",
         "Move to the start of the next word (to its end while selecting)"),
    _key("b", "word(-1)", "Previous word", "document.word-previous",
         "Move to the start of this or the previous word"),
    _key("e", "word_end", "Word end", "document.word-end",
         "Move to the last character of this or the next word"),
    _key("j,down", "sentence(1)", "Next sentence", "document.sentence-next",
         "Move to the next sentence (to its end while selecting)"),
    _key("k,up", "sentence(-1)", "Previous sentence", "document.sentence-previous",
         "Move to the start of this or the previous sentence"),
    _key("g", "document_start", "Start", "document.start", "Move to the start of the article"),
    _key("G", "document_end", "End", "document.end", "Move to the end of the article"),
    _key("pageup", "page(-1)", "Page up", "document.page-up", "Move up one screen"),
    _key("pagedown", "page(1)", "Page down", "document.page-down", "Move down one screen"),
    _key("shift+left", "extend('char', -1)", "Select left", "document.select-char-left",
         "Extend the selection one character left"),
    _key("shift+right", "extend('char', 1)", "Select right", "document.select-char-right",
         "Extend the selection one character right"),
    _key("shift+up", "extend('sentence', -1)", "Select up", "document.select-sentence-previous",
         "Extend the selection to the start of this or the previous sentence"),
    _key("shift+down", "extend('sentence', 1)", "Select down", "document.select-sentence-next",
         "Extend the selection to the end of this or the next sentence"),
    _key("v", "toggle_selecting", "Select", "document.select-mode",
         "Select from the cursor, or extend the selection there (a search match): motions"
         " then extend it; v again stops"),
    _key("escape", "clear_selection", "Clear selection", "document.select-clear",
         "Clear the selection"),
]  # fmt: skip

CONFIRM = [
    Binding("y", "answer(True)", "Yes", id="dialog-yes", tooltip="Confirm"),
    Binding("n,escape", "answer(False)", "No", id="dialog-no", tooltip="Cancel"),
]
PICKER = [Binding("escape", "cancel", "Cancel", id="picker-cancel", tooltip="Choose none")]
NOTE = [Binding("escape", "cancel", "Cancel", id="note-cancel", tooltip="Keep the note")]
HELP = [Binding("escape,q,question_mark", "close", "Close", id="help-close", tooltip="Close")]

AGREEMENT = [
    Binding(
        "r",
        "refresh_report",
        "Refresh",
        id="agreement.refresh",
        tooltip="Build the report again from the database",
    ),
    Binding("escape", "close", "Close", id="agreement.close", tooltip="Back to the documents"),
    Binding(
        "q",
        "close",
        "Close",
        show=False,
        id="agreement.close_q",
        tooltip="Back to the documents",
    ),
]


_ASIDE = re.compile(r"\s*\([^()]*\)")
"""A parenthesised aside, with the blank before it: dropped from a short definition."""


def short_definition(description: str, width: int = 60) -> str:
    """The first sentence of a label's definition without its asides (sources, examples);
    cut at a word, with an ellipsis, when longer than ``width`` characters."""
    first = _ASIDE.sub("", description.split(". ")[0]).strip().rstrip(".")
    if len(first) <= width:
        return first
    return first[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def label_bindings(scheme: Scheme) -> list[Binding]:
    """One binding per label with a hotkey: ``tag-<label>`` for spans, ``classify-<label>``."""
    bindings: list[Binding] = []
    for layer in scheme.layers:
        verb = "tag" if layer.kind == "span" else "classify"
        for label in layer.labels:
            if not label.key:
                continue
            definition = short_definition(label.description)
            bindings.append(
                Binding(
                    label.key,
                    f"{verb}({layer.name!r},{label.name!r})",
                    label.name,
                    show=False,
                    id=f"{verb}-{label.name}",
                    tooltip=f"{'Tag' if verb == 'tag' else 'Classify as'} {label.name}"
                    + (f": {definition}" if definition else ""),
                )
            )
    return bindings


def binding_ids(scheme: Scheme) -> set[str]:
    """Every binding id a keymap may name: the app's, its screens', dialogs' and widgets'."""
    groups = (
        APP, DOCUMENTS, ANNOTATE, ADJUDICATE, DOCUMENT_VIEW, CONFIRM, PICKER, NOTE, HELP, AGREEMENT
    )  # fmt: skip
    every = [binding for group in groups for binding in group] + label_bindings(scheme)
    return {binding.id for binding in every if binding.id is not None}
