"""Allow ``python -m mutu``."""

from mutu.cli import main

if __name__ == "__main__":
    main()
