from vidtrace.cli import main

raise SystemExit(main())
