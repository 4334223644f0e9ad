"""What every stage shares, without I/O: labels, the problem catalogue, errors, months, text normalisers, a returned file's record."""
