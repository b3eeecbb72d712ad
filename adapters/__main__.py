import sys

from ua_bot.cli import main

sys.exit(main())
