"""The command line's help texts and the environment check."""
