"""`python -m cli`: the damrong command (how the web server starts scan processes)."""

from cli.main import main

main()
