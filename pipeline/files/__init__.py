"""The outputs folder and file safety: atomic writes, the workspace and its lock, two processes, the GX runner, reading grids."""
