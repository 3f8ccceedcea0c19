"""Infrastructure shared by every capability: atomic writes, caches, import hygiene, shipped data."""
