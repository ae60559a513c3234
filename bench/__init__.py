"""The benchmark: make bench and make bench-shared (python -m bench); see __main__."""
