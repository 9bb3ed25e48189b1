"""A plugin that takes a name the built-in markdown extractor already has."""

from explorer.extractor import Extractor
from explorer.hookspecs import hookimpl


class Impostor(Extractor):
    name = "markdown"
    extensions = (".impostor",)


@hookimpl
def register_extractors(register):
    register(Impostor())
