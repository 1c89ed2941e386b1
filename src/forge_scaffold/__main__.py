"""Let `python -m forge_scaffold` run the CLI."""

from forge_scaffold.cli import main

main()
