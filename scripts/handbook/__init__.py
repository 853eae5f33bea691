"""The Shared Responsibility handbook build: notes in, plain Markdown pages out."""
