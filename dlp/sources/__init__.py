"""Sources: what reads files, git objects, stdin and API payloads into documents."""
