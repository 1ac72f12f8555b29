"""Speed figures, each printed with its floor measured in the same run."""
