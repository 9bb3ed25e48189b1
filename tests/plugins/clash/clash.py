"""A plugin that takes a name the built-in markdown extractor already has."""

from lvzhi.extractor import Extractor
from lvzhi.hookspecs import hookimpl


class Impostor(Extractor):
    name = "markdown"
    extensions = (".impostor",)


@hookimpl
def register_extractors(register):
    register(Impostor())
