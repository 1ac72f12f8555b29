"""Item models over core queries (lazy, windowed)."""
