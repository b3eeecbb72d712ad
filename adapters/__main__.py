import sys

from adapters.main import main

sys.exit(main())
