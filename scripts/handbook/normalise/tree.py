"""markdown-it's flat token stream folded into a tree of blocks.

Not markdown_it.tree.SyntaxTreeNode: it copies each nested run of tokens into a new list at every level
(a cost that grows with the nesting depth, up to MAX_NESTING) and refuses a stream with a stray closing
token, where build_tree folds in one pass and passes such a token over. The renderer reads each node's
opening token (`node.token.markup`, `.info`, `.tag`) for containers and leaves alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token


@dataclass
class Node:
    """One block of markdown-it's token stream with its children (open/close pairs folded)."""

    type: str
    token: Token
    children: list["Node"] = field(default_factory=list)

    @property
    def map(self) -> tuple[int, int]:
        """The node's parsed-text line range [start, end)."""
        return tuple(self.token.map) if self.token.map else (0, 0)  # type: ignore[return-value]


def build_tree(tokens: list[Token]) -> list[Node]:
    """Fold the flat token stream into a tree without recursion (nesting depth is unbounded in input)."""
    root = Node("root", Token("root", "", 0))
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = Node(token.type[: -len("_open")], token)
            stack[-1].children.append(node)
            stack.append(node)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].children.append(Node(token.type, token))
    return root.children

