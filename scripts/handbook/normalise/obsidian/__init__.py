"""Obsidian's own syntax, one feature a module: wikilinks, embeds, `obsidian://` links, callouts, block ids,
comments and footnotes, each turned into what Python-Markdown and Material read the same way."""
