"""What every stage shares, without I/O: labels, the problem catalogue, errors, months, a returned file's record."""
