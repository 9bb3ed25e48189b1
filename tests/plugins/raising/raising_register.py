"""A plugin whose hook raises."""

from lvzhi.hookspecs import hookimpl


@hookimpl
def register_extractors(register):
    raise RuntimeError("boom in register_extractors")
