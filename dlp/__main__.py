from dlp.cli import main

raise SystemExit(main())
