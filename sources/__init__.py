"""Sources: turn what the user names (files, folders, manifests, URLs) into items to fetch."""
