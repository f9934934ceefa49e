"""Allow `python -m statusgen`."""

from statusgen.cli.main import main

main()
