"""Blocks only the strategy's pages use. Unlike cms.blocks they may reach into the catalogue."""

from cms.blocks import BaseStreamBlock


class ChapterStreamBlock(BaseStreamBlock):
    """The body of a strategy chapter: every shared block."""
