"""``python -m khuyencong.cli``: the same as the ``khuyencong`` command."""

from khuyencong.cli._main import main

raise SystemExit(main())
