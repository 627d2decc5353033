import sys

from booking.cli.main import main

sys.exit(main())
