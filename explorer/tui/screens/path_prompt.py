"""A small dialog that asks for a path: the shape the ingest and export prompts share."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from lvzhi.tui.actions import bindings
from lvzhi.tui.plain import plain

Result = TypeVar("Result")


class PathPrompt(ModalScreen[Result | None], Generic[Result]):
    """Asks for a path; ``accept`` turns what was typed into the result, or says why not.

    Widget ids are ``<name>-dialog``, ``<name>-path`` and ``<name>-error`` (styled in app.tcss).
    """

    BINDINGS = bindings("picker")
    name_prefix: ClassVar[str] = ""
    dialog_title: ClassVar[str] = ""

    def prompt(self) -> str:
        raise NotImplementedError

    def initial(self) -> tuple[str, str]:
        """(value, placeholder) of the input."""
        return "", ""

    def accept(self, value: str) -> Result | None:
        """The result for ``value``, or None after ``show_error`` said what is wrong."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        value, placeholder = self.initial()
        with Vertical(id=f"{self.name_prefix}-dialog", classes="dialog"):
            yield Label(self.prompt())
            yield Input(value, placeholder=placeholder, id=f"{self.name_prefix}-path")
            yield Label("", id=f"{self.name_prefix}-error", classes="error")

    def on_mount(self) -> None:
        self.query_one(f"#{self.name_prefix}-dialog").border_title = self.dialog_title
        self.query_one(Input).focus()

    def show_error(self, message: str) -> None:
        self.query_one(f"#{self.name_prefix}-error", Label).update(plain(message))

    @on(Input.Submitted)
    def action_choose(self) -> None:
        result = self.accept(self.query_one(Input).value.strip())
        if result is not None:
            self.dismiss(result)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
